package org.meshportal.catalog.store;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Versioned schema. Each step runs once, inside a transaction, and is recorded in
 * {@code schema_migrations}; new steps are appended, never edited. Two tracks share that table:
 * the catalog's steps are versions 1–999, the scaffolder task tables' (PostgreSQL only: the
 * embedded server keeps tasks in files) are 1001–1999, so either list grows without renumbering
 * the other.
 */
final class Migrations {
  /** A list of steps and where its version numbers start (exclusive). */
  enum Track {
    CATALOG(0),
    TASKS(1000);

    final int base;

    Track(int base) {
      this.base = base;
    }

    List<List<String>> steps() {
      return this == CATALOG ? STEPS : TASK_STEPS;
    }
  }

  private static final List<List<String>> TASK_STEPS = List.of(
      List.of(
          // doc is the task document as JSON text (jsonb would reorder the spec's keys); status and
          // created_* are copies of its fields for listing; claimed_by/heartbeat_at say who runs it.
          "CREATE TABLE scaffolder_tasks (id VARCHAR(64) PRIMARY KEY, status VARCHAR(32) NOT NULL,"
              + " created_at VARCHAR(64) NOT NULL, created_by VARCHAR(1024), doc TEXT NOT NULL,"
              + " claimed_by VARCHAR(64), heartbeat_at TIMESTAMPTZ)",
          "CREATE INDEX scaffolder_tasks_claims ON scaffolder_tasks (status, heartbeat_at)",
          "CREATE TABLE scaffolder_task_events (id BIGSERIAL PRIMARY KEY,"
              + " task_id VARCHAR(64) NOT NULL REFERENCES scaffolder_tasks (id) ON DELETE CASCADE,"
              + " type VARCHAR(32) NOT NULL, body TEXT NOT NULL, created_at VARCHAR(64) NOT NULL, recoverable BOOLEAN)",
          "CREATE INDEX scaffolder_task_events_task ON scaffolder_task_events (task_id, id)",
          "CREATE TABLE scaffolder_task_workspaces (task_id VARCHAR(64) PRIMARY KEY"
              + " REFERENCES scaffolder_tasks (id) ON DELETE CASCADE, archive BYTEA NOT NULL)"));

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
      List.of("ALTER TABLE processing_errors ADD COLUMN level VARCHAR(16)"),
      // Replicas: the change log followers read (kind 'e': an entity ref, 's': a source whose errors
      // changed), how far back it reaches (it starts now: older generations have no entries), and
      // the lease that names the one replica running Git sync.
      List.of(
          "CREATE TABLE catalog_changes (generation BIGINT NOT NULL, kind CHAR(1) NOT NULL,"
              + " item_key VARCHAR(1024) NOT NULL)",
          "CREATE INDEX catalog_changes_generation ON catalog_changes (generation)",
          "ALTER TABLE store_generation ADD COLUMN log_floor BIGINT DEFAULT 0 NOT NULL",
          "UPDATE store_generation SET log_floor = generation",
          "CREATE TABLE catalog_lease (name VARCHAR(64) PRIMARY KEY, holder VARCHAR(256), epoch BIGINT NOT NULL,"
              + " expires_at TIMESTAMP WITH TIME ZONE)",
          "INSERT INTO catalog_lease (name, holder, epoch, expires_at) VALUES ('catalog', NULL, 0, NULL)"),
      // OIDC sign-ins between /start and the provider's callback (PKCE verifier, ID-token nonce),
      // so the callback may reach any replica or a restarted server; rows live ten minutes.
      List.of(
          "CREATE TABLE auth_pending_sign_ins (id VARCHAR(64) PRIMARY KEY, body ${text} NOT NULL,"
              + " expires_at BIGINT NOT NULL)",
          "CREATE INDEX auth_pending_sign_ins_expiry ON auth_pending_sign_ins (expires_at)"));

  private Migrations() {}

  /** How many steps there are: each is recorded once in {@code schema_migrations}. */
  static int stepCount() {
    return STEPS.size();
  }

  /** Applies the pending steps; processes sharing one database take turns (the dialect's lock). */
  static void apply(Connection connection, SqlDialect dialect) throws SQLException {
    apply(connection, dialect, Track.CATALOG);
  }

  static void apply(Connection connection, SqlDialect dialect, Track track) throws SQLException {
    // The lock is taken outside a transaction so that it survives the commits below.
    connection.setAutoCommit(true);
    dialect.lockMigrations(connection);
    try {
      applyLocked(connection, dialect, track);
    } finally {
      connection.setAutoCommit(true);
      dialect.unlockMigrations(connection);
    }
  }

  private static void applyLocked(Connection connection, SqlDialect dialect, Track track) throws SQLException {
    connection.setAutoCommit(false);
    try (Statement st = connection.createStatement()) {
      st.execute("CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_at BIGINT NOT NULL)");
      connection.commit();
      int current = track.base;
      try (ResultSet rs = st.executeQuery("SELECT MAX(version) FROM schema_migrations WHERE version > " + track.base
          + " AND version < " + (track.base + 1000))) {
        if (rs.next() && rs.getInt(1) > 0) {
          current = rs.getInt(1);
        }
      }
      List<List<String>> steps = track.steps();
      for (int version = current + 1; version <= track.base + steps.size(); version++) {
        for (String ddl : steps.get(version - track.base - 1)) {
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
