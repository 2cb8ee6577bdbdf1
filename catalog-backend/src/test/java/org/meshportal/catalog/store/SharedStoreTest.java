package org.meshportal.catalog.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.meshportal.catalog.store.CatalogStoreContract.entity;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.meshportal.catalog.testing.LoopbackHttp;
import org.meshportal.catalog.testing.TestPostgres;

/**
 * What replicas sharing one PostgreSQL store rely on: the change log a follower reads, the
 * expected-generation check that orders writers of different processes, and the lease fence
 * that keeps a stalled leader from committing after another replica took over.
 */
class SharedStoreTest {
  private TestPostgres.Database db;
  private PostgresDatabase one;
  private PostgresDatabase two;

  @BeforeEach
  void open() {
    db = TestPostgres.newDatabase("shared");
    DatabaseSettings settings = new DatabaseSettings(db.jdbcUrl(), db.user(), db.password(), 4);
    one = PostgresDatabase.open(settings);
    two = PostgresDatabase.open(settings);
  }

  @AfterEach
  void close() {
    if (one != null) {
      one.close();
      two.close();
    }
    if (db != null) {
      db.drop();
    }
  }

  @Test
  void a_follower_reads_what_changed_after_its_generation_from_the_log() {
    CatalogStore writer = one.catalogStore();
    CatalogStore follower = two.catalogStore();
    assertTrue(follower.sharedByReplicas());
    long g1 = writer.commit(new StoreBatch().upsertEntity(entity(1, "s")).upsertEntity(entity(2, "s"))
        .replaceErrors("s", List.of(new ErrorRecord("s", "file:/x.yaml", 0, null, null, "InputError", "bad"))));
    long g2 = writer.commit(new StoreBatch().deleteEntity(entity(2, "s").ref()).upsertEntity(entity(3, "t"))
        .replaceErrors("s", List.of()));

    ChangeBatch all = follower.changesSince(0).orElseThrow();
    assertEquals(g2, all.generation());
    assertEquals(List.of("component:default/c-1", "component:default/c-3"),
        all.upserts().stream().map(EntityRecord::ref).sorted().toList());
    assertEquals(List.of("component:default/c-2"), all.deletes());
    assertEquals(Map.of("s", List.of()), all.errors(), "the source's errors as they are now");

    ChangeBatch last = follower.changesSince(g1).orElseThrow();
    assertEquals(List.of("component:default/c-3"), last.upserts().stream().map(EntityRecord::ref).toList());
    assertEquals(List.of("component:default/c-2"), last.deletes());

    ChangeBatch none = follower.changesSince(g2).orElseThrow();
    assertTrue(none.upserts().isEmpty() && none.deletes().isEmpty() && none.errors().isEmpty());
    assertEquals(Optional.empty(), follower.changesSince(g2 + 5), "a generation the store never had: reload");
  }

  @Test
  void a_generation_before_the_log_starts_means_reload() throws Exception {
    CatalogStore store = one.catalogStore();
    store.commit(new StoreBatch().upsertEntity(entity(1, "s")));
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        Statement st = c.createStatement()) {
      st.execute("UPDATE store_generation SET log_floor = 1"); // as after pruning
    }
    assertEquals(Optional.empty(), store.changesSince(0));
    assertTrue(store.changesSince(1).isPresent());
  }

  @Test
  void a_writer_that_has_not_seen_the_newest_generation_is_refused_and_nothing_is_written() {
    CatalogStore a = one.catalogStore();
    CatalogStore b = two.catalogStore();
    long seen = a.generation();
    b.commit(new StoreBatch().upsertEntity(entity(1, "s")), seen, null);
    assertThrows(StaleGenerationException.class,
        () -> a.commit(new StoreBatch().upsertEntity(entity(2, "s")), seen, null));
    assertTrue(a.bodies(List.of(entity(2, "s").ref())).isEmpty());
    assertEquals(seen + 1, a.generation());
    assertEquals(seen + 2, a.commit(new StoreBatch().upsertEntity(entity(2, "s")), seen + 1, null));
  }

  @Test
  void writers_of_two_processes_take_turns_each_from_the_newest_generation() throws Exception {
    CatalogStore a = one.catalogStore();
    CatalogStore b = two.catalogStore();
    long start = a.generation();
    java.util.concurrent.CompletableFuture<Long> second;
    try (CatalogStore.WriteSession first = a.beginWrite()) {
      second = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
        try (CatalogStore.WriteSession s = b.beginWrite()) {
          long seen = b.generation(); // read once the turn came: the first writer's commit is in
          return s.commit(new StoreBatch().upsertEntity(entity(2, "s")), seen, null);
        }
      });
      LoopbackHttp.awaitTrue(() -> waitingLocks() > 0, "the second writer waits for the first");
      assertFalse(second.isDone());
      assertEquals(start + 1, first.commit(new StoreBatch().upsertEntity(entity(1, "s")), start, null));
    }
    assertEquals(start + 2, second.get(), "the second writer committed after the first, from its generation");
    assertEquals(2, a.changesSince(start).orElseThrow().upserts().size());
  }

  private long waitingLocks() {
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        Statement st = c.createStatement();
        java.sql.ResultSet rs = st.executeQuery("SELECT count(*) FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid WHERE NOT l.granted AND a.datname = current_database()")) {
      rs.next();
      return rs.getLong(1);
    } catch (java.sql.SQLException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void one_holder_at_a_time_and_a_lost_term_cannot_commit() {
    CatalogLease first = one.catalogLease("first", Duration.ofMillis(300));
    CatalogLease second = two.catalogLease("second", Duration.ofSeconds(30));
    OptionalLong term = first.acquireOrRenew();
    assertTrue(term.isPresent());
    assertEquals(term, first.acquireOrRenew(), "a renewal within the term keeps it");
    assertEquals("first", second.currentHolder());

    // The first holder stalls; once its lease has expired the second one takes over.
    OptionalLong taken = LoopbackHttp.await(() -> {
      OptionalLong t = second.acquireOrRenew();
      return t.isPresent() ? t : null;
    }, "the second replica takes the expired lease");
    assertTrue(taken.getAsLong() > term.getAsLong(), "a new term");
    assertFalse(first.acquireOrRenew().isPresent(), "the first cannot take it back while the second renews");

    CatalogStore store = one.catalogStore();
    long generation = store.generation();
    WriteFence stale = new WriteFence("first", term.getAsLong());
    assertThrows(StaleGenerationException.class,
        () -> store.commit(new StoreBatch().upsertEntity(entity(9, "provider:x")), generation, stale));
    assertEquals(generation, store.generation(), "nothing committed under the lost term");
    assertEquals(generation + 1, store.commit(new StoreBatch().upsertEntity(entity(9, "provider:x")), generation,
        new WriteFence("second", taken.getAsLong())));

    second.release(taken.getAsLong());
    assertEquals(null, second.currentHolder(), "released at a clean stop: nobody waits for it to expire");
  }
}
