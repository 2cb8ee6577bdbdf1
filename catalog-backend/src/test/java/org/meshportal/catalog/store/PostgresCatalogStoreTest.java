package org.meshportal.catalog.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.meshportal.catalog.testing.TestPostgres;

/** The contract on PostgreSQL (a fresh database per test), and migrations when stores start together. */
class PostgresCatalogStoreTest extends CatalogStoreContract {
  private TestPostgres.Database db;

  @BeforeEach
  void database() {
    db = TestPostgres.newDatabase("store");
  }

  @AfterEach
  void dropDatabase() {
    if (db != null) {
      db.drop();
    }
  }

  @Override
  CatalogStore open() {
    return PostgresCatalogStore.open(new DatabaseSettings(db.jdbcUrl(), db.user(), db.password(), 4));
  }

  @Test
  void storesStartingTogetherMigrateOnce() throws Exception {
    int processes = 4;
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(processes);
    try {
      List<Future<CatalogStore>> opened = new ArrayList<>();
      for (int i = 0; i < processes; i++) {
        Callable<CatalogStore> start = () -> {
          go.await();
          return open();
        };
        opened.add(pool.submit(start));
      }
      go.countDown();
      List<CatalogStore> stores = new ArrayList<>();
      for (Future<CatalogStore> f : opened) {
        stores.add(f.get());
      }
      stores.get(0).commit(new StoreBatch().upsertEntity(entity(1, "s")));
      for (CatalogStore s : stores) {
        assertEquals(1, s.generation(), "every store sees the one schema and the commit");
        s.close();
      }
    } finally {
      pool.shutdownNow();
    }
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        Statement st = c.createStatement();
        ResultSet rs = st.executeQuery("SELECT COUNT(*) FROM schema_migrations")) {
      rs.next();
      assertEquals(Migrations.stepCount(), rs.getInt(1), "each migration step recorded once");
    }
  }
}
