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

/** The real application on a free port, with an HTTP client and helpers for Git provider tests. */
final class GitServer extends LoopbackHttp implements AutoCloseable {
  final Application app;

  private GitServer(Application app) {
    super("http://127.0.0.1:" + app.port());
    this.app = app;
  }

  /** A server whose data lives in {@code dir}/data; files and {@code file:} repositories below {@code dir} are readable. */
  static GitServer start(Path dir, String providersYaml) throws IOException {
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
