package org.meshportal.catalog.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Versioned schema. Each step runs once, inside a transaction, and is recorded in
 * {@code schema_migrations}; new steps are appended, never edited.
 */
final class Migrations {
  private static final List<List<String>> STEPS = List.of(
      List.of(
          "CREATE TABLE store_generation (id INTEGER PRIMARY KEY, generation BIGINT NOT NULL)",
          "INSERT INTO store_generation (id, generation) VALUES (1, 0)",
          "CREATE TABLE locations (id VARCHAR(64) PRIMARY KEY, type VARCHAR(64) NOT NULL, target ${text} NOT NULL)",
          "CREATE TABLE entities (ref VARCHAR(1024) PRIMARY KEY, uid VARCHAR(64) NOT NULL UNIQUE,"
              + " source VARCHAR(1024) NOT NULL, hash VARCHAR(64) NOT NULL, file ${text},"
              + " parents ${text} NOT NULL, edges ${text} NOT NULL, orphan BOOLEAN NOT NULL, body ${binary} NOT NULL)",
          "CREATE INDEX entities_source ON entities (source)",
          "CREATE TABLE processing_errors (source VARCHAR(1024) NOT NULL, position INTEGER NOT NULL,"
              + " location ${text}, document_index INTEGER, entity_ref VARCHAR(1024), attached_to VARCHAR(1024),"
              + " name VARCHAR(256) NOT NULL, message ${text} NOT NULL, PRIMARY KEY (source, position))",
          "CREATE TABLE source_state (source VARCHAR(1024) NOT NULL, state_key VARCHAR(256) NOT NULL,"
              + " state_value ${text}, PRIMARY KEY (source, state_key))"),
      // Nothing looks entities up by uid or source, and uids are random UUIDs the engine assigns:
      // the unique constraint and the source index only cost every insert two more B-tree writes.
      List.of(
          "CREATE TABLE entities_v2 (ref VARCHAR(1024) PRIMARY KEY, uid VARCHAR(64) NOT NULL,"
              + " source VARCHAR(1024) NOT NULL, hash VARCHAR(64) NOT NULL, file ${text},"
              + " parents ${text} NOT NULL, edges ${text} NOT NULL, orphan BOOLEAN NOT NULL, body ${binary} NOT NULL)",
          "INSERT INTO entities_v2 (ref, uid, source, hash, file, parents, edges, orphan, body)"
              + " SELECT ref, uid, source, hash, file, parents, edges, orphan, body FROM entities",
          "DROP TABLE entities",
          "ALTER TABLE entities_v2 RENAME TO entities"),
      // Public signing keys of every replica sharing the database (the embedded store leaves it empty).
      List.of(
          "CREATE TABLE signing_keys (kid VARCHAR(64) PRIMARY KEY, public_jwk ${text} NOT NULL,"
              + " created_at BIGINT NOT NULL)"),
      // Warnings (e.g. a schema an API names that is not in the repository) are listed with the errors.
      List.of("ALTER TABLE processing_errors ADD COLUMN level VARCHAR(16)"));

  private Migrations() {}

  /** How many steps there are: each is recorded once in {@code schema_migrations}. */
  static int stepCount() {
    return STEPS.size();
  }

  /** Applies the pending steps; processes sharing one database take turns (the dialect's lock). */
  static void apply(Connection connection, SqlDialect dialect) throws SQLException {
    // The lock is taken outside a transaction so that it survives the commits below.
    connection.setAutoCommit(true);
    dialect.lockMigrations(connection);
    try {
      applyLocked(connection, dialect);
    } finally {
      connection.setAutoCommit(true);
      dialect.unlockMigrations(connection);
    }
  }

  private static void applyLocked(Connection connection, SqlDialect dialect) throws SQLException {
    connection.setAutoCommit(false);
    try (Statement st = connection.createStatement()) {
      st.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)");
      connection.commit();
      int current = 0;
      try (ResultSet rs = st.executeQuery("SELECT MAX(version) FROM schema_migrations")) {
        if (rs.next()) {
          current = rs.getInt(1);
        }
      }
      for (int version = current + 1; version <= STEPS.size(); version++) {
        for (String ddl : STEPS.get(version - 1)) {
          st.execute(dialect.ddl(ddl));
        }
        try (PreparedStatement ps =
            connection.prepareStatement("INSERT INTO schema_migrations (version, applied_at) VALUES (?, ?)")) {
          ps.setInt(1, version);
          ps.setLong(2, System.currentTimeMillis());
          ps.executeUpdate();
        }
        connection.commit();
      }
    } catch (SQLException e) {
      connection.rollback();
      throw e;
    }
  }
}
