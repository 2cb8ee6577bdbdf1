package org.meshportal.catalog.git;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.meshportal.catalog.app.Application;
import org.meshportal.catalog.testing.LoopbackHttp;
import org.meshportal.catalog.testing.TestPostgres;

/**
 * The real application on a free port, with an HTTP client and helpers for Git provider tests.
 * With {@value #STORE_ENV}{@code =pg} the catalog (and the Git sync state in it) lives in a fresh
 * PostgreSQL database per server ({@link TestPostgres}), so the same tests run on both stores.
 */
final class GitServer extends LoopbackHttp implements AutoCloseable {
  static final String STORE_ENV = "MESHPORTAL_TEST_STORE";
  /** One database per data folder: a test that restarts the server on its folder finds its catalog again. */
  private static final java.util.Map<Path, TestPostgres.Database> DATABASES = new java.util.concurrent.ConcurrentHashMap<>();
  final Application app;

  private GitServer(Application app) {
    super("http://127.0.0.1:" + app.port());
    this.app = app;
  }

  /** A server whose data lives in {@code dir}/data; files and {@code file:} repositories below {@code dir} are readable. */
  static GitServer start(Path dir, String providersYaml) throws IOException {
    TestPostgres.Database db = "pg".equals(System.getenv(STORE_ENV)) ? DATABASES.computeIfAbsent(dir, d -> {
      TestPostgres.Database created = TestPostgres.newDatabase("git");
      Runtime.getRuntime().addShutdownHook(new Thread(created::drop));
      return created;
    }) : null;
    Path config = dir.resolve("app-config.yaml");
    Files.writeString(config, """
        backend:
          listen: {port: 0, host: 127.0.0.1}
          dataDir: %s
          auth:
            dangerouslyDisableDefaultAuthPolicy: true
          reading:
            directories: ['%s']
        """.formatted(dir.resolve("data").toString().replace("\\", "/"), dir.toString().replace("\\", "/"))
        + (db == null ? "" : "  database: {client: pg, connection: '" + db.url() + "'}\n")
        + providersYaml);
    return new GitServer(Application.start(List.of(config), false, k -> null));
  }

  JsonNode entities(String filter) {
    return get("/api/catalog/entities?filter=" + URLEncoder.encode(filter, StandardCharsets.UTF_8)).json();
  }

  JsonNode status(String id) {
    return get("/api/git-sync/providers/" + id).json();
  }

  /** Waits (bounded) until the provider applied {@code commit}. */
  JsonNode awaitApplied(String id, String commit) {
    awaitTrue(() -> {
      JsonNode s = status(id);
      return commit.equals(s.path("lastCommit").asText()) && s.path("state").asText().equals("OK");
    }, "provider " + id + " applies " + commit);
    return status(id);
  }

  @Override
  public void close() {
    app.close();
  }
}
