package org.meshportal.catalog.processing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshportal.catalog.service.ProcessingError;
import org.meshportal.model.errors.NotFoundException;

class RestartAndProviderTest {
  @TempDir Path tmp;

  @Test
  void everythingSurvivesARestartAndAMatchingIndexIsReused() {
    Path file = Catalog.write(tmp.resolve("c.yaml"), Catalog.component("svc-a", "") + "---\nkind: [broken\n");
    Path data = tmp.resolve("data");
    MemoryEntityIndex index = new MemoryEntityIndex();
    String uid;
    String locationId;
    List<ProcessingError> errors;
    try (Catalog c = new Catalog(data, Catalog.settings(), index)) {
      locationId = c.locations.add("file", file.toString(), false, false).location().id();
      uid = c.entity("component:default/svc-a").path("metadata").path("uid").asText();
      errors = c.entities.processingErrors();
      assertEquals(1, errors.size());
    }
    int appliesBefore = index.applyCalls;
    int rebuildsBefore = index.replaceAllCalls;
    try (Catalog c = new Catalog(data, Catalog.settings(), index)) {
      assertEquals(rebuildsBefore, index.replaceAllCalls, "index generation matched the store: reused");
      assertEquals(appliesBefore, index.applyCalls, "nothing changed, nothing written");
      assertEquals(locationId, c.locations.list().get(0).id());
      assertEquals(errors, c.entities.processingErrors());
      // the engine state came back too: a refresh keeps the uid and changes nothing
      c.entities.refresh("component:default/svc-a");
      assertEquals(uid, c.entity("component:default/svc-a").path("metadata").path("uid").asText());
      assertEquals(appliesBefore, index.applyCalls);
    }
    MemoryEntityIndex fresh = new MemoryEntityIndex();
    try (Catalog c = new Catalog(data, Catalog.settings(), fresh)) {
      assertEquals(1, fresh.replaceAllCalls, "an index behind the store is rebuilt");
      assertEquals(uid, c.entity("component:default/svc-a").path("metadata").path("uid").asText());
      assertEquals(c.store.generation(), fresh.storeGeneration());
    }
  }

  @Test
  void theLuceneIndexIsRebuiltFromTheStoreWhenItIsLost() throws IOException {
    Path file = Catalog.write(tmp.resolve("c.yaml"), Catalog.component("svc-a", "providesApis: [pets]"));
    Path data = tmp.resolve("data");
    JsonNode before;
    try (Catalog c = Catalog.open(data)) {
      c.locations.add("file", file.toString(), false, false);
      before = c.entity("component:default/svc-a");
    }
    try (Catalog c = Catalog.open(data)) {
      assertEquals(before, c.entity("component:default/svc-a"));
    }
    try (Stream<Path> files = Files.walk(data.resolve("index"))) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    try (Catalog c = Catalog.open(data)) {
      assertEquals(before, c.entity("component:default/svc-a"));
      assertEquals(c.store.generation(), c.index.storeGeneration());
      assertEquals(List.of("providesApi api:default/pets", "ownedBy group:default/team-a").stream().sorted().toList(),
          c.relations("component:default/svc-a"));
    }
  }

  @Test
  void anIndexWhoseLastCommitLagsTheStoreIsRebuiltAtStart() throws IOException {
    Path file = Catalog.write(tmp.resolve("c.yaml"), Catalog.component("svc-a", ""));
    Path data = tmp.resolve("data");
    Path lagging = tmp.resolve("index-at-first-generation");
    try (Catalog c = Catalog.open(data)) {
      c.locations.add("file", file.toString(), false, false);
    }
    copy(data.resolve("index"), lagging);
    long storeGeneration;
    try (Catalog c = Catalog.open(data)) {
      Catalog.write(file, Catalog.component("svc-a", "").replace("name: svc-a", "name: svc-a\n  description: second"));
      c.entities.refresh("component:default/svc-a");
      assertEquals("second", c.entity("component:default/svc-a").path("metadata").path("description").asText());
      storeGeneration = c.store.generation();
    }
    // what a crash after the change became visible and before the index committed it leaves behind
    try (Stream<Path> files = Files.walk(data.resolve("index"))) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
    copy(lagging, data.resolve("index"));
    try (Catalog c = Catalog.open(data)) {
      assertEquals(storeGeneration, c.index.storeGeneration(), "rebuilt to the store's generation");
      assertEquals("second", c.entity("component:default/svc-a").path("metadata").path("description").asText());
      assertEquals(c.store.generation(), c.index.storeGeneration());
      assertEquals(2, c.index.size(), "the Location and svc-a, once each");
    }
  }

  private static void copy(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (Stream<Path> files = Files.list(from)) {
      for (Path f : files.toList()) {
        if (!f.getFileName().toString().equals("write.lock")) {
          Files.copy(f, to.resolve(f.getFileName()));
        }
      }
    }
  }

  @Test
  void configLocationsAreProcessedAtStartButNotListed() {
    Path file = Catalog.write(tmp.resolve("c.yaml"), Catalog.component("svc-a", ""));
    ProcessingSettings settings = Catalog.settings().withConfigLocations(List.of(new ConfigLocation("file", file.toString())));
    try (Catalog c = Catalog.open(tmp.resolve("data"), settings)) {
      assertNotNull(c.entity("component:default/svc-a"));
      assertEquals(List.of(), c.locations.list());
      assertThrows(NotFoundException.class, () -> c.locations.byEntity("component", "default", "svc-a"));
      var ancestry = c.entities.ancestry("component", "default", "svc-a");
      assertEquals(List.of(), ancestry.items().get(1).parentEntityRefs());
      // a config location's file change is picked up by refresh
      Catalog.write(file, Catalog.component("svc-a", "system: shop"));
      c.entities.refresh("component:default/svc-a");
      assertEquals("shop", c.entity("component:default/svc-a").path("spec").path("system").asText());
    }
  }

  private static ObjectNode group(String name, String parent) {
    ObjectNode g = Catalog.JSON.createObjectNode();
    g.put("apiVersion", "backstage.io/v1alpha1").put("kind", "Group");
    g.putObject("metadata").put("name", name)
        .putObject("annotations").put("backstage.io/managed-by-location", "url:https://git.example/" + name + ".yaml");
    ObjectNode spec = g.putObject("spec").put("type", "team");
    spec.putArray("children");
    if (parent != null) {
      spec.put("parent", parent);
    }
    return g;
  }

  @Test
  void providerSnapshotsAndDeltasReplaceWhatTheProviderEmitted() {
    try (Catalog c = Catalog.open(tmp.resolve("data"))) {
      ProcessingError bad = new ProcessingError(null, "url:https://git.example/bad.yaml", 0, null, "InputError", "broken");
      c.engine.applyProviderSnapshot("mesh", List.of(group("org", null), group("team", "org")), List.of(bad),
          Map.of("commit", "aaa"));
      assertEquals(List.of("parentOf group:default/team"), c.relations("group:default/org"));
      assertEquals(List.of("childOf group:default/org"), c.relations("group:default/team"));
      assertEquals(Set.of("provider:mesh"), Set.copyOf(c.entities.processingErrors().stream().map(ProcessingError::source).toList()));
      assertEquals("aaa", c.engine.sourceState("provider:mesh", "commit").orElseThrow());
      assertEquals(List.of(), c.entities.ancestry("group", "default", "team").items().get(0).parentEntityRefs());

      c.engine.applyProviderDelta("mesh", List.of(group("team2", "org")), List.of("group:default/team"),
          Set.of("url:https://git.example/bad.yaml"), List.of(), Map.of("commit", "bbb"));
      assertNull(c.entity("group:default/team"));
      assertEquals(List.of("parentOf group:default/team2"), c.relations("group:default/org"));
      assertEquals(List.of(), c.entities.processingErrors());
      assertEquals("bbb", c.engine.sourceState("provider:mesh", "commit").orElseThrow());

      c.engine.applyProviderSnapshot("mesh", List.of(group("org", null)), List.of(), Map.of());
      assertNull(c.entity("group:default/team2"));
      assertEquals(List.of(), c.relations("group:default/org"));
    }
  }

  @Test
  void providerEntitiesSurviveARestartAndAnIdenticalSnapshotIsNoGeneration() {
    Path data = tmp.resolve("data");
    try (Catalog c = Catalog.open(data)) {
      c.engine.applyProviderSnapshot("mesh", List.of(group("org", null)), List.of(), Map.of());
    }
    try (Catalog c = Catalog.open(data)) {
      long generation = c.store.generation();
      c.engine.applyProviderSnapshot("mesh", List.of(group("org", null)), List.of(), Map.of());
      assertEquals(generation, c.store.generation());
      assertTrue(c.entity("group:default/org").path("metadata").path("annotations").path("backstage.io/orphan").isMissingNode());
    }
  }

  @Test
  void keptOrphansStayOrphansAcrossRestarts() {
    Path data = tmp.resolve("data");
    Path file = Catalog.write(tmp.resolve("c.yaml"), Catalog.component("svc-a", "") + "---\n" + Catalog.component("svc-b", ""));
    ProcessingSettings keep = Catalog.settings().withOrphanStrategy(OrphanStrategy.KEEP);
    try (Catalog c = Catalog.open(data, keep)) {
      c.locations.add("file", file.toString(), false, false);
      Catalog.write(file, Catalog.component("svc-a", ""));
      c.entities.refresh("component:default/svc-a");
    }
    try (Catalog c = Catalog.open(data, keep)) {
      long generation = c.store.generation();
      c.entities.refresh("component:default/svc-a");
      assertEquals(generation, c.store.generation(), "an unchanged refresh after restart writes nothing");
      assertEquals("true", c.entity("component:default/svc-b").path("metadata").path("annotations").path("backstage.io/orphan").asText());
    }
  }

  @Test
  void validateEntityReportsProblemsAndAnalyzeLocationHasBackstagesShape() throws IOException {
    try (Catalog c = Catalog.open(tmp.resolve("data"))) {
      JsonNode good = Catalog.JSON.readTree("""
          {"apiVersion":"backstage.io/v1alpha1","kind":"Component","metadata":{"name":"x"},
           "spec":{"type":"service","lifecycle":"production","owner":"me"}}""");
      assertEquals(List.of(), c.entities.validate(good, "url:https://git.example/x.yaml"));
      assertEquals(1, c.entities.validate(good, "file:/x.yaml").size());
      JsonNode badRelation = Catalog.JSON.readTree("""
          {"apiVersion":"backstage.io/v1alpha1","kind":"Component","metadata":{"name":"x"},
           "spec":{"type":"service","lifecycle":"production","owner":"me","dependsOn":["nokind"]}}""");
      List<JsonNode> errors = c.entities.validate(badRelation, "url:https://git.example/x.yaml");
      assertEquals(1, errors.size());
      assertEquals("InputError", errors.get(0).path("name").asText());

      // github.com has no integration here: the sandbox refuses before anything is read.
      assertThrows(org.meshportal.model.errors.NotAllowedException.class, () -> c.entities.analyzeLocation(
          Catalog.JSON.readTree("{\"location\":{\"type\":\"url\",\"target\":\"https://github.com/acme/shop\"}}")));
      assertThrows(org.meshportal.model.errors.InputException.class, () -> c.entities.analyzeLocation(
          Catalog.JSON.readTree("{\"location\":{\"type\":\"url\",\"target\":\"not a url\"}}")));
    }
  }
}
