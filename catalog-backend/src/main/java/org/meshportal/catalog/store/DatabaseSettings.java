package org.meshportal.catalog.store;

import java.util.Objects;

/**
 * Where the catalog store lives when it is not the embedded H2 database: Backstage's
 * {@code backend.database} with {@code client: pg}, as a JDBC URL and credentials.
 *
 * @param jdbcUrl {@code jdbc:postgresql://host:port/database[?sslmode=…]}, without credentials
 * @param maxConnections upper bound of the connection pool
 */
public record DatabaseSettings(String jdbcUrl, String user, String password, int maxConnections) {
  public DatabaseSettings {
    Objects.requireNonNull(jdbcUrl, "jdbcUrl");
    if (maxConnections < 1) {
      throw new IllegalArgumentException("maxConnections must be at least 1, got " + maxConnections);
    }
  }

  /** Never prints the password. */
  @Override
  public String toString() {
    return "DatabaseSettings[jdbcUrl=" + jdbcUrl + ", user=" + user + ", password=" + (password == null ? "none" : "***")
        + ", maxConnections=" + maxConnections + "]";
  }
}
