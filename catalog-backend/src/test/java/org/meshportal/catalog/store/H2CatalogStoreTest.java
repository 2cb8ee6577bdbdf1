package org.meshportal.catalog.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class H2CatalogStoreTest {
  @TempDir Path dir;

  private static EntityRecord entity(int i, String source) {
    String body = "{\"kind\":\"Component\",\"metadata\":{\"name\":\"c-" + i + "\"},\"spec\":{\"pad\":\"" + "x".repeat(900) + "\"}}";
    return new EntityRecord("component:default/c-" + i, "uid-" + i, source, "hash-" + i, "file:/c.yaml",
        List.of("location:default/root"), "ownedBy\tgroup:default/team\townerOf\n", false, body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aBatchIsOneGenerationAndSurvivesReopening() {
    try (CatalogStore store = H2CatalogStore.open(dir)) {
      assertEquals(0, store.generation());
      long g = store.commit(new StoreBatch()
          .upsertLocation(new LocationRecord("id-1", "file", "/c.yaml"))
          .upsertEntity(entity(1, "location:id-1"))
          .upsertEntity(entity(2, "location:id-1"))
          .replaceErrors("location:id-1", List.of(
              new ErrorRecord("location:id-1", "file:/bad.yaml", 0, null, "location:default/root", "InputError", "bad")))
          .putSourceState("location:id-1", "commit", "abc"));
      assertEquals(1, g);
      store.commit(new StoreBatch().deleteEntity("component:default/c-2").upsertEntity(entity(1, "location:id-1")));
    }
    try (CatalogStore store = H2CatalogStore.open(dir)) {
      assertEquals(2, store.generation());
      assertEquals(List.of(new LocationRecord("id-1", "file", "/c.yaml")), store.locations());
      List<EntityRecord> all = new ArrayList<>();
      store.forEachEntity(all::add);
      assertEquals(1, all.size());
      EntityRecord e = all.get(0);
      assertEquals(List.of("location:default/root"), e.parents());
      assertEquals("ownedBy\tgroup:default/team\townerOf\n", e.edges());
      assertArrayEquals(entity(1, "x").body(), store.bodies(List.of(e.ref())).get(e.ref()));
      assertEquals(1, store.errors().size());
      assertEquals(0, store.errors().get(0).documentIndex());
      assertEquals(Optional.of("abc"), store.sourceState("location:id-1", "commit"));

      store.commit(new StoreBatch().deleteLocation("id-1").deleteSource("location:id-1").deleteEntity(e.ref()));
      assertEquals(List.of(), store.locations());
      assertEquals(List.of(), store.errors());
      assertEquals(Optional.empty(), store.sourceState("location:id-1", "commit"));
      assertEquals(Map.of(), store.bodies(List.of(e.ref())));
    }
  }

  @Test
  void aStoreOfTheFirstSchemaIsUpgradedWithItsEntities() throws Exception {
    String url = "jdbc:h2:file:" + dir.toAbsolutePath().resolve("catalog");
    try (Connection c = DriverManager.getConnection(url, "sa", ""); Statement st = c.createStatement()) {
      st.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)");
      st.execute("INSERT INTO schema_migrations VALUES (1, 0)");
      st.execute("CREATE TABLE store_generation (id INTEGER PRIMARY KEY, generation BIGINT NOT NULL)");
      st.execute("INSERT INTO store_generation VALUES (1, 7)");
      st.execute("CREATE TABLE locations (id VARCHAR(64) PRIMARY KEY, type VARCHAR(64) NOT NULL, target CHARACTER VARYING NOT NULL)");
      st.execute("CREATE TABLE entities (ref VARCHAR(1024) PRIMARY KEY, uid VARCHAR(64) NOT NULL UNIQUE,"
          + " source VARCHAR(1024) NOT NULL, hash VARCHAR(64) NOT NULL, file CHARACTER VARYING,"
          + " parents CHARACTER VARYING NOT NULL, edges CHARACTER VARYING NOT NULL, orphan BOOLEAN NOT NULL, body VARBINARY NOT NULL)");
      st.execute("CREATE INDEX entities_source ON entities (source)");
      st.execute("CREATE TABLE processing_errors (source VARCHAR(1024) NOT NULL, position INTEGER NOT NULL,"
          + " location CHARACTER VARYING, document_index INTEGER, entity_ref VARCHAR(1024), attached_to VARCHAR(1024),"
          + " name VARCHAR(256) NOT NULL, message CHARACTER VARYING NOT NULL, PRIMARY KEY (source, position))");
      st.execute("CREATE TABLE source_state (source VARCHAR(1024) NOT NULL, state_key VARCHAR(256) NOT NULL,"
          + " state_value CHARACTER VARYING, PRIMARY KEY (source, state_key))");
      st.execute("INSERT INTO entities VALUES ('component:default/old', 'uid-old', 'location:id-1', 'h', NULL, 'p', '', FALSE,"
          + " CAST(X'7b7d' AS VARBINARY))");
    }
    try (CatalogStore store = H2CatalogStore.open(dir)) {
      assertEquals(7, store.generation());
      List<EntityRecord> read = new ArrayList<>();
      store.forEachEntity(read::add);
      assertEquals(1, read.size());
      assertEquals("uid-old", read.get(0).uid());
      assertEquals(List.of("p"), read.get(0).parents());
      assertArrayEquals("{}".getBytes(StandardCharsets.UTF_8), read.get(0).body());
      store.commit(new StoreBatch().upsertEntity(entity(1, "location:id-1")));
      List<String> refs = new ArrayList<>();
      store.forEachEntity(r -> refs.add(r.ref()));
      assertEquals(List.of("component:default/c-1", "component:default/old"), refs.stream().sorted().toList());
    }
  }

  @Test
  void aFailedBatchChangesNothing() {
    try (CatalogStore store = H2CatalogStore.open(dir)) {
      store.commit(new StoreBatch().upsertEntity(entity(1, "a")));
      // an insert of a ref that is stored already violates the primary key: the whole batch rolls back
      assertThrows(StoreException.class, () -> store.commit(new StoreBatch().upsertEntity(entity(2, "a")).insertEntity(entity(1, "a"))));
      assertEquals(1, store.generation());
      List<EntityRecord> all = new ArrayList<>();
      store.forEachEntity(all::add);
      assertEquals(1, all.size());
    }
  }

  @Test
  void tenThousandEntitiesAreWrittenInOneFastBatch() {
    try (CatalogStore store = H2CatalogStore.open(dir)) {
      store.commit(new StoreBatch().upsertEntity(entity(-1, "warm-up")));
      StoreBatch batch = new StoreBatch();
      for (int i = 0; i < 10_000; i++) {
        batch.insertEntity(entity(i, "location:big"));
      }
      long start = System.nanoTime();
      store.commit(batch);
      long ms = (System.nanoTime() - start) / 1_000_000;
      System.out.println("BENCH store: 10000 entities committed in " + ms + " ms");
      // generous bound: the machine running tests is shared; the figure above is what matters
      assertTrue(ms < 5_000, "took " + ms + " ms");
      int[] count = {0};
      store.forEachEntity(e -> count[0]++);
      assertEquals(10_001, count[0]);
    }
  }
}
