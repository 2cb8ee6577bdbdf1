package org.meshportal.catalog.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
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
import org.junit.jupiter.api.io.TempDir;
import org.meshportal.catalog.testing.TestPostgres;
import org.meshportal.model.errors.NotFoundException;
import org.meshportal.templates.ClaimLostException;
import org.meshportal.templates.TaskStore;

/**
 * The task store contract on PostgreSQL, where every {@link #store()} is a separate pool (as a
 * separate replica would have), plus claims between such stores.
 */
class PostgresTaskStoreTest extends TaskStoreContract {
  @TempDir Path dir;
  private TestPostgres.Database db;
  private final List<PostgresDatabase> opened = new ArrayList<>();

  @BeforeEach
  void database() {
    db = TestPostgres.newDatabase("tasks");
  }

  @AfterEach
  void dropDatabase() {
    opened.forEach(PostgresDatabase::close);
    if (db != null) {
      db.drop();
    }
  }

  @Override
  TaskStore store() {
    PostgresDatabase database = PostgresDatabase.open(new DatabaseSettings(db.jdbcUrl(), db.user(), db.password(), 4));
    opened.add(database);
    return database.taskStore(dir.resolve("replica-" + opened.size()));
  }

  private String createdBy(TaskStore store, String owner) {
    ObjectNode doc = newTask(store, null);
    store.create(doc, owner);
    return doc.get("id").asText();
  }

  /** Puts the task's last heartbeat an hour back, as if its replica died then. */
  private void heartbeatAnHourAgo(String id) throws Exception {
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        PreparedStatement ps = c.prepareStatement(
            "UPDATE scaffolder_tasks SET heartbeat_at = now() - interval '1 hour' WHERE id = ?")) {
      ps.setString(1, id);
      assertEquals(1, ps.executeUpdate());
    }
  }

  @Test
  void another_replica_can_neither_claim_nor_heartbeat_a_task_held_with_a_fresh_heartbeat() {
    TaskStore a = store();
    TaskStore b = store();
    String id = createdBy(a, "replica-a");
    assertFalse(b.claim(id, "replica-b", Duration.ofMinutes(1)));
    assertTrue(b.heartbeat(id, "replica-b").isEmpty());
    assertTrue(a.heartbeat(id, "replica-a").isPresent());
    assertFalse(b.claimable(Duration.ofMinutes(1)).contains(id));
  }

  @Test
  void a_stale_claim_is_offered_and_taken_over_and_the_old_holder_loses_it() throws Exception {
    TaskStore a = store();
    TaskStore b = store();
    String id = createdBy(a, "replica-a");
    heartbeatAnHourAgo(id);
    assertEquals(List.of(id), b.claimable(Duration.ofMinutes(1)));
    assertTrue(b.claim(id, "replica-b", Duration.ofMinutes(1)));
    assertTrue(a.heartbeat(id, "replica-a").isEmpty(), "the old holder must stop running it");
    assertTrue(b.heartbeat(id, "replica-b").isPresent());
    assertFalse(a.claimable(Duration.ofMinutes(1)).contains(id), "taken: fresh again");
  }

  @Test
  void a_holder_that_lost_its_claim_can_write_nothing_more_to_the_task() throws Exception {
    TaskStore a = store();
    TaskStore b = store();
    String id = createdBy(a, "replica-a");
    a.updateClaimed(id, "replica-a", d -> d.put("currentStep", "one"));
    a.appendClaimed(id, "replica-a", "log", body("a ran step one"), null);
    heartbeatAnHourAgo(id);
    assertTrue(b.claim(id, "replica-b", Duration.ofMinutes(1)));

    // a stalled past the timeout and wakes up: every runner write is refused and changes nothing.
    assertThrows(ClaimLostException.class, () -> a.updateClaimed(id, "replica-a", d -> d.put("currentStep", "two")));
    assertThrows(ClaimLostException.class, () -> a.appendClaimed(id, "replica-a", "log", body("a again"), null));
    assertThrows(ClaimLostException.class, () -> a.saveWorkspaceArchive(id, "replica-a", new byte[] {9}));
    assertEquals("one", b.doc(id).get("currentStep").asText());
    assertEquals(List.of("a ran step one"), b.events(id, -1).stream().map(e -> e.body().get("message").asText()).toList());
    assertTrue(b.workspaceArchive(id).isEmpty());

    b.updateClaimed(id, "replica-b", d -> d.put("currentStep", "two"));
    b.appendClaimed(id, "replica-b", "log", body("b resumed"), null);
    assertEquals("two", a.doc(id).get("currentStep").asText());
    assertThrows(NotFoundException.class, () -> b.updateClaimed("no-such-task", "replica-b", d -> {}));
  }

  @Test
  void of_many_replicas_claiming_a_stale_task_at_once_exactly_one_wins() throws Exception {
    TaskStore a = store();
    String id = createdBy(a, "dead-replica");
    heartbeatAnHourAgo(id);
    List<TaskStore> replicas = List.of(store(), store(), store());
    int claimers = 12;
    CountDownLatch go = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(claimers);
    try {
      List<Future<Boolean>> results = new ArrayList<>();
      for (int i = 0; i < claimers; i++) {
        TaskStore store = replicas.get(i % replicas.size());
        String owner = "replica-" + i;
        Callable<Boolean> claim = () -> {
          go.await();
          return store.claim(id, owner, Duration.ofMinutes(1));
        };
        results.add(pool.submit(claim));
      }
      go.countDown();
      int won = 0;
      for (Future<Boolean> f : results) {
        won += f.get() ? 1 : 0;
      }
      assertEquals(1, won);
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void a_released_task_can_be_claimed_by_any_replica_but_is_not_offered_for_takeover_once_finished() {
    TaskStore a = store();
    TaskStore b = store();
    String id = createdBy(a, "replica-a");
    a.update(id, d -> d.put("status", "completed"));
    a.release(id, "replica-a");
    assertFalse(b.claimable(Duration.ofMinutes(1)).contains(id), "finished tasks are nobody's to resume");
    assertTrue(b.claim(id, "replica-b", Duration.ofMinutes(1)), "a retry on b may take it");
    assertFalse(a.claim(id, "replica-a", Duration.ofMinutes(1)));
  }

  @Test
  void cancel_written_by_one_replica_is_read_by_the_holder_s_heartbeat() {
    TaskStore a = store();
    TaskStore b = store();
    String id = createdBy(a, "replica-a");
    b.update(id, d -> d.put("cancelRequested", true));
    assertTrue(a.heartbeat(id, "replica-a").orElseThrow().path("cancelRequested").asBoolean());
    assertTrue(b.doc(id).hasNonNull("lastHeartbeatAt"), "the heartbeat shows in the task");
  }

  @Test
  void workspace_archives_are_kept_per_task_replaced_and_deleted() {
    TaskStore a = store();
    TaskStore b = store();
    String id = createdBy(a, "replica-a");
    assertTrue(b.workspaceArchive(id).isEmpty());
    a.saveWorkspaceArchive(id, "replica-a", new byte[] {1, 2, 3});
    a.saveWorkspaceArchive(id, "replica-a", new byte[] {4, 5});
    assertArrayEquals(new byte[] {4, 5}, b.workspaceArchive(id).orElseThrow());
    b.deleteWorkspaceArchive(id);
    assertTrue(a.workspaceArchive(id).isEmpty());
  }
}
