package org.meshportal.catalog.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Predicate;
import javax.sql.DataSource;
import org.meshportal.model.errors.NotFoundException;
import org.meshportal.templates.ClaimLostException;
import org.meshportal.templates.TaskEvent;
import org.meshportal.templates.TaskStore;

/**
 * Scaffolder tasks in PostgreSQL, shared by every replica on the database. A document update and
 * an event append lock the task's row first, so concurrent writers from several processes never
 * lose a change and a task's event ids are committed in id order (a reader polling "after id" can
 * never skip one). Claims are conditional UPDATEs, so exactly one process wins; staleness is judged
 * by the database's clock, not the replicas'. Event waits wake at once for appends in this process
 * and poll the database every {@code pollInterval} for appends in others. Workspaces stay on local
 * disk; their archives (for takeover) are rows of their own.
 */
public final class PostgresTaskStore implements TaskStore {
  private final DataSource dataSource;
  private final Path tasksDir;
  private final Duration pollInterval;
  private final Clock clock = Clock.systemUTC();
  private final ObjectMapper json = new ObjectMapper();
  private final ReentrantLock appended = new ReentrantLock();
  private final Condition changed = appended.newCondition();

  /**
   * Applies the task tables' migrations (under the same advisory lock as the catalog's).
   *
   * @param dataDir where workspaces go ({@code dataDir/tasks/<id>/workspace}), as with the file store
   */
  PostgresTaskStore(DataSource dataSource, Path dataDir, Duration pollInterval) {
    this.dataSource = dataSource;
    this.tasksDir = dataDir.resolve("tasks");
    this.pollInterval = pollInterval;
    try (Connection c = dataSource.getConnection()) {
      Migrations.apply(c, SqlDialect.POSTGRES, Migrations.Track.TASKS);
    } catch (SQLException e) {
      throw new StoreException("Could not prepare the scaffolder task tables", e);
    }
  }

  @Override
  public String now() {
    return clock.instant().toString();
  }

  @Override
  public boolean shared() {
    return true;
  }

  @Override
  public void create(ObjectNode doc, String owner) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("INSERT INTO scaffolder_tasks"
            + " (id, status, created_at, created_by, doc, claimed_by, heartbeat_at) VALUES (?, ?, ?, ?, ?, ?, now())")) {
      ps.setString(1, doc.get("id").asText());
      ps.setString(2, doc.path("status").asText());
      ps.setString(3, doc.path("createdAt").asText());
      ps.setString(4, doc.path("createdBy").asText(null));
      ps.setString(5, write(doc));
      ps.setString(6, owner);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException("Could not store a new task", e);
    }
  }

  @Override
  public ObjectNode doc(String id) {
    checkId(id);
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT doc FROM scaffolder_tasks WHERE id = ?")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw notFound(id);
        }
        return read(rs.getString(1));
      }
    } catch (SQLException e) {
      throw new StoreException("Could not read a task", e);
    }
  }

  @Override
  public List<ObjectNode> allDocs() {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false); // streams in fetch-size rows only inside a transaction
      try (PreparedStatement ps = c.prepareStatement("SELECT doc FROM scaffolder_tasks ORDER BY created_at, id")) {
        ps.setFetchSize(500);
        List<ObjectNode> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            out.add(read(rs.getString(1)));
          }
        }
        return out;
      } finally {
        c.rollback();
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new StoreException("Could not list tasks", e);
    }
  }

  /** Counted by the database: a metrics scrape reads no documents. */
  @Override
  public Map<String, Long> countByStatus() {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT status, count(*) FROM scaffolder_tasks GROUP BY status");
        ResultSet rs = ps.executeQuery()) {
      Map<String, Long> out = new TreeMap<>();
      while (rs.next()) {
        out.put(rs.getString(1), rs.getLong(2));
      }
      return out;
    } catch (SQLException e) {
      throw new StoreException("Could not count tasks", e);
    }
  }

  @Override
  public ObjectNode update(String id, Consumer<ObjectNode> change) {
    return update(id, null, change);
  }

  @Override
  public ObjectNode updateClaimed(String id, String owner, Consumer<ObjectNode> change) {
    return update(id, owner, change);
  }

  /** With an owner, the claim check and the write share the row lock, so no takeover slips in between. */
  private ObjectNode update(String id, String owner, Consumer<ObjectNode> change) {
    return inTransaction("Could not update a task", c -> {
      ObjectNode doc = locked(c, id, owner);
      change.accept(doc);
      try (PreparedStatement ps = c.prepareStatement(
          "UPDATE scaffolder_tasks SET doc = ?, status = ?, created_by = ? WHERE id = ?")) {
        ps.setString(1, write(doc));
        ps.setString(2, doc.path("status").asText());
        ps.setString(3, doc.path("createdBy").asText(null));
        ps.setString(4, id);
        ps.executeUpdate();
      }
      return doc.deepCopy();
    });
  }

  @Override
  public TaskEvent append(String id, String type, ObjectNode body, Boolean recoverable) {
    return append(id, null, type, body, recoverable);
  }

  @Override
  public TaskEvent appendClaimed(String id, String owner, String type, ObjectNode body, Boolean recoverable) {
    return append(id, owner, type, body, recoverable);
  }

  private TaskEvent append(String id, String owner, String type, ObjectNode body, Boolean recoverable) {
    TaskEvent event = inTransaction("Could not append a task event", c -> {
      // The row lock orders appends per task: ids are drawn and committed one writer at a time.
      locked(c, id, owner);
      String createdAt = now();
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO scaffolder_task_events"
          + " (task_id, type, body, created_at, recoverable) VALUES (?, ?, ?, ?, ?) RETURNING id")) {
        ps.setString(1, id);
        ps.setString(2, type);
        ps.setString(3, write(body));
        ps.setString(4, createdAt);
        if (recoverable == null) {
          ps.setNull(5, Types.BOOLEAN);
        } else {
          ps.setBoolean(5, recoverable);
        }
        try (ResultSet rs = ps.executeQuery()) {
          rs.next();
          return new TaskEvent(rs.getLong(1), id, type, body, createdAt, recoverable);
        }
      }
    });
    wakeWaiters();
    return event;
  }

  @Override
  public void removeEvents(String id, Predicate<TaskEvent> remove) {
    inTransaction("Could not remove task events", c -> {
      locked(c, id, null);
      List<TaskEvent> doomed = select(c, id, -1, true).stream().filter(remove).toList();
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM scaffolder_task_events WHERE id = ?")) {
        for (TaskEvent e : doomed) {
          ps.setLong(1, e.id());
          ps.addBatch();
        }
        ps.executeBatch();
      }
      return null;
    });
  }

  @Override
  public List<TaskEvent> events(String id, long after) {
    return events(id, after, true);
  }

  private List<TaskEvent> events(String id, long after, boolean includeOldCompletion) {
    checkId(id);
    try (Connection c = dataSource.getConnection()) {
      List<TaskEvent> found = select(c, id, after, includeOldCompletion);
      if (found.isEmpty()) {
        doc(id); // unknown ids are a 404, not an empty list
      }
      return found;
    } catch (SQLException e) {
      throw new StoreException("Could not read task events", e);
    }
  }

  @Override
  public List<TaskEvent> awaitEvents(String id, long after, Duration max, boolean includeOldCompletion)
      throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (true) {
      List<TaskEvent> found = events(id, after, includeOldCompletion);
      long left = deadline - System.nanoTime();
      if (!found.isEmpty() || left <= 0) {
        return found;
      }
      appended.lock();
      try {
        // Woken by an append in this process; otherwise the next poll sees other processes' appends.
        changed.await(Math.min(left, pollInterval.toNanos()), TimeUnit.NANOSECONDS);
      } finally {
        appended.unlock();
      }
    }
  }

  private void wakeWaiters() {
    appended.lock();
    try {
      changed.signalAll();
    } finally {
      appended.unlock();
    }
  }

  @Override
  public Path workspaceDir(String id) {
    return tasksDir.resolve(id).resolve("workspace");
  }

  @Override
  public boolean claim(String id, String owner, Duration stale) {
    // One statement: under concurrent claims PostgreSQL re-checks the condition on the row the
    // winner wrote, so every other claimer updates nothing.
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("UPDATE scaffolder_tasks SET claimed_by = ?, heartbeat_at = now()"
            + " WHERE id = ? AND (claimed_by IS NULL OR claimed_by = ? OR heartbeat_at IS NULL"
            + " OR heartbeat_at < now() - make_interval(secs => ?))")) {
      ps.setString(1, owner);
      ps.setString(2, id);
      ps.setString(3, owner);
      ps.setDouble(4, stale.toMillis() / 1000.0);
      return ps.executeUpdate() == 1;
    } catch (SQLException e) {
      throw new StoreException("Could not claim a task", e);
    }
  }

  @Override
  public Optional<ObjectNode> heartbeat(String id, String owner) {
    return inTransaction("Could not renew a task claim", c -> {
      Optional<ObjectNode> doc = lockedDoc(c, id, owner);
      if (doc.isPresent()) {
        doc.get().put("lastHeartbeatAt", now());
        try (PreparedStatement ps = c.prepareStatement(
            "UPDATE scaffolder_tasks SET doc = ?, heartbeat_at = now() WHERE id = ?")) {
          ps.setString(1, write(doc.get()));
          ps.setString(2, id);
          ps.executeUpdate();
        }
      }
      return doc;
    });
  }

  @Override
  public void release(String id, String owner) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("UPDATE scaffolder_tasks SET claimed_by = NULL, heartbeat_at = NULL"
            + " WHERE id = ? AND claimed_by = ?")) {
      ps.setString(1, id);
      ps.setString(2, owner);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException("Could not release a task claim", e);
    }
  }

  @Override
  public List<String> claimable(Duration stale) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT id FROM scaffolder_tasks"
            + " WHERE status IN ('open', 'processing') AND (claimed_by IS NULL OR heartbeat_at IS NULL"
            + " OR heartbeat_at < now() - make_interval(secs => ?)) ORDER BY created_at, id")) {
      ps.setDouble(1, stale.toMillis() / 1000.0);
      List<String> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          out.add(rs.getString(1));
        }
      }
      return out;
    } catch (SQLException e) {
      throw new StoreException("Could not list claimable tasks", e);
    }
  }

  @Override
  public void saveWorkspaceArchive(String id, String owner, byte[] archive) {
    inTransaction("Could not store a task workspace", c -> {
      locked(c, id, owner);
      try (PreparedStatement ps = c.prepareStatement("INSERT INTO scaffolder_task_workspaces (task_id, archive)"
          + " VALUES (?, ?) ON CONFLICT (task_id) DO UPDATE SET archive = EXCLUDED.archive")) {
        ps.setString(1, id);
        ps.setBytes(2, archive);
        ps.executeUpdate();
      }
      return null;
    });
  }

  @Override
  public Optional<byte[]> workspaceArchive(String id) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT archive FROM scaffolder_task_workspaces WHERE task_id = ?")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(rs.getBytes(1)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new StoreException("Could not read a task workspace", e);
    }
  }

  @Override
  public void deleteWorkspaceArchive(String id) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("DELETE FROM scaffolder_task_workspaces WHERE task_id = ?")) {
      ps.setString(1, id);
      ps.executeUpdate();
    } catch (SQLException e) {
      throw new StoreException("Could not delete a task workspace", e);
    }
  }

  // ------------------------------------------------------------------ internals

  private interface Work<T> {
    T run(Connection c) throws SQLException;
  }

  private <T> T inTransaction(String what, Work<T> work) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        T result = work.run(c);
        c.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new StoreException(what, e);
    }
  }

  /**
   * The document with its row locked until the transaction ends: 404 for an unknown task, and
   * {@link ClaimLostException} when {@code owner} is given and does not hold the claim.
   */
  private ObjectNode locked(Connection c, String id, String owner) throws SQLException {
    checkId(id);
    Optional<ObjectNode> doc = lockedDoc(c, id, owner);
    if (doc.isPresent()) {
      return doc.get();
    }
    if (owner != null && lockedDoc(c, id, null).isPresent()) {
      throw new ClaimLostException(id);
    }
    throw notFound(id);
  }

  /** The document, with its row locked until the transaction ends; only if {@code owner} holds it when given. */
  private Optional<ObjectNode> lockedDoc(Connection c, String id, String owner) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT doc FROM scaffolder_tasks WHERE id = ?"
        + (owner == null ? "" : " AND claimed_by = ?") + " FOR UPDATE")) {
      ps.setString(1, id);
      if (owner != null) {
        ps.setString(2, owner);
      }
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(read(rs.getString(1))) : Optional.empty();
      }
    }
  }

  private List<TaskEvent> select(Connection c, String id, long after, boolean includeOldCompletion)
      throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT id, type, body, created_at, recoverable"
        + " FROM scaffolder_task_events WHERE task_id = ? AND (id > ? OR (? AND type = 'completion')) ORDER BY id")) {
      ps.setString(1, id);
      ps.setLong(2, after);
      ps.setBoolean(3, includeOldCompletion);
      List<TaskEvent> out = new ArrayList<>();
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          boolean value = rs.getBoolean(5);
          Boolean recoverable = rs.wasNull() ? null : value; // read right after the column it is about
          out.add(new TaskEvent(rs.getLong(1), id, rs.getString(2), read(rs.getString(3)), rs.getString(4),
              recoverable));
        }
      }
      return out;
    }
  }

  /**
   * Ids come from URLs: one that no task can have is a 404 before it reaches the database, which
   * would refuse a NUL character with an error (a 500).
   */
  private static void checkId(String id) {
    if (id == null || id.isEmpty() || id.length() > 64 || id.indexOf('\0') >= 0) {
      throw notFound(id == null ? null : id.length() > 64 ? id.substring(0, 64) + "…" : id.replace("\0", "\\0"));
    }
  }

  private static NotFoundException notFound(String id) {
    return new NotFoundException("Task with id " + id + " does not exist");
  }

  private String write(ObjectNode node) {
    try {
      return json.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a task document could not be serialised", e);
    }
  }

  private ObjectNode read(String text) {
    try {
      return (ObjectNode) json.readTree(text);
    } catch (JsonProcessingException e) {
      throw new StoreException("A stored task document is not JSON", e);
    }
  }
}
