package org.meshportal.catalog.processing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshportal.catalog.service.ProcessingError;

/** Every kind of bad input becomes a processing error; nothing else is lost. */
class BadInputTest {
  @TempDir Path tmp;

  private Path rootLocation(List<String> targets) {
    StringBuilder yaml = new StringBuilder("""
        apiVersion: backstage.io/v1alpha1
        kind: Location
        metadata:
          name: root
        spec:
          targets:
        """);
    targets.forEach(t -> yaml.append("    - ").append(t).append('\n'));
    return Catalog.write(tmp.resolve("repo/root.yaml"), yaml.toString());
  }

  @Test
  void eachBadFileOrDocumentIsAnErrorAndTheRestIsIngested() throws IOException {
    Catalog.write(tmp.resolve("repo/good.yaml"), Catalog.component("good", ""));
    Catalog.write(tmp.resolve("repo/mixed.yaml"), Catalog.component("first", "") + """
        ---
        apiVersion: backstage.io/v1alpha1
        kind: Component
        metadata:
          name: "not a valid name!"
        spec: {type: service, lifecycle: production, owner: team-a}
        ---
        apiVersion: backstage.io/v1alpha1
        kind: Spaceship
        metadata:
          name: enterprise
        spec: {}
        ---
        - just
        - a list
        ---
        """ + Catalog.component("last", ""));
    Catalog.write(tmp.resolve("repo/broken.yaml"), "kind: Component\nmetadata: {name: x\n  : ]\n");
    Files.write(tmp.resolve("repo/latin1.yaml"), new byte[] {'k', 'i', 'n', 'd', ':', ' ', (byte) 0xE9, '\n'});
    Catalog.write(tmp.resolve("repo/dupkeys.yaml"), "kind: Component\nkind: API\n");
    StringBuilder bomb = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x]\n");
    for (char c = 'b'; c <= 'k'; c++) {
      char p = (char) (c - 1);
      bomb.append(c).append(": &").append(c).append(" [*").append(p).append(", *").append(p).append(", *").append(p)
          .append(", *").append(p).append(", *").append(p).append(", *").append(p).append("]\n");
    }
    Catalog.write(tmp.resolve("repo/bomb.yaml"), bomb.toString());
    Catalog.write(tmp.resolve("repo/deep.yaml"), "a: " + "[".repeat(200) + "]".repeat(200) + "\n");
    Catalog.write(tmp.resolve("repo/huge.yaml"), Catalog.component("huge", "") + "#" + "x".repeat(2000) + "\n");
    Path root = rootLocation(List.of("./good.yaml", "./mixed.yaml", "./broken.yaml", "./latin1.yaml", "./dupkeys.yaml",
        "./bomb.yaml", "./deep.yaml", "./huge.yaml", "./missing.yaml"));

    ProcessingSettings settings = Catalog.settings().withMaxFileBytes(1500)
        .withAllowedKinds(Set.of("Component", "Location", "Group"));
    try (Catalog c = Catalog.open(tmp.resolve("data"), settings)) {
      c.locations.add("file", root.toString(), false, false);
      assertNotNull(c.entity("component:default/good"));
      assertNotNull(c.entity("component:default/first"));
      assertNotNull(c.entity("component:default/last"), "documents after bad ones still ingest");
      assertNull(c.entity("spaceship:default/enterprise"));
      assertNull(c.entity("component:default/huge"));

      List<ProcessingError> errors = c.entities.processingErrors();
      assertError(errors, "mixed.yaml", 1, "metadata.name");
      assertError(errors, "mixed.yaml", 2, "is not of an allowed kind");
      assertError(errors, "mixed.yaml", 3, "Expected object at root");
      assertError(errors, "broken.yaml", 0, "YAML error");
      assertError(errors, "latin1.yaml", null, "UTF-8");
      assertError(errors, "dupkeys.yaml", 0, "kind");
      assertError(errors, "bomb.yaml", 0, "alias");
      assertError(errors, "deep.yaml", 0, "deeper than");
      assertError(errors, "huge.yaml", null, "larger than the limit of 1500 bytes");
      assertError(errors, "missing.yaml", null, "does not exist");
      assertEquals(10, errors.size(), errors.toString());

      // the errors show on the Location entity that read those files
      List<String> status = c.statusMessages("location:default/root");
      assertEquals(10, status.size());
      JsonNode item = c.entity("location:default/root").path("status").path("items").get(0);
      assertEquals("backstage.io/catalog-processing", item.path("type").asText());
      assertEquals("error", item.path("level").asText());
      assertEquals(item.path("message").asText(),
          item.path("error").path("name").asText() + ": " + item.path("error").path("message").asText());
    }
  }

  private static void assertError(List<ProcessingError> errors, String file, Integer document, String reasonPart) {
    assertTrue(errors.stream().anyMatch(e -> e.location() != null && e.location().endsWith("/" + file)
            && java.util.Objects.equals(document, e.documentIndex())
            && e.message().toLowerCase().contains(reasonPart.toLowerCase())),
        () -> "no error for " + file + " #" + document + " containing '" + reasonPart + "' in " + errors);
  }

  @Test
  void aFileThatStopsParsingKeepsWhatItProducedBefore() {
    Path file = Catalog.write(tmp.resolve("c.yaml"), Catalog.component("svc-a", "") + "---\n" + Catalog.component("svc-b", ""));
    try (Catalog c = Catalog.open(tmp.resolve("data"))) {
      var location = c.locations.add("file", file.toString(), false, false).location();
      JsonNode before = c.entity("component:default/svc-b");
      Catalog.write(file, "apiVersion: backstage.io/v1alpha1\nkind: [unclosed\n");
      c.entities.refresh(location.entityRef());
      assertEquals(before, c.entity("component:default/svc-b"));
      assertNotNull(c.entity("component:default/svc-a"));
      assertEquals(1, c.statusMessages(location.entityRef()).size());

      // a missing file also keeps the last good state
      file.toFile().delete();
      c.entities.refresh(location.entityRef());
      assertNotNull(c.entity("component:default/svc-a"));
      assertTrue(c.statusMessages(location.entityRef()).get(0).startsWith("NotFoundError"));

      // once fixed, the error disappears and removals apply again
      Catalog.write(file, Catalog.component("svc-a", ""));
      c.entities.refresh(location.entityRef());
      assertNull(c.entity("component:default/svc-b"));
      assertEquals(List.of(), c.statusMessages(location.entityRef()));
      assertEquals(List.of(), c.entities.processingErrors());
    }
  }

  @Test
  void anEntityWhoseRelationsFailKeepsItsLastGoodVersionWithAnError() {
    Path file = Catalog.write(tmp.resolve("c.yaml"), Catalog.component("svc-a", "system: shop"));
    Path fresh = Catalog.write(tmp.resolve("fresh.yaml"), Catalog.component("svc-new", "dependsOn: [db]"));
    try (Catalog c = Catalog.open(tmp.resolve("data"))) {
      c.locations.add("file", file.toString(), false, false);
      Catalog.write(file, Catalog.component("svc-a", "system: other\ndependsOn: [db]"));
      c.entities.refresh("component:default/svc-a");
      JsonNode a = c.entity("component:default/svc-a");
      assertEquals("shop", a.path("spec").path("system").asText(), "last good version");
      List<String> status = c.statusMessages("component:default/svc-a");
      assertEquals(1, status.size());
      assertTrue(status.get(0).startsWith("InputError: Invalid entity reference in "), status.get(0));

      // never processed before: absent, with the error recorded
      c.locations.add("file", fresh.toString(), false, false);
      assertNull(c.entity("component:default/svc-new"));
      assertTrue(c.entities.processingErrors().stream()
          .anyMatch(e -> "component:default/svc-new".equals(e.entityRef())));
    }
  }

  @Test
  void anInvalidEntityThatWasValidBeforeKeepsItsLastGoodVersion() {
    Path file = Catalog.write(tmp.resolve("c.yaml"), Catalog.component("svc-a", ""));
    try (Catalog c = Catalog.open(tmp.resolve("data"))) {
      c.locations.add("file", file.toString(), false, false);
      Catalog.write(file, """
          apiVersion: backstage.io/v1alpha1
          kind: Component
          metadata:
            name: svc-a
          spec:
            type: service
          """);
      c.entities.refresh("component:default/svc-a");
      assertNotNull(c.entity("component:default/svc-a"));
      assertEquals(1, c.statusMessages("component:default/svc-a").size());
    }
  }
}
