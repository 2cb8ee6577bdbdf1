package org.meshportal.catalog.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;

/** The few type names and locks that differ between the databases the store runs on. */
enum SqlDialect {
  H2("VARBINARY", "CHARACTER VARYING"),
  POSTGRES("BYTEA", "TEXT");

  private final String binary;
  private final String text;

  SqlDialect(String binary, String text) {
    this.binary = binary;
    this.text = text;
  }

  /** Any fixed number; names the advisory lock that serialises migrations across processes. */
  private static final long MIGRATION_LOCK = 0x6d657368706f7274L;

  /**
   * Holds a lock, until {@link #unlockMigrations}, that keeps other processes sharing the database
   * from migrating at the same time. The embedded H2 database belongs to one process: no lock.
   */
  void lockMigrations(Connection c) throws SQLException {
    if (this == POSTGRES) {
      try (Statement st = c.createStatement()) {
        st.execute("SELECT pg_advisory_lock(" + MIGRATION_LOCK + ")");
      }
    }
  }

  void unlockMigrations(Connection c) throws SQLException {
    if (this == POSTGRES) {
      try (Statement st = c.createStatement()) {
        st.execute("SELECT pg_advisory_unlock(" + MIGRATION_LOCK + ")");
      }
    }
  }

  /**
   * Whether commits record what they changed for other processes: an embedded H2 database belongs
   * to one process, PostgreSQL may be shared by replicas.
   */
  boolean keepsChangeLog() {
    return this == POSTGRES;
  }

  /** Fills {@code ${binary}} and {@code ${text}} into a DDL statement. */
  String ddl(String statement) {
    return statement.replace("${binary}", binary).replace("${text}", text);
  }
}
