package org.meshportal.catalog.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.meshportal.catalog.testing.TemplateYaml.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshportal.catalog.app.Application;
import org.meshportal.catalog.testing.LoopbackHttp;

/**
 * Every read and write path a caller or an input file controls, attacked through the real server
 * over HTTP: the server's signing key and {@code /etc/passwd} through dry runs, tasks, registered
 * locations and placeholders; loopback and unlisted hosts through {@code url} locations (a local
 * HTTP server records that nothing reached it); {@code publish:git} to a folder nobody allowed;
 * location writes under {@code catalog.readonly}. Each attack has a permitted twin that succeeds,
 * so a refusal cannot come from a broken setup.
 */
class SandboxHttpTest {
  private static final String KEY_FILE = "user-token-signing-key.jwk.json";
  private static final Path PASSWD = Path.of("/etc/passwd");

  @TempDir Path tmp;

  private Path data;
  private Path catalog;
  private Path allowedDir;
  private Path allowedRepos;
  private HttpServer decoy;
  private final List<String> decoyRequests = Collections.synchronizedList(new ArrayList<>());
  private Application app;
  private LoopbackHttp http;

  @BeforeEach
  void start() throws IOException {
    decoy = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    decoy.createContext("/", exchange -> {
      decoyRequests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
      byte[] body = "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: from-decoy}\n"
          .getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    decoy.start();

    data = tmp.resolve("data");
    catalog = Files.createDirectories(tmp.resolve("catalog"));
    allowedDir = Files.createDirectories(tmp.resolve("allowed"));
    allowedRepos = Files.createDirectories(tmp.resolve("allowed-repos"));
    Files.createDirectories(tmp.resolve("outside"));
    Files.writeString(tmp.resolve("outside/secret.txt"), "outside-secret-text");
    Files.writeString(allowedDir.resolve("extra.yaml"), component("extra-component", ""));
    Files.writeString(catalog.resolve("notes.txt"), "notes-inside-catalog");
    Files.createDirectories(catalog.resolve("skeleton"));
    Files.writeString(catalog.resolve("skeleton/README.md"), "skeleton readme");
    // A link inside the catalog folder that leads to the server's key folder.
    Files.createSymbolicLink(catalog.resolve("keys-link"), data.resolve("auth"));

    String keyPath = data.resolve("auth").resolve(KEY_FILE).toString();
    Files.writeString(catalog.resolve("catalog-info.yaml"), String.join("---\n",
        template("read-absolute", fetchFile("file://" + PASSWD)),
        template("read-key", fetchFile("file://" + keyPath)),
        template("read-relative-escape", fetchFile("../outside/secret.txt")),
        template("read-through-link", fetchFile("./keys-link/" + KEY_FILE)),
        forgedBaseTemplate(),
        template("read-inside", fetchFile("./notes.txt")),
        template("publish-unlisted", publish("file://" + tmp.resolve("unlisted/repo.git"))),
        template("publish-allowed", publish("file://" + allowedRepos.resolve("repo.git"))),
        component("placeholder-absolute", "  description: {$text: /etc/passwd}\n"),
        component("placeholder-key", "  description: {$text: ../data/auth/" + KEY_FILE + "}\n"),
        component("placeholder-inside", "  description: {$text: ./notes.txt}\n"),
        component("placeholder-url", "  description: {$text: 'http://127.0.0.1:" + decoy.getAddress().getPort()
            + "/description.txt'}\n"),
        """
        apiVersion: backstage.io/v1alpha1
        kind: Location
        metadata: {name: nested-loopback}
        spec: {type: url, target: 'http://127.0.0.1:%d/nested.yaml'}
        """.formatted(decoy.getAddress().getPort()),
        """
        apiVersion: backstage.io/v1alpha1
        kind: Location
        metadata: {name: nested-escape}
        spec: {type: file, target: ../outside/secret.txt}
        """));
    app = startServer(false);
    http = new LoopbackHttp("http://127.0.0.1:" + app.port());
    LoopbackHttp.awaitTrue(() -> http.entity("component", "default", "placeholder-inside") != null,
        "the static location is ingested");
    assertTrue(Files.exists(data.resolve("auth").resolve(KEY_FILE)), "the signing key the attacks aim at exists");
  }

  private Application startServer(boolean readonly) throws IOException {
    Path config = Files.writeString(tmp.resolve(readonly ? "readonly.yaml" : "app-config.yaml"), """
        backend:
          listen: {port: 0}
          dataDir: %s
          auth: {dangerouslyDisableDefaultAuthPolicy: true}
          reading:
            directories: [%s]
          writing:
            directories: [%s]
        catalog:
          readonly: %s
          locations:
            - {type: file, target: %s}
        """.formatted(data, allowedDir, allowedRepos, readonly,
        catalog.resolve("catalog-info.yaml")));
    return Application.start(List.of(config), false, name -> null);
  }

  @AfterEach
  void stop() {
    if (app != null) {
      app.close();
    }
    decoy.stop(0);
  }

  // ------------------------------------------------------------------ dry runs

  @Test
  void dry_runs_read_only_the_files_they_were_sent() throws IOException {
    String key = data.resolve("auth").resolve(KEY_FILE).toString();
    for (String url : List.of("file://" + PASSWD, "file://" + key, "../../../../../../../../etc/passwd",
        "file://" + catalog.resolve("notes.txt"), "file://" + allowedDir.resolve("extra.yaml"))) {
      LoopbackHttp.Response r = http.post("/api/scaffolder/v2/dry-run", dryRun(url).toString());
      String body = r.body();
      assertFalse(body.contains(base64Of(PASSWD)) || body.contains("root:"), url + " leaked /etc/passwd: " + body);
      assertFalse(body.contains(base64Of(Path.of(key))), url + " leaked the signing key");
      assertFalse(body.contains(base64Of(catalog.resolve("notes.txt")))
          || body.contains(base64Of(allowedDir.resolve("extra.yaml"))),
          url + " read a server file outside the sent contents: " + body);
      assertTrue(body.contains("NotAllowedError") || body.contains("not allowed"), url + " -> " + body);
    }
    // The twin: a file that was sent is read.
    JsonNode ok = http.post("/api/scaffolder/v2/dry-run", dryRun("./sent.txt").toString()).json();
    assertEquals(b64("sent-content"), ok.at("/directoryContents/0/base64Content").asText(), ok.toString());
  }

  // ------------------------------------------------------------------ tasks

  @Test
  void tasks_read_only_below_readable_directories() throws Exception {
    for (String template : List.of("read-absolute", "read-key", "read-relative-escape", "read-through-link",
        "read-forged-base")) {
      String id = createTask(template);
      String log = awaitCompletion(id);
      assertEquals("failed", http.get("/api/scaffolder/v2/tasks/" + id).json().get("status").asText(), template);
      assertTrue(log.contains("not allowed") || log.contains("outside its parent"), template + ": " + log);
      assertFalse(log.contains("root:") || log.contains("\"d\""), template + " leaked content: " + log);
      assertFalse(workspaceHolds(id, "root:") || workspaceHolds(id, "\"kty\""), template + " copied the file");
    }
    String ok = createTask("read-inside");
    awaitCompletion(ok);
    assertEquals("completed", http.get("/api/scaffolder/v2/tasks/" + ok).json().get("status").asText());
  }

  @Test
  void publish_git_pushes_only_where_the_operator_allowed() throws Exception {
    String refused = createTask("publish-unlisted");
    String log = awaitCompletion(refused);
    assertEquals("failed", http.get("/api/scaffolder/v2/tasks/" + refused).json().get("status").asText(), log);
    assertTrue(log.contains("Publishing to") && log.contains("is not allowed"), log);
    assertFalse(Files.exists(tmp.resolve("unlisted")), "nothing may be created for a refused push");

    String allowed = createTask("publish-allowed");
    String allowedLog = awaitCompletion(allowed);
    assertEquals("completed", http.get("/api/scaffolder/v2/tasks/" + allowed).json().get("status").asText(),
        allowedLog);
    assertTrue(Files.isDirectory(allowedRepos.resolve("repo.git")));
  }

  // ------------------------------------------------------------------ locations and placeholders

  @Test
  void registered_locations_are_refused_outside_the_allowed_directories_and_hosts() {
    String key = data.resolve("auth").resolve(KEY_FILE).toString();
    int port = decoy.getAddress().getPort();
    for (String[] location : List.of(
        new String[] {"file", PASSWD.toString()},
        new String[] {"file", key},
        new String[] {"file", data.resolve("auth") + "/*.json"},
        new String[] {"file", allowedDir + "/../data/auth/" + KEY_FILE},
        new String[] {"url", "http://127.0.0.1:" + port + "/catalog-info.yaml"},
        new String[] {"url", "http://localhost:" + port + "/catalog-info.yaml"},
        new String[] {"url", "https://internal.example/org/repo/blob/main/catalog-info.yaml"},
        new String[] {"url", "file://" + data.resolve("auth") + "/blob/main/" + KEY_FILE})) {
      for (String dryRun : List.of("false", "true")) {
        LoopbackHttp.Response r = http.post("/api/catalog/locations?dryRun=" + dryRun,
            "{\"type\":\"" + location[0] + "\",\"target\":\"" + location[1] + "\"}");
        assertEquals(403, r.status(), location[1] + " -> " + r.body());
        assertEquals("NotAllowedError", r.json().at("/error/name").asText());
        assertTrue(r.json().at("/error/message").asText().contains("is not allowed"), r.body());
        assertFalse(r.body().contains("root:") || r.body().contains("\"kty\""), r.body());
      }
    }
    assertEquals(List.of(), decoyRequests, "no request may reach an unlisted host");
    LoopbackHttp.Response ok = http.post("/api/catalog/locations",
        "{\"type\":\"file\",\"target\":\"" + allowedDir.resolve("extra.yaml") + "\"}");
    assertEquals(201, ok.status(), ok.body());
    assertNotNull(http.entity("component", "default", "extra-component"));
  }

  @Test
  void catalog_files_cannot_read_or_fetch_outside_their_base() {
    assertNotNull(http.entity("component", "default", "placeholder-inside"));
    assertEquals("notes-inside-catalog",
        http.entity("component", "default", "placeholder-inside").at("/metadata/description").asText());
    JsonNode errors = http.get("/api/catalog/processing-errors").json().get("items");
    for (String ref : List.of("component:default/placeholder-absolute", "component:default/placeholder-key",
        "component:default/placeholder-url")) {
      assertEquals(null, http.entity("component", "default", ref.substring(ref.indexOf('/') + 1)));
      assertTrue(hasError(errors, ref, "NotAllowedError"), ref + " in " + errors);
    }
    int port = decoy.getAddress().getPort();
    assertTrue(hasErrorAt(errors, "url:http://127.0.0.1:" + port + "/nested.yaml"), errors.toString());
    assertTrue(hasErrorAt(errors, "file:" + tmp.resolve("outside/secret.txt")), errors.toString());
    assertEquals(null, http.entity("component", "default", "from-decoy"));
    assertEquals(List.of(), decoyRequests, "no request may reach an unlisted host");
    assertFalse(errors.toString().contains("root:") || errors.toString().contains("outside-secret-text"));
  }

  // ------------------------------------------------------------------ catalog.readonly

  @Test
  void readonly_catalog_refuses_location_writes() throws IOException {
    String target = "{\"type\":\"file\",\"target\":\"" + allowedDir.resolve("extra.yaml") + "\"}";
    assertEquals(201, http.post("/api/catalog/locations", target).status());
    app.close();
    app = startServer(true);
    http = new LoopbackHttp("http://127.0.0.1:" + app.port());
    int locations = http.get("/api/catalog/locations").json().size();
    LoopbackHttp.Response add = http.post("/api/catalog/locations",
        "{\"type\":\"file\",\"target\":\"" + allowedDir.resolve("other.yaml") + "\"}");
    assertEquals(403, add.status(), add.body());
    assertEquals("NotAllowedError", add.json().at("/error/name").asText());
    assertEquals("This operation not allowed in readonly mode", add.json().at("/error/message").asText());
    assertEquals(201, http.post("/api/catalog/locations?dryRun=true", target).status(), "dry runs stay allowed");

    String id = null;
    for (JsonNode l : http.get("/api/catalog/locations").json()) {
      if (l.at("/data/target").asText().endsWith("extra.yaml")) {
        id = l.at("/data/id").asText();
      }
    }
    assertNotNull(id);
    assertEquals(403, http.send("DELETE", "/api/catalog/locations/" + id, null).status());
    assertEquals(403, http.send("PUT", "/api/catalog/locations/" + id, target).status());
    assertEquals(locations, http.get("/api/catalog/locations").json().size(), "nothing was added or removed");
  }

  // ------------------------------------------------------------------ helpers

  private static String forgedBaseTemplate() {
    // The file claims a source location at the file system root to widen its base.
    return template("read-forged-base", fetchFile("./etc/passwd")).replace("  name: read-forged-base\n",
        "  name: read-forged-base\n  annotations: {backstage.io/source-location: 'file:/'}\n");
  }

  private static String fetchFile(String url) {
    return """
        - id: fetch
          action: fetch:plain:file
          input: {url: '%s', targetPath: out.txt}
        """.formatted(url);
  }

  private static String publish(String repoUrl) {
    return """
        - id: fetch
          action: fetch:plain
          input: {url: ./skeleton}
        - id: publish
          action: publish:git
          input: {repoUrl: '%s'}
        """.formatted(repoUrl);
  }

  private static String component(String name, String extra) {
    return """
        apiVersion: backstage.io/v1alpha1
        kind: Component
        metadata:
          name: %s
        %sspec: {type: service, lifecycle: production, owner: team-a}
        """.formatted(name, extra);
  }

  private static ObjectNode dryRun(String url) {
    ObjectNode body = LoopbackHttp.JSON.createObjectNode();
    ObjectNode template = body.putObject("template");
    template.put("apiVersion", "scaffolder.backstage.io/v1beta3").put("kind", "Template");
    template.putObject("metadata").put("name", "attack");
    ArrayNode steps = template.putObject("spec").put("type", "service").putArray("steps");
    steps.addObject().put("id", "fetch").put("action", "fetch:plain:file")
        .putObject("input").put("url", url).put("targetPath", "out.txt");
    body.putObject("values");
    ArrayNode contents = body.putArray("directoryContents");
    contents.addObject().put("path", "template.yaml").put("base64Content", b64("kind: Template"));
    contents.addObject().put("path", "sent.txt").put("base64Content", b64("sent-content"));
    return body;
  }

  private String createTask(String template) {
    LoopbackHttp.Response r = http.post("/api/scaffolder/v2/tasks",
        "{\"templateRef\":\"template:default/" + template + "\",\"values\":{}}");
    assertEquals(201, r.status(), r.body());
    return r.json().get("id").asText();
  }

  /** The task's event stream, read to its completion event. */
  private String awaitCompletion(String id) throws Exception {
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + app.port() + "/api/scaffolder/v2/tasks/" + id + "/eventstream"))
        .timeout(Duration.ofSeconds(60)).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertTrue(r.body().contains("event: completion"), r.body());
    return r.body();
  }

  private boolean workspaceHolds(String taskId, String text) throws IOException {
    Path tasks = data.resolve("scaffolder");
    if (!Files.exists(tasks)) {
      return false;
    }
    try (Stream<Path> files = Files.walk(tasks)) {
      return files.filter(Files::isRegularFile).anyMatch(p -> {
        try {
          return Files.readString(p, StandardCharsets.ISO_8859_1).contains(text);
        } catch (IOException e) {
          return false;
        }
      });
    }
  }

  private static boolean hasError(JsonNode errors, String ref, String name) {
    for (JsonNode e : errors) {
      if (ref.equals(e.path("entityRef").asText()) && name.equals(e.at("/error/name").asText())) {
        return true;
      }
    }
    return false;
  }

  private static boolean hasErrorAt(JsonNode errors, String location) {
    for (JsonNode e : errors) {
      if (location.equals(e.path("location").asText()) && "NotAllowedError".equals(e.at("/error/name").asText())) {
        return true;
      }
    }
    return false;
  }

  private static String b64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private static String base64Of(Path file) {
    try {
      return Base64.getEncoder().encodeToString(Files.readAllBytes(file)).substring(0, 16);
    } catch (IOException e) {
      return "\u0000unreadable";
    }
  }
}
