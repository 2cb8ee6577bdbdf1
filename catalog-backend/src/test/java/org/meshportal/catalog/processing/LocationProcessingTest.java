package org.meshportal.catalog.processing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshportal.catalog.service.AddLocationResult;
import org.meshportal.model.errors.ConflictException;
import org.meshportal.model.errors.InputException;
import org.meshportal.model.errors.NotFoundException;

class LocationProcessingTest {
  @TempDir Path tmp;

  @Test
  void registeredFileLocationIsReadableWhenAddReturns() {
    Path file = Catalog.write(tmp.resolve("repo/catalog-info.yaml"), Catalog.component("svc-a", "") + """
        ---
        apiVersion: backstage.io/v1alpha1
        kind: Group
        metadata:
          name: team-a
        spec:
          type: team
          children: []
        """);
    try (Catalog c = Catalog.open(tmp.resolve("data"))) {
      AddLocationResult result = c.locations.add("file", file.toString(), false, false);
      assertTrue(result.entities().isEmpty());
      String locationRef = LocationEntities.ref("file", file.toString());
      assertEquals(locationRef, result.location().entityRef());

      JsonNode svc = c.entity("component:default/svc-a");
      assertNotNull(svc);
      assertEquals("file:" + file, svc.path("metadata").path("annotations").path("backstage.io/managed-by-location").asText());
      assertEquals("file:" + file,
          svc.path("metadata").path("annotations").path("backstage.io/managed-by-origin-location").asText());
      assertEquals(36, svc.path("metadata").path("uid").asText().length());
      assertEquals(40, svc.path("metadata").path("etag").asText().length());
      assertEquals(List.of("ownedBy group:default/team-a"), c.relations("component:default/svc-a"));
      assertEquals(List.of("ownerOf component:default/svc-a"), c.relations("group:default/team-a"));

      JsonNode location = c.entity(locationRef);
      assertEquals("file", location.path("spec").path("type").asText());
      assertEquals(file.toString(), location.path("spec").path("target").asText());
      assertEquals("file:" + file, location.path("metadata").path("annotations").path("backstage.io/managed-by-location").asText());
      assertEquals(1, c.locations.list().size());
      assertEquals(result.location(), c.locations.get(result.location().id()));
      assertEquals(result.location(), c.locations.byEntity("Component", "default", "SVC-A"));
    }
  }

  @Test
  void secondRegistrationOfTheSameTargetConflictsUnlessRefreshIsAsked() {
    Path file = Catalog.write(tmp.resolve("c.yaml"), Catalog.component("svc-a", ""));
    try (Catalog c = Catalog.open(tmp.resolve("data"))) {
      AddLocationResult first = c.locations.add("file", file.toString(), false, false);
      ConflictException e = assertThrows(ConflictException.class, () -> c.locations.add("file", file.toString(), false, false));
      assertEquals("Location file:" + file + " already exists", e.getMessage());
      Catalog.write(file, Catalog.component("svc-b", ""));
      AddLocationResult again = c.locations.add("file", file.toString(), false, true);
      assertEquals(first.location(), again.location());
      assertNotNull(c.entity("component:default/svc-b"));
      assertNull(c.entity("component:default/svc-a"));
    }
  }

  @Test
  void disallowedLocationTypeIsAnInputError() {
    try (Catalog c = Catalog.open(tmp.resolve("data"), ProcessingSettings.defaults())) {
      InputException e = assertThrows(InputException.class, () -> c.locations.add("file", "/x.yaml", false, false));
      assertEquals("Registered locations must be of an allowed type [\"url\"]", e.getMessage());
    }
  }

  @Test
  void relativeAndGlobTargetsResolveAgainstTheLocationFile() {
    Path root = Catalog.write(tmp.resolve("repo/all.yaml"), """
        apiVersion: backstage.io/v1alpha1
        kind: Location
        metadata:
          name: everything
        spec:
          targets:
            - ./services/*.yaml
            - nested/one.yaml
            - ./missing-but-optional.yaml
        """);
    Catalog.write(tmp.resolve("repo/services/a.yaml"), Catalog.component("svc-a", ""));
    Catalog.write(tmp.resolve("repo/services/b.yaml"), Catalog.component("svc-b", ""));
    Catalog.write(tmp.resolve("repo/services/readme.md"), "not yaml");
    Catalog.write(tmp.resolve("repo/nested/one.yaml"), Catalog.component("svc-c", ""));
    try (Catalog c = Catalog.open(tmp.resolve("data"))) {
      c.locations.add("file", root.toString(), false, false);
      assertNotNull(c.entity("component:default/svc-a"));
      assertNotNull(c.entity("component:default/svc-b"));
      JsonNode svcC = c.entity("component:default/svc-c");
      assertEquals("file:" + tmp.resolve("repo/nested/one.yaml"),
          svcC.path("metadata").path("annotations").path("backstage.io/managed-by-location").asText());
      assertEquals("file:" + root,
          svcC.path("metadata").path("annotations").path("backstage.io/managed-by-origin-location").asText());
      // the missing plain target is an error on the nested Location entity, not a lost catalog
      assertEquals(1, c.statusMessages("location:default/everything").size());
      assertTrue(c.statusMessages("location:default/everything").get(0).startsWith("NotFoundError: "));
    }
  }

  @Test
  void aGlobWhoseFolderVanishesIsAnErrorAndKeepsWhatItFound() throws Exception {
    Path root = Catalog.write(tmp.resolve("repo/all.yaml"), """
        apiVersion: backstage.io/v1alpha1
        kind: Location
        metadata:
          name: globbed
        spec:
          targets: [./services/*.yaml]
        """);
    Catalog.write(tmp.resolve("repo/services/a.yaml"), Catalog.component("svc-a", ""));
    Catalog.write(tmp.resolve("repo/services/b.yaml"), Catalog.component("svc-b", ""));
    try (Catalog c = Catalog.open(tmp.resolve("data"))) {
      String id = c.locations.add("file", root.toString(), false, false).location().id();
      assertNotNull(c.entity("component:default/svc-b"));

      // The folder goes (an unmounted volume, a renamed directory): the entities stay, with a reason.
      java.nio.file.Files.delete(tmp.resolve("repo/services/a.yaml"));
      java.nio.file.Files.delete(tmp.resolve("repo/services/b.yaml"));
      java.nio.file.Files.delete(tmp.resolve("repo/services"));
      c.engine.refreshSource(CatalogEngine.sourceOf(id));
      assertNotNull(c.entity("component:default/svc-a"), "kept while its folder is missing");
      assertNotNull(c.entity("component:default/svc-b"));
      List<String> status = c.statusMessages("location:default/globbed");
      assertEquals(1, status.size(), status.toString());
      assertTrue(status.get(0).startsWith("NotFoundError: ") && status.get(0).contains("does not exist"), status.get(0));

      // The folder is back with one file: the other file's entity is gone as usual, the error too.
      Catalog.write(tmp.resolve("repo/services/a.yaml"), Catalog.component("svc-a", ""));
      c.engine.refreshSource(CatalogEngine.sourceOf(id));
      assertNotNull(c.entity("component:default/svc-a"));
      assertNull(c.entity("component:default/svc-b"));
      assertEquals(List.of(), c.statusMessages("location:default/globbed"));
    }
  }

  @Test
  void optionalPresenceMakesAMissingFileSilent() {
    Path root = Catalog.write(tmp.resolve("repo/all.yaml"), """
        apiVersion: backstage.io/v1alpha1
        kind: Location
        metadata:
          name: maybe
        spec:
          presence: optional
          target: ./not-there.yaml
        """);
    try (Catalog c = Catalog.open(tmp.resolve("data"))) {
      c.locations.add("file", root.toString(), false, false);
      assertNotNull(c.entity("location:default/maybe"));
      assertEquals(List.of(), c.statusMessages("location:default/maybe"));
      assertEquals(List.of(), c.entities.processingErrors());
    }
  }

  @Test
  void locationCyclesAreReadOnce() {
    Path a = Catalog.write(tmp.resolve("a.yaml"), """
        apiVersion: backstage.io/v1alpha1
        kind: Location
        metadata:
          name: a
        spec:
          target: ./b.yaml
        """);
    Catalog.write(tmp.resolve("b.yaml"), """
        apiVersion: backstage.io/v1alpha1
        kind: Location
        metadata:
          name: b
        spec:
          target: ./a.yaml
        """);
    try (Catalog c = Catalog.open(tmp.resolve("data"))) {
      c.locations.add("file", a.toString(), false, false);
      assertNotNull(c.entity("location:default/a"));
      assertNotNull(c.entity("location:default/b"));
    }
  }

  @Test
  void placeholdersAreReplacedRelativeToTheFile() {
    Catalog.write(tmp.resolve("repo/openapi.yaml"), "openapi: 3.0.0\n");
    Catalog.write(tmp.resolve("repo/extra.json"), "{\"k\": [1, 2]}");
    Path file = Catalog.write(tmp.resolve("repo/api.yaml"), """
        apiVersion: backstage.io/v1alpha1
        kind: API
        metadata:
          name: pets
        spec:
          type: openapi
          lifecycle: production
          owner: team-a
          definition:
            $text: ./openapi.yaml
          extra:
            $json: ./extra.json
        """);
    try (Catalog c = Catalog.open(tmp.resolve("data"))) {
      c.locations.add("file", file.toString(), false, false);
      JsonNode api = c.entity("api:default/pets");
      assertEquals("openapi: 3.0.0\n", api.path("spec").path("definition").asText());
      assertEquals(2, api.path("spec").path("extra").path("k").get(1).asInt());
    }
  }

  @Test
  void reverseRelationsAreRestitchedWhenTheTargetAppearsLaterAndWhenTheSourceGoes() {
    Path comp = Catalog.write(tmp.resolve("comp.yaml"), Catalog.component("svc-a", "dependsOn: [resource:default/db]"));
    Path res = Catalog.write(tmp.resolve("res.yaml"), """
        apiVersion: backstage.io/v1alpha1
        kind: Resource
        metadata:
          name: db
        spec:
          type: database
          owner: team-a
        """);
    try (Catalog c = Catalog.open(tmp.resolve("data"))) {
      c.locations.add("file", comp.toString(), false, false);
      assertEquals(List.of("dependsOn resource:default/db", "ownedBy group:default/team-a"),
          c.relations("component:default/svc-a"));
      var resLocation = c.locations.add("file", res.toString(), false, false).location();
      assertEquals(List.of("dependencyOf component:default/svc-a", "ownedBy group:default/team-a"),
          c.relations("resource:default/db"));

      Catalog.write(comp, Catalog.component("svc-a", ""));
      c.entities.refresh("component:default/svc-a");
      assertEquals(List.of("ownedBy group:default/team-a"), c.relations("resource:default/db"));
      assertEquals(List.of("ownedBy group:default/team-a"), c.relations("component:default/svc-a"));

      c.locations.delete(resLocation.id());
      assertNull(c.entity("resource:default/db"));
    }
  }

  @Test
  void orphansAreDeletedByDefault() {
    Path file = Catalog.write(tmp.resolve("c.yaml"), Catalog.component("svc-a", "") + "---\n" + Catalog.component("svc-b", ""));
    try (Catalog c = Catalog.open(tmp.resolve("data"))) {
      c.locations.add("file", file.toString(), false, false);
      String uidA = c.entity("component:default/svc-a").path("metadata").path("uid").asText();
      Catalog.write(file, Catalog.component("svc-a", "system: shop"));
      c.entities.refresh("component:default/svc-a");
      assertNull(c.entity("component:default/svc-b"));
      JsonNode a = c.entity("component:default/svc-a");
      assertEquals(uidA, a.path("metadata").path("uid").asText(), "uid is stable across reprocessing");
      assertEquals("shop", a.path("spec").path("system").asText());
    }
  }

  @Test
  void orphansAreKeptAndMarkedWithTheKeepStrategy() {
    Path file = Catalog.write(tmp.resolve("c.yaml"), Catalog.component("svc-a", "") + "---\n" + Catalog.component("svc-b", ""));
    ProcessingSettings keep = Catalog.settings().withOrphanStrategy(OrphanStrategy.KEEP);
    try (Catalog c = Catalog.open(tmp.resolve("data"), keep)) {
      c.locations.add("file", file.toString(), false, false);
      Catalog.write(file, Catalog.component("svc-a", ""));
      c.entities.refresh("component:default/svc-a");
      JsonNode b = c.entity("component:default/svc-b");
      assertEquals("true", b.path("metadata").path("annotations").path("backstage.io/orphan").asText());
      assertTrue(c.entity("component:default/svc-a").path("metadata").path("annotations").path("backstage.io/orphan").isMissingNode());
      // deleting an orphan by uid is permanent
      c.entities.deleteByUid(b.path("metadata").path("uid").asText());
      assertNull(c.entity("component:default/svc-b"));
      // and it comes back, un-orphaned, when the file emits it again
      Catalog.write(file, Catalog.component("svc-a", "") + "---\n" + Catalog.component("svc-b", ""));
      c.entities.refresh("component:default/svc-a");
      assertTrue(c.entity("component:default/svc-b").path("metadata").path("annotations").path("backstage.io/orphan").isMissingNode());
    }
  }

  @Test
  void aRefOwnedByAnotherLocationStaysWithTheFirst() {
    Path first = Catalog.write(tmp.resolve("one.yaml"), Catalog.component("svc-a", "system: first"));
    Path second = Catalog.write(tmp.resolve("two.yaml"), Catalog.component("svc-a", "system: second"));
    try (Catalog c = Catalog.open(tmp.resolve("data"))) {
      c.locations.add("file", first.toString(), false, false);
      c.locations.add("file", second.toString(), false, false);
      assertEquals("first", c.entity("component:default/svc-a").path("spec").path("system").asText());
      List<String> messages = c.statusMessages(LocationEntities.ref("file", second.toString()));
      assertEquals(1, messages.size());
      assertTrue(messages.get(0).contains("file:" + first) && messages.get(0).contains("file:" + second), messages.get(0));
      assertTrue(messages.get(0).startsWith("ConflictError: Detected conflicting entityRef component:default/svc-a"));
    }
  }

  @Test
  void dryRunProcessesWithoutStoring() {
    Path file = Catalog.write(tmp.resolve("c.yaml"), Catalog.component("svc-a", ""));
    Path dup = Catalog.write(tmp.resolve("dup.yaml"), Catalog.component("svc-a", "") + "---\n" + Catalog.component("svc-a", ""));
    try (Catalog c = Catalog.open(tmp.resolve("data"))) {
      AddLocationResult result = c.locations.add("file", file.toString(), true, false);
      assertEquals(false, result.exists());
      assertEquals("file:" + file, result.location().id());
      assertEquals(List.of("Location", "Component"),
          result.entities().stream().map(e -> e.path("kind").asText()).toList());
      assertEquals(0, c.locations.list().size());
      assertNull(c.entity("component:default/svc-a"));
      InputException e = assertThrows(InputException.class, () -> c.locations.add("file", dup.toString(), true, false));
      assertEquals("Duplicate nested entity: component:default/svc-a", e.getMessage());
      c.locations.add("file", file.toString(), false, false);
      assertEquals(true, c.locations.add("file", file.toString(), true, false).exists());
    }
  }

  @Test
  void deletingALocationPrunesEverythingItProduced() {
    Path root = Catalog.write(tmp.resolve("root.yaml"), """
        apiVersion: backstage.io/v1alpha1
        kind: Location
        metadata:
          name: nested
        spec:
          target: ./c.yaml
        """);
    Catalog.write(tmp.resolve("c.yaml"), Catalog.component("svc-a", ""));
    Path other = Catalog.write(tmp.resolve("other.yaml"), Catalog.component("svc-b", ""));
    try (Catalog c = Catalog.open(tmp.resolve("data"))) {
      var location = c.locations.add("file", root.toString(), false, false).location();
      c.locations.add("file", other.toString(), false, false);
      c.locations.delete(location.id());
      assertNull(c.entity("component:default/svc-a"));
      assertNull(c.entity("location:default/nested"));
      assertNull(c.entity(location.entityRef()));
      assertNotNull(c.entity("component:default/svc-b"));
      assertThrows(NotFoundException.class, () -> c.locations.get(location.id()));
      assertThrows(NotFoundException.class, () -> c.locations.delete(location.id()));
    }
  }

  @Test
  void ancestryListsTheEntityThenItsParents() {
    Path root = Catalog.write(tmp.resolve("root.yaml"), """
        apiVersion: backstage.io/v1alpha1
        kind: Location
        metadata:
          name: nested
        spec:
          target: ./c.yaml
        """);
    Catalog.write(tmp.resolve("c.yaml"), Catalog.component("svc-a", ""));
    try (Catalog c = Catalog.open(tmp.resolve("data"))) {
      var location = c.locations.add("file", root.toString(), false, false).location();
      var ancestry = c.entities.ancestry("component", "default", "svc-a");
      assertEquals("component:default/svc-a", ancestry.rootEntityRef());
      assertEquals(3, ancestry.items().size());
      assertEquals(List.of("location:default/nested"), ancestry.items().get(0).parentEntityRefs());
      assertEquals(List.of(location.entityRef()), ancestry.items().get(1).parentEntityRefs());
      assertEquals(List.of(), ancestry.items().get(2).parentEntityRefs());
      assertThrows(NotFoundException.class, () -> c.entities.ancestry("component", "default", "nope"));
    }
  }
}
