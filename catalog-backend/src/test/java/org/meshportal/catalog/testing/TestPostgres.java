package org.meshportal.catalog.testing;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;
import org.testcontainers.DockerClientFactory;
import org.testcontainers.containers.PostgreSQLContainer;

/**
 * A PostgreSQL server for tests, and a fresh database on it per test class. The server named by
 * {@value #ENV} ({@code postgresql://user[:password]@host:port/admin-database}, e.g.
 * {@code postgresql://postgres@127.0.0.1:5432/postgres}) comes first; otherwise a Testcontainers
 * container where a Docker engine is reachable; otherwise the tests that need one are skipped
 * with the reason (CI sets the variable and fails when the server is missing).
 */
public final class TestPostgres {
  public static final String ENV = "MESHPORTAL_TEST_POSTGRES";

  private static Server server;

  /** Where a test database lives: the {@code postgresql://} URL of the database and its JDBC form. */
  public record Database(String name, String url, String jdbcUrl, String user, String password) {
    /** Drops the database (after every connection to it is closed). */
    public void drop() {
      try (Connection c = server.admin(); Statement st = c.createStatement()) {
        st.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
      } catch (SQLException e) {
        throw new IllegalStateException("could not drop test database " + name, e);
      }
    }
  }

  private record Server(String host, int port, String user, String password, String adminDatabase) {
    Connection admin() throws SQLException {
      return DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/" + adminDatabase, user, password);
    }
  }

  private TestPostgres() {}

  /** A new, empty database; skips the calling test when no PostgreSQL is available. */
  public static synchronized Database newDatabase(String purpose) {
    Server s = server();
    String name = ("test_" + purpose + "_" + UUID.randomUUID().toString().substring(0, 8))
        .toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
    try (Connection c = s.admin(); Statement st = c.createStatement()) {
      st.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("could not create test database " + name + " on " + s.host() + ":" + s.port(), e);
    }
    String auth = s.user() + (s.password() == null ? "" : ":" + s.password());
    return new Database(name, "postgresql://" + auth + "@" + s.host() + ":" + s.port() + "/" + name,
        "jdbc:postgresql://" + s.host() + ":" + s.port() + "/" + name, s.user(), s.password());
  }

  private static Server server() {
    if (server != null) {
      return server;
    }
    String configured = System.getenv(ENV);
    if (configured != null && !configured.isBlank()) {
      URI uri = URI.create(configured);
      String[] userInfo = uri.getUserInfo() == null ? new String[] {"postgres"} : uri.getUserInfo().split(":", 2);
      String db = uri.getPath() == null || uri.getPath().length() <= 1 ? "postgres" : uri.getPath().substring(1);
      server = new Server(uri.getHost(), uri.getPort() < 0 ? 5432 : uri.getPort(), userInfo[0],
          userInfo.length > 1 ? userInfo[1] : null, db);
      return server;
    }
    boolean docker;
    try {
      docker = DockerClientFactory.instance().isDockerAvailable();
    } catch (RuntimeException e) {
      docker = false;
    }
    Assumptions.assumeTrue(docker, "no PostgreSQL: set " + ENV + " or make a Docker engine reachable");
    PostgreSQLContainer<?> container = new PostgreSQLContainer<>("postgres:16-alpine");
    container.start();
    Runtime.getRuntime().addShutdownHook(new Thread(container::stop));
    server = new Server(container.getHost(), container.getMappedPort(5432), container.getUsername(),
        container.getPassword(), container.getDatabaseName());
    return server;
  }
}
