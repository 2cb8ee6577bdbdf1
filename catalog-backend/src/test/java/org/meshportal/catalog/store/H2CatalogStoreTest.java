package org.meshportal.catalog.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The contract on the embedded H2 store, and its upgrade from the first schema. */
class H2CatalogStoreTest extends CatalogStoreContract {
  @TempDir Path dir;

  @Override
  CatalogStore open() {
    return H2CatalogStore.open(dir);
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

}
