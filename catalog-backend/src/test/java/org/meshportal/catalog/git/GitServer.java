package org.meshportal.catalog.git;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import org.meshportal.catalog.app.Application;
import org.meshportal.gitsync.WebhookVerifier;

/** The real application on a free port, with an HTTP client and helpers for Git provider tests. */
final class GitServer implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();
  final Application app;
  final String base;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private GitServer(Application app) {
    this.app = app;
    this.base = "http://127.0.0.1:" + app.port();
  }

  static GitServer start(Path dir, String providersYaml) throws IOException {
    Path config = dir.resolve("app-config.yaml");
    Files.writeString(config, """
        backend:
          listen: {port: 0, host: 127.0.0.1}
          dataDir: %s
          auth:
            dangerouslyDisableDefaultAuthPolicy: true
        """.formatted(dir.resolve("data").toString().replace("\\", "/")) + providersYaml);
    return new GitServer(Application.start(List.of(config), false, k -> null));
  }

  record Response(int status, String body) {
    JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON (" + status + "): " + body, e);
      }
    }
  }

  Response get(String path) {
    return send(HttpRequest.newBuilder(URI.create(base + path)).GET());
  }

  Response post(String path, String body, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
        .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return send(b);
  }

  JsonNode entity(String kind, String namespace, String name) {
    Response r = get("/api/catalog/entities/by-name/" + kind + "/" + namespace + "/" + name);
    return r.status() == 200 ? r.json() : null;
  }

  JsonNode entities(String filter) {
    return get("/api/catalog/entities?filter=" + URLEncoder.encode(filter, StandardCharsets.UTF_8)).json();
  }

  JsonNode status(String id) {
    return get("/api/git-sync/providers/" + id).json();
  }

  /** A signed GitHub push webhook for the repository at {@code cloneUrl}. */
  Response githubPush(String cloneUrl, String after, String secret) {
    String body = "{\"ref\":\"refs/heads/main\",\"after\":\"" + after + "\",\"repository\":{\"clone_url\":\""
        + cloneUrl + "\"}}";
    String signature = "sha256=" + HexFormat.of().formatHex(
        WebhookVerifier.hmacSha256(secret, body.getBytes(StandardCharsets.UTF_8)));
    return post("/api/git-sync/webhooks", body, "X-GitHub-Event", "push", "X-Hub-Signature-256", signature);
  }

  /** Waits (bounded) until the provider applied {@code commit}. */
  JsonNode awaitApplied(String id, String commit) {
    await(() -> {
      JsonNode s = status(id);
      return commit.equals(s.path("lastCommit").asText()) && s.path("state").asText().equals("OK");
    }, "provider " + id + " applies " + commit);
    return status(id);
  }

  static void await(BooleanSupplier condition, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }
  }

  private Response send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> r = client.send(request.timeout(Duration.ofSeconds(30)).build(),
          HttpResponse.BodyHandlers.ofString());
      return new Response(r.statusCode(), r.body());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    app.close();
  }
}
