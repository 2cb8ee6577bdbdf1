package org.meshportal.catalog.store;

/** The few type names that differ between the databases the store runs on. */
enum SqlDialect {
  H2("VARBINARY", "CHARACTER VARYING"),
  POSTGRES("BYTEA", "TEXT");

  private final String binary;
  private final String text;

  SqlDialect(String binary, String text) {
    this.binary = binary;
    this.text = text;
  }

  /** Fills {@code ${binary}} and {@code ${text}} into a DDL statement. */
  String ddl(String statement) {
    return statement.replace("${binary}", binary).replace("${text}", text);
  }
}
