package org.meshportal.catalog.processing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshportal.catalog.service.Location;
import org.meshportal.catalog.service.LocationPage;
import org.meshportal.indexer.lucene.LuceneEntityIndex;
import org.meshportal.model.query.EntityPredicate;

class LocationServiceQueryTest {
  @TempDir Path tmp;

  @Test
  void queryFiltersAndPagesByIdWithACursor() {
    try (Catalog c = Catalog.open(tmp.resolve("data"))) {
      for (String name : List.of("a", "b", "c", "d")) {
        Path file = Catalog.write(tmp.resolve(name + ".yaml"), Catalog.component("svc-" + name, ""));
        c.locations.add("file", file.toString(), false, false);
      }
      List<String> seen = new ArrayList<>();
      String cursor = null;
      do {
        LocationPage page = c.locations.query(new EntityPredicate.MatchAll(), 3, cursor);
        assertEquals(4, page.totalItems());
        page.items().forEach(l -> seen.add(l.id()));
        cursor = page.nextCursor();
      } while (cursor != null);
      assertEquals(c.locations.list().stream().map(Location::id).toList(), seen);

      LocationPage prefix = c.locations.query(new EntityPredicate.HasPrefix("target", tmp.resolve("b").toString()), 10, null);
      assertEquals(1, prefix.totalItems());
      assertEquals(tmp.resolve("b.yaml").toString(), prefix.items().get(0).target());
      assertNull(prefix.nextCursor());
      LocationPage none = c.locations.query(new EntityPredicate.Not(new EntityPredicate.ValueIn("type", List.of("FILE"))), 10, null);
      assertEquals(0, none.totalItems());
    }
  }

  @Test
  void updateRepointsALocation() {
    Path a = Catalog.write(tmp.resolve("a.yaml"), Catalog.component("svc-a", ""));
    Path b = Catalog.write(tmp.resolve("b.yaml"), Catalog.component("svc-b", ""));
    try (Catalog c = Catalog.open(tmp.resolve("data"))) {
      Location location = c.locations.add("file", a.toString(), false, false).location();
      Location updated = c.locations.update(location.id(), "file", b.toString());
      assertEquals(location.id(), updated.id());
      assertEquals(LocationEntities.ref("file", b.toString()), updated.entityRef());
      assertNull(c.entity("component:default/svc-a"));
      assertNull(c.entity(location.entityRef()));
      assertNotNull(c.entity("component:default/svc-b"));
    }
  }

  @Test
  void urlTargetsGoThroughTheUrlReaderAndFailWithoutOne() throws Exception {
    Map<String, String> files = Map.of(
        "https://git.example/r/catalog-info.yaml", """
            apiVersion: backstage.io/v1alpha1
            kind: Location
            metadata:
              name: remote
            spec:
              targets: [./svc.yaml]
            """,
        "https://git.example/r/svc.yaml", Catalog.component("remote-svc", ""));
    UrlReader reader = url -> Optional.ofNullable(files.get(url)).map(s -> s.getBytes(StandardCharsets.UTF_8));
    Path data = tmp.resolve("data");
    try (var store = org.meshportal.catalog.store.H2CatalogStore.open(data.resolve("store"));
        var index = LuceneEntityIndex.open(data.resolve("index"))) {
      CatalogEngine engine = new CatalogEngine(store, index, Catalog.settings(), reader, Catalog.policy(data));
      engine.start();
      CatalogLocationService locations = new CatalogLocationService(engine, store);
      locations.add("url", "https://git.example/r/catalog-info.yaml", false, false);
      JsonNode svc = Catalog.JSON.readTree(index.byRef("component:default/remote-svc").orElseThrow());
      assertEquals("url:https://git.example/r/svc.yaml",
          svc.path("metadata").path("annotations").path("backstage.io/managed-by-location").asText());
      assertEquals("url:https://git.example/r/catalog-info.yaml",
          svc.path("metadata").path("annotations").path("backstage.io/managed-by-origin-location").asText());
    }
    try (Catalog c = Catalog.open(tmp.resolve("no-reader"))) {
      c.locations.add("url", "https://git.example/r/catalog-info.yaml", false, false);
      List<String> status = c.statusMessages(LocationEntities.ref("url", "https://git.example/r/catalog-info.yaml"));
      assertEquals(1, status.size());
      assertTrue(status.get(0).contains("No reader"), status.get(0));
    }
  }
}
