package org.meshportal.catalog.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * {@link CatalogStore} over plain JDBC and portable SQL (no vendor upserts: an upsert is a
 * delete plus an insert in the same transaction), so the same class can run on PostgreSQL.
 */
final class JdbcCatalogStore implements CatalogStore {
  private static final int BATCH_SIZE = 500;

  /** Generations of change log kept; a replica further behind reloads the whole catalog. */
  static final long LOG_GENERATIONS_KEPT = 2000;

  private final DataSource dataSource;
  private final SqlDialect dialect;
  private final AutoCloseable onClose;
  private final ReentrantLock writeLock = new ReentrantLock();
  private static final int STREAM_FETCH_SIZE = 500;

  JdbcCatalogStore(DataSource dataSource, SqlDialect dialect, AutoCloseable onClose) {
    this.dataSource = dataSource;
    this.dialect = dialect;
    this.onClose = onClose;
    try (Connection c = dataSource.getConnection()) {
      Migrations.apply(c, dialect);
    } catch (SQLException e) {
      throw new StoreException("Could not prepare the catalog store schema", e);
    }
  }

  @Override
  public long generation() {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT generation FROM store_generation WHERE id = 1");
        ResultSet rs = ps.executeQuery()) {
      return rs.next() ? rs.getLong(1) : 0;
    } catch (SQLException e) {
      throw new StoreException("Could not read the store generation", e);
    }
  }

  @Override
  public List<LocationRecord> locations() {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT id, type, target FROM locations ORDER BY id");
        ResultSet rs = ps.executeQuery()) {
      List<LocationRecord> out = new ArrayList<>();
      while (rs.next()) {
        out.add(new LocationRecord(rs.getString(1), rs.getString(2), rs.getString(3)));
      }
      return out;
    } catch (SQLException e) {
      throw new StoreException("Could not read locations", e);
    }
  }

  @Override
  public Optional<LocationRecord> location(String id) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT id, type, target FROM locations WHERE id = ?")) {
      ps.setString(1, id);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(new LocationRecord(rs.getString(1), rs.getString(2), rs.getString(3))) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new StoreException("Could not read a location", e);
    }
  }

  @Override
  public void forEachEntity(Consumer<EntityRecord> consumer) {
    try (Connection c = dataSource.getConnection()) {
      // PostgreSQL streams a result in fetch-size rows only inside a transaction; without one the
      // driver would hold the whole table in memory.
      c.setAutoCommit(false);
      try (PreparedStatement ps = c.prepareStatement(
          "SELECT ref, uid, source, hash, file, parents, edges, orphan, body FROM entities")) {
        ps.setFetchSize(STREAM_FETCH_SIZE);
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            consumer.accept(entityRow(rs));
          }
        }
      } finally {
        c.rollback();
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new StoreException("Could not read entities", e);
    }
  }

  @Override
  public Map<String, byte[]> bodies(Collection<String> refs) {
    Map<String, byte[]> out = new HashMap<>();
    if (refs.isEmpty()) {
      return out;
    }
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement("SELECT body FROM entities WHERE ref = ?")) {
      for (String ref : refs) {
        ps.setString(1, ref);
        try (ResultSet rs = ps.executeQuery()) {
          if (rs.next()) {
            out.put(ref, rs.getBytes(1));
          }
        }
      }
      return out;
    } catch (SQLException e) {
      throw new StoreException("Could not read entity bodies", e);
    }
  }

  @Override
  public List<ErrorRecord> errors() {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(ERROR_COLUMNS + " ORDER BY source, position");
        ResultSet rs = ps.executeQuery()) {
      List<ErrorRecord> out = new ArrayList<>();
      while (rs.next()) {
        out.add(errorRow(rs));
      }
      return out;
    } catch (SQLException e) {
      throw new StoreException("Could not read processing errors", e);
    }
  }

  @Override
  public Optional<String> sourceState(String source, String key) {
    try (Connection c = dataSource.getConnection();
        PreparedStatement ps = c.prepareStatement(
            "SELECT state_value FROM source_state WHERE source = ? AND state_key = ?")) {
      ps.setString(1, source);
      ps.setString(2, key);
      try (ResultSet rs = ps.executeQuery()) {
        return rs.next() ? Optional.ofNullable(rs.getString(1)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw new StoreException("Could not read source state", e);
    }
  }

  @Override
  public boolean sharedByReplicas() {
    return dialect.keepsChangeLog();
  }

  @Override
  public long commit(StoreBatch batch, long expectedGeneration, WriteFence fence) {
    writeLock.lock();
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        return commitOn(c, batch, expectedGeneration, fence);
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      } finally {
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new StoreException("Could not commit a catalog generation", e);
    } finally {
      writeLock.unlock();
    }
  }

  private long commitOn(Connection c, StoreBatch batch, long expectedGeneration, WriteFence fence) throws SQLException {
    if (fence != null) {
      checkFence(c, fence);
    }
    // The generation row is updated first: its row lock orders concurrent writers of every
    // process, and the expected-generation check refuses a writer whose view is stale.
    long generation = bumpGeneration(c, expectedGeneration);
    write(c, batch);
    if (dialect.keepsChangeLog()) {
      logChanges(c, generation, batch);
    }
    c.commit();
    return generation;
  }

  /** How long a write waits for another process's write before it gives up. */
  private static final String WRITE_WAIT = "60s";
  /**
   * How long a write may hold the others off without talking to the database (reading its
   * input); past it the database ends the write, so a stalled process cannot block the rest.
   */
  private static final String WRITE_IDLE_LIMIT = "300s";

  @Override
  public WriteSession beginWrite() {
    if (!dialect.keepsChangeLog()) {
      return CatalogStore.super.beginWrite();
    }
    Connection c;
    try {
      c = dataSource.getConnection();
    } catch (SQLException e) {
      throw new StoreException("Could not start a catalog write", e);
    }
    try {
      c.setAutoCommit(false);
      try (Statement st = c.createStatement()) {
        st.execute("SET LOCAL lock_timeout = '" + WRITE_WAIT + "'");
        st.execute("SET LOCAL idle_in_transaction_session_timeout = '" + WRITE_IDLE_LIMIT + "'");
        // The generation row, locked until this write commits or ends: writers of all replicas
        // take turns, each from the newest generation.
        st.execute("SELECT generation FROM store_generation WHERE id = 1 FOR UPDATE");
      }
    } catch (SQLException e) {
      closeQuietly(c);
      throw new StoreException("Could not start a catalog write (another replica's write did not end within "
          + WRITE_WAIT + ")", e);
    }
    return new WriteSession() {
      private boolean done;

      @Override
      public long commit(StoreBatch batch, long expectedGeneration, WriteFence fence) {
        if (done) {
          throw new IllegalStateException("a write session commits once");
        }
        done = true;
        try {
          return commitOn(c, batch, expectedGeneration, fence);
        } catch (SQLException e) {
          throw new StoreException("Could not commit a catalog generation", e);
        }
      }

      @Override
      public void close() {
        closeQuietly(c);
      }
    };
  }

  /** Rolls back whatever is open and returns the connection to the pool. */
  private static void closeQuietly(Connection c) {
    try {
      try {
        if (!c.getAutoCommit()) {
          c.rollback();
          c.setAutoCommit(true);
        }
      } finally {
        c.close();
      }
    } catch (SQLException e) {
      // a broken connection: the pool discards it, and the database ends its transaction
    }
  }

  private static void checkFence(Connection c, WriteFence fence) throws SQLException {
    // FOR SHARE holds off a takeover (an UPDATE of the lease row) until this commit is done.
    try (PreparedStatement ps = c.prepareStatement("SELECT 1 FROM catalog_lease WHERE name = ? AND holder = ?"
        + " AND epoch = ? AND expires_at > CURRENT_TIMESTAMP FOR SHARE")) {
      ps.setString(1, CatalogLease.CATALOG);
      ps.setString(2, fence.holder());
      ps.setLong(3, fence.epoch());
      try (ResultSet rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw new StaleGenerationException("The catalog lease of term " + fence.epoch() + " is no longer held by "
              + fence.holder());
        }
      }
    }
  }

  /** Records which entities and which sources' errors the generation changed, and wakes the followers. */
  private static void logChanges(Connection c, long generation, StoreBatch batch) throws SQLException {
    java.util.Set<String> refs = new java.util.LinkedHashSet<>(batch.entityDeletes());
    batch.entityUpserts().forEach(e -> refs.add(e.ref()));
    batch.entityInserts().forEach(e -> refs.add(e.ref()));
    java.util.Set<String> sources = new java.util.LinkedHashSet<>(batch.sourceDeletes());
    sources.addAll(batch.errorReplacements().keySet());
    List<String[]> rows = new ArrayList<>(refs.size() + sources.size());
    refs.forEach(r -> rows.add(new String[] {"e", r}));
    sources.forEach(src -> rows.add(new String[] {"s", src}));
    inBatches(c, "INSERT INTO catalog_changes (generation, kind, item_key) VALUES (?, ?, ?)", rows, (ps, row) -> {
      ps.setLong(1, generation);
      ps.setString(2, row[0]);
      ps.setString(3, row[1]);
    });
    if (generation % 64 == 0 && generation > LOG_GENERATIONS_KEPT) {
      long floor = generation - LOG_GENERATIONS_KEPT;
      try (PreparedStatement ps = c.prepareStatement("DELETE FROM catalog_changes WHERE generation <= ?")) {
        ps.setLong(1, floor);
        ps.executeUpdate();
      }
      try (PreparedStatement ps = c.prepareStatement("UPDATE store_generation SET log_floor = ? WHERE id = 1")) {
        ps.setLong(1, floor);
        ps.executeUpdate();
      }
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT pg_notify(?, ?)")) {
      ps.setString(1, PostgresNotifications.CATALOG_CHANNEL);
      ps.setString(2, Long.toString(generation));
      ps.execute();
    }
  }

  @Override
  public long snapshot(boolean withBodies, Consumer<EntityRecord> entities, Consumer<ErrorRecord> errors) {
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      // One snapshot for the generation, the entities and the errors (PostgreSQL's READ COMMITTED
      // would give each statement its own).
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      try {
        long generation = readGeneration(c)[0];
        String body = withBodies ? "body" : "NULL";
        try (PreparedStatement ps = c.prepareStatement(
            "SELECT ref, uid, source, hash, file, parents, edges, orphan, " + body + " FROM entities")) {
          ps.setFetchSize(STREAM_FETCH_SIZE);
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              entities.accept(entityRow(rs));
            }
          }
        }
        try (PreparedStatement ps = c.prepareStatement(ERROR_COLUMNS + " ORDER BY source, position");
            ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            errors.accept(errorRow(rs));
          }
        }
        return generation;
      } finally {
        c.rollback();
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new StoreException("Could not read the catalog", e);
    }
  }

  @Override
  public Optional<ChangeBatch> changesSince(long since) {
    if (!dialect.keepsChangeLog()) {
      return Optional.empty();
    }
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      c.setTransactionIsolation(Connection.TRANSACTION_REPEATABLE_READ);
      try {
        long[] generationAndFloor = readGeneration(c);
        long generation = generationAndFloor[0];
        if (since < generationAndFloor[1] || since > generation) {
          return Optional.empty();
        }
        java.util.Set<String> refs = new java.util.LinkedHashSet<>();
        java.util.Set<String> sources = new java.util.LinkedHashSet<>();
        try (PreparedStatement ps = c.prepareStatement("SELECT kind, item_key FROM catalog_changes"
            + " WHERE generation > ? AND generation <= ? ORDER BY generation")) {
          ps.setLong(1, since);
          ps.setLong(2, generation);
          ps.setFetchSize(STREAM_FETCH_SIZE);
          try (ResultSet rs = ps.executeQuery()) {
            while (rs.next()) {
              (rs.getString(1).equals("e") ? refs : sources).add(rs.getString(2));
            }
          }
        }
        List<EntityRecord> upserts = new ArrayList<>();
        java.util.Set<String> found = new HashSet<>();
        forChunks(c, "SELECT ref, uid, source, hash, file, parents, edges, orphan, body FROM entities WHERE ref IN",
            "", refs, rs -> {
              EntityRecord r = entityRow(rs);
              upserts.add(r);
              found.add(r.ref());
            });
        List<String> deletes = refs.stream().filter(r -> !found.contains(r)).toList();
        Map<String, List<ErrorRecord>> errors = new java.util.LinkedHashMap<>();
        sources.forEach(src -> errors.put(src, new ArrayList<>()));
        // every row of one source comes from the one chunk that names it, in insertion order
        forChunks(c, ERROR_COLUMNS + " WHERE source IN", " ORDER BY source, position", sources, rs -> {
          ErrorRecord e = errorRow(rs);
          errors.get(e.source()).add(e);
        });
        errors.replaceAll((src, list) -> List.copyOf(list));
        return Optional.of(new ChangeBatch(generation, upserts, deletes, errors));
      } finally {
        c.rollback();
        c.setAutoCommit(true);
      }
    } catch (SQLException e) {
      throw new StoreException("Could not read the catalog change log", e);
    }
  }

  private static final String ERROR_COLUMNS =
      "SELECT source, location, document_index, entity_ref, attached_to, name, message, level, position"
          + " FROM processing_errors";

  /** Reads one row's columns into a value; may throw. */
  private interface RowReader {
    void read(ResultSet rs) throws SQLException;
  }

  /** Runs {@code sqlPrefix (?, ?, …) sqlSuffix} for the keys, {@link #BATCH_SIZE} at a time. */
  private static void forChunks(Connection c, String sqlPrefix, String sqlSuffix, java.util.Collection<String> keys,
      RowReader reader)
      throws SQLException {
    List<String> all = new ArrayList<>(keys);
    for (int from = 0; from < all.size(); from += BATCH_SIZE) {
      List<String> chunk = all.subList(from, Math.min(all.size(), from + BATCH_SIZE));
      String marks = String.join(", ", java.util.Collections.nCopies(chunk.size(), "?"));
      String sql = sqlPrefix + " (" + marks + ")" + sqlSuffix;
      try (PreparedStatement ps = c.prepareStatement(sql)) {
        for (int i = 0; i < chunk.size(); i++) {
          ps.setString(i + 1, chunk.get(i));
        }
        try (ResultSet rs = ps.executeQuery()) {
          while (rs.next()) {
            reader.read(rs);
          }
        }
      }
    }
  }

  private static EntityRecord entityRow(ResultSet rs) throws SQLException {
    byte[] body = rs.getBytes(9);
    return new EntityRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4), rs.getString(5),
        splitLines(rs.getString(6)), rs.getString(7), rs.getBoolean(8), body == null ? new byte[0] : body);
  }

  private static ErrorRecord errorRow(ResultSet rs) throws SQLException {
    int doc = rs.getInt(3);
    Integer documentIndex = rs.wasNull() ? null : doc;
    return new ErrorRecord(rs.getString(1), rs.getString(2), documentIndex, rs.getString(4), rs.getString(5),
        rs.getString(6), rs.getString(7), rs.getString(8));
  }

  /** The generation and the oldest generation the change log still reaches back to. */
  private static long[] readGeneration(Connection c) throws SQLException {
    try (PreparedStatement ps = c.prepareStatement("SELECT generation, log_floor FROM store_generation WHERE id = 1");
        ResultSet rs = ps.executeQuery()) {
      return rs.next() ? new long[] {rs.getLong(1), rs.getLong(2)} : new long[] {0, 0};
    }
  }

  private static void write(Connection c, StoreBatch batch) throws SQLException {
    List<String> locationIds = new ArrayList<>(batch.locationDeletes());
    batch.locationUpserts().forEach(l -> locationIds.add(l.id()));
    deleteByKey(c, "DELETE FROM locations WHERE id = ?", locationIds);
    inBatches(c, "INSERT INTO locations (id, type, target) VALUES (?, ?, ?)", batch.locationUpserts(), (ps, l) -> {
      ps.setString(1, l.id());
      ps.setString(2, l.type());
      ps.setString(3, l.target());
    });

    List<String> refs = new ArrayList<>(batch.entityDeletes());
    batch.entityUpserts().forEach(e -> refs.add(e.ref()));
    deleteByKey(c, "DELETE FROM entities WHERE ref = ?", refs);
    List<EntityRecord> rows = new ArrayList<>(batch.entityUpserts());
    rows.addAll(batch.entityInserts());
    inBatches(c, "INSERT INTO entities (ref, uid, source, hash, file, parents, edges, orphan, body)"
        + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows, (ps, e) -> {
          ps.setString(1, e.ref());
          ps.setString(2, e.uid());
          ps.setString(3, e.source());
          ps.setString(4, e.hash());
          ps.setString(5, e.file());
          ps.setString(6, String.join("\n", e.parents()));
          ps.setString(7, e.edges());
          ps.setBoolean(8, e.orphan());
          ps.setBytes(9, e.body());
        });

    List<String> clearedSources = new ArrayList<>(batch.sourceDeletes());
    clearedSources.addAll(batch.errorReplacements().keySet());
    deleteByKey(c, "DELETE FROM processing_errors WHERE source = ?", clearedSources);
    List<PositionedError> errors = new ArrayList<>();
    batch.errorReplacements().forEach((source, list) -> {
      for (int i = 0; i < list.size(); i++) {
        errors.add(new PositionedError(source, i, list.get(i)));
      }
    });
    inBatches(c, "INSERT INTO processing_errors (source, position, location, document_index, entity_ref, attached_to,"
        + " name, message, level) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", errors, (ps, p) -> {
          ErrorRecord e = p.error();
          ps.setString(1, p.source());
          ps.setInt(2, p.position());
          ps.setString(3, e.location());
          if (e.documentIndex() == null) {
            ps.setNull(4, Types.INTEGER);
          } else {
            ps.setInt(4, e.documentIndex());
          }
          ps.setString(5, e.entityRef());
          ps.setString(6, e.attachedTo());
          ps.setString(7, e.name());
          ps.setString(8, e.message());
          ps.setString(9, e.levelOrError());
        });

    deleteByKey(c, "DELETE FROM source_state WHERE source = ?", batch.sourceDeletes());
    List<String[]> states = new ArrayList<>();
    batch.sourceStates().forEach((source, values) -> values.forEach((k, v) -> states.add(new String[] {source, k, v})));
    inBatches(c, "DELETE FROM source_state WHERE source = ? AND state_key = ?", states, (ps, kv) -> {
      ps.setString(1, kv[0]);
      ps.setString(2, kv[1]);
    });
    inBatches(c, "INSERT INTO source_state (source, state_key, state_value) VALUES (?, ?, ?)", states, (ps, kv) -> {
      ps.setString(1, kv[0]);
      ps.setString(2, kv[1]);
      ps.setString(3, kv[2]);
    });
  }

  private record PositionedError(String source, int position, ErrorRecord error) {}

  /** Sets one row's parameters. */
  private interface RowBinder<T> {
    void bind(PreparedStatement ps, T row) throws SQLException;
  }

  /** Runs {@code sql} once per row, sent to the database {@link #BATCH_SIZE} rows at a time. */
  private static <T> void inBatches(Connection c, String sql, List<T> rows, RowBinder<T> binder) throws SQLException {
    if (rows.isEmpty()) {
      return;
    }
    try (PreparedStatement ps = c.prepareStatement(sql)) {
      int pending = 0;
      for (T row : rows) {
        binder.bind(ps, row);
        ps.addBatch();
        if (++pending == BATCH_SIZE) {
          ps.executeBatch();
          pending = 0;
        }
      }
      if (pending > 0) {
        ps.executeBatch();
      }
    }
  }

  private static void deleteByKey(Connection c, String sql, List<String> keys) throws SQLException {
    inBatches(c, sql, keys, (ps, key) -> ps.setString(1, key));
  }

  private static long bumpGeneration(Connection c, long expected) throws SQLException {
    String sql = "UPDATE store_generation SET generation = generation + 1 WHERE id = 1"
        + (expected >= 0 ? " AND generation = ?" : "");
    try (PreparedStatement up = c.prepareStatement(sql)) {
      if (expected >= 0) {
        up.setLong(1, expected);
      }
      if (up.executeUpdate() == 0) {
        throw new StaleGenerationException("The catalog moved past generation " + expected);
      }
    }
    return readGeneration(c)[0];
  }

  private static List<String> splitLines(String s) {
    if (s == null || s.isEmpty()) {
      return List.of();
    }
    return List.of(s.split("\n"));
  }

  @Override
  public void close() {
    try {
      onClose.close();
    } catch (Exception e) {
      throw new StoreException("Could not close the catalog store", e);
    }
  }
}
