package org.meshportal.catalog.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
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

  private final DataSource dataSource;
  private final AutoCloseable onClose;
  private final ReentrantLock writeLock = new ReentrantLock();
  private static final int STREAM_FETCH_SIZE = 500;

  JdbcCatalogStore(DataSource dataSource, SqlDialect dialect, AutoCloseable onClose) {
    this.dataSource = dataSource;
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
            consumer.accept(new EntityRecord(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                rs.getString(5), splitLines(rs.getString(6)), rs.getString(7), rs.getBoolean(8), rs.getBytes(9)));
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
        PreparedStatement ps = c.prepareStatement(
            "SELECT source, location, document_index, entity_ref, attached_to, name, message, level"
                + " FROM processing_errors ORDER BY source, position");
        ResultSet rs = ps.executeQuery()) {
      List<ErrorRecord> out = new ArrayList<>();
      while (rs.next()) {
        int doc = rs.getInt(3);
        Integer documentIndex = rs.wasNull() ? null : doc;
        out.add(new ErrorRecord(rs.getString(1), rs.getString(2), documentIndex, rs.getString(4), rs.getString(5),
            rs.getString(6), rs.getString(7), rs.getString(8)));
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
  public long commit(StoreBatch batch) {
    writeLock.lock();
    try (Connection c = dataSource.getConnection()) {
      c.setAutoCommit(false);
      try {
        write(c, batch);
        long generation = bumpGeneration(c);
        c.commit();
        return generation;
      } catch (SQLException | RuntimeException e) {
        c.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new StoreException("Could not commit a catalog generation", e);
    } finally {
      writeLock.unlock();
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

  private static long bumpGeneration(Connection c) throws SQLException {
    try (PreparedStatement up = c.prepareStatement("UPDATE store_generation SET generation = generation + 1 WHERE id = 1")) {
      up.executeUpdate();
    }
    try (PreparedStatement ps = c.prepareStatement("SELECT generation FROM store_generation WHERE id = 1");
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
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
