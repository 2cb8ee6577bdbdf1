package org.meshportal.catalog.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshportal.catalog.app.Application;
import org.meshportal.catalog.testing.LoopbackHttp;
import org.meshportal.testfixtures.GitCli;
import org.meshportal.testfixtures.GitHttpServer;

/**
 * {@code POST /analyze-location} reads the repository through a mirror, as Backstage's
 * RepoLocationAnalyzer reads it through its SCM analyzer: existing catalog files are returned with
 * their entities (and whether they are registered); a repository without one gets a generated
 * Component. Repositories are served over smart HTTP on loopback by C git, as a forge would.
 */
class AnalyzeLocationTest {
  @TempDir Path tmp;
  private GitHttpServer forge;
  private Application app;
  private LoopbackHttp http;

  @BeforeEach
  void start() throws IOException {
    Path served = Files.createDirectories(tmp.resolve("srv/acme"));
    forge = new GitHttpServer(tmp.resolve("srv"), Files.createDirectories(tmp.resolve("forge-home")),
        Map.of("bot", "bot-password"));
    Path svc = Files.createDirectories(tmp.resolve("work/svc"));
    // A default branch that is not main: found through the remote's HEAD, as Backstage asks the forge.
    GitCli.git(svc, "init", "-q", "-b", "trunk");
    Files.writeString(svc.resolve("catalog-info.yaml"), """
        apiVersion: backstage.io/v1alpha1
        kind: Component
        metadata: {name: svc}
        spec: {type: service, lifecycle: production, owner: team-a}
        """);
    Files.createDirectories(svc.resolve("libs/core"));
    Files.writeString(svc.resolve("libs/core/catalog-info.yaml"), """
        apiVersion: backstage.io/v1alpha1
        kind: Component
        metadata: {name: core}
        spec: {type: library, lifecycle: production, owner: team-a}
        ---
        apiVersion: backstage.io/v1alpha1
        kind: API
        metadata: {name: core-api}
        spec: {type: openapi, lifecycle: production, owner: team-a, definition: "openapi: 3.0.0"}
        """);
    Files.writeString(svc.resolve("libs/core/other.yaml"), "not: a catalog file\n");
    commit(svc);
    GitCli.git(served, "clone", "-q", "--bare", svc.toString(), "svc.git");

    // No catalog file.
    Path bare = Files.createDirectories(tmp.resolve("work/plain"));
    GitCli.git(bare, "init", "-q", "-b", "main");
    Files.writeString(bare.resolve("README.md"), "# plain\n");
    commit(bare);
    GitCli.git(served, "clone", "-q", "--bare", bare.toString(), "plain.git");

    Path config = Files.writeString(tmp.resolve("app-config.yaml"), """
        backend:
          listen: {port: 0}
          dataDir: %s
          auth: {dangerouslyDisableDefaultAuthPolicy: true}
        integrations:
          github:
            - {host: '%s', username: bot, password: bot-password}
        """.formatted(tmp.resolve("data"), forge.host()));
    app = Application.start(List.of(config), false, name -> null);
    http = new LoopbackHttp("http://127.0.0.1:" + app.port());
  }

  private static void commit(Path dir) throws IOException {
    GitCli.git(dir, "add", "-A");
    GitCli.git(dir, "commit", "-q", "-m", "init");
  }

  @AfterEach
  void stop() throws Exception {
    if (app != null) {
      app.close();
    }
    forge.close();
  }

  private LoopbackHttp.Response analyze(String target) {
    return http.post("/api/catalog/analyze-location",
        "{\"location\":{\"type\":\"url\",\"target\":\"" + target + "\"}}");
  }

  @Test
  void a_repository_with_catalog_files_returns_them_with_their_entities() {
    String repo = forge.baseUrl() + "/acme/svc";
    LoopbackHttp.Response r = analyze(repo);
    assertEquals(200, r.status(), r.body());
    JsonNode files = r.json().get("existingEntityFiles");
    assertEquals(0, r.json().get("generateEntities").size(), "nothing generated when files exist, as Backstage");
    String root = repo + "/blob/trunk/catalog-info.yaml";
    String core = repo + "/blob/trunk/libs/core/catalog-info.yaml";
    // Every entity of each file's dry run, the file's own Location included (as the dry run of
    // POST /locations answers, which Backstage's analyzer maps one to one).
    List<String> seen = new java.util.ArrayList<>();
    for (JsonNode f : files) {
      assertEquals("url", f.at("/location/type").asText());
      assertFalse(f.get("isRegistered").asBoolean(), f.toString());
      String kind = f.at("/entity/kind").asText();
      seen.add(f.at("/location/target").asText() + " " + kind + " "
          + (kind.equals("Location") ? f.at("/entity/spec/target").asText() : f.at("/entity/metadata/name").asText()));
    }
    assertEquals(List.of(root + " Location " + root, root + " Component svc", core + " Location " + core,
        core + " Component core", core + " API core-api"), seen);

    assertEquals(201, http.post("/api/catalog/locations", "{\"type\":\"url\",\"target\":\"" + root + "\"}").status());
    JsonNode again = analyze(repo + "/").json().get("existingEntityFiles");
    assertTrue(again.get(1).get("isRegistered").asBoolean(), again.toString());
    assertFalse(again.get(3).get("isRegistered").asBoolean(), again.toString());
  }

  @Test
  void a_repository_without_catalog_files_gets_a_generated_component() {
    LoopbackHttp.Response r = analyze(forge.baseUrl() + "/acme/plain");
    assertEquals(200, r.status(), r.body());
    assertEquals(0, r.json().get("existingEntityFiles").size(), r.body());
    JsonNode generated = r.json().at("/generateEntities/0");
    assertEquals("plain", generated.at("/entity/metadata/name").asText(), r.body());
    assertEquals("acme/plain", generated.at("/entity/metadata/annotations/github.com~1project-slug").asText(), r.body());
    assertEquals("other", generated.at("/entity/spec/type").asText());
    assertEquals("unknown", generated.at("/entity/spec/lifecycle").asText());
    assertEquals(0, generated.get("fields").size());

    LoopbackHttp.Response missing = analyze(forge.baseUrl() + "/acme/nope");
    assertTrue(missing.status() == 404 || missing.status() == 400, missing.body());
    assertTrue(missing.json().at("/error/message").asText().startsWith("Could not read repository "), missing.body());
    LoopbackHttp.Response glob = http.post("/api/catalog/analyze-location",
        "{\"location\":{\"type\":\"url\",\"target\":\"" + forge.baseUrl() + "/acme/svc\"},\"catalogFilename\":\"../**\"}");
    assertEquals(400, glob.status(), glob.body());
    assertEquals("InputError", glob.json().at("/error/name").asText());
  }

  @Test
  void an_unlisted_host_is_refused_before_any_request() throws IOException {
    AtomicInteger requests = new AtomicInteger();
    HttpServer other = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    other.createContext("/", ex -> {
      requests.incrementAndGet();
      ex.sendResponseHeaders(404, -1);
      ex.close();
    });
    other.start();
    try {
      LoopbackHttp.Response r = analyze("http://127.0.0.1:" + other.getAddress().getPort() + "/acme/svc");
      assertEquals(403, r.status(), r.body());
      assertEquals("NotAllowedError", r.json().at("/error/name").asText());
      assertEquals(0, requests.get(), "nothing was contacted");
    } finally {
      other.stop(0);
    }
  }
}
