package org.meshportal.catalog.scaffolder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.meshportal.catalog.testing.TemplateYaml.template;

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
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshportal.catalog.app.Application;
import org.meshportal.catalog.testing.TestPostgres;

/**
 * The scaffolder through the whole server as {@code Main} starts it: config file, data dir, catalog
 * reading the templates, HTTP on loopback. Covers what only shows across a real process boundary:
 * restarts on the same data dir, and secrets never reaching a response or a file.
 */
class ScaffolderServerTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SECRET = "s3cr3t-value-9f2e";

  @TempDir Path tmp;

  private final HttpClient http = HttpClient.newHttpClient();
  private final List<String> responses = new ArrayList<>();
  private Path config;
  private Application app;
  /** With {@code MESHPORTAL_TEST_STORE=pg} the server keeps its catalog and tasks in PostgreSQL. */
  private TestPostgres.Database db;

  @BeforeEach
  void writeConfigAndTemplates() throws IOException {
    Path templates = tmp.resolve("templates");
    Files.createDirectories(templates.resolve("skeleton"));
    Files.createDirectories(templates.resolve("bad-skeleton"));
    Files.writeString(tmp.resolve("outside.txt"), "not part of any template");
    Files.writeString(templates.resolve("skeleton/README.md"), "# ${{ values.name }}\n");
    Files.writeString(templates.resolve("bad-skeleton/broken.txt"), "Hello ${{ values.name | nosuchfilter }}\n");
    Files.writeString(templates.resolve("templates.yaml"), String.join("---\n",
        template("restart-wait", """
            - id: greet
              name: Greet
              action: debug:log
              input:
                message: key is ${{ secrets.apiKey }}
            - id: wait
              name: Wait
              action: debug:wait
              input:
                milliseconds: 1500
            - id: fetch
              name: Fetch
              action: fetch:template
              input:
                url: ./skeleton
                values:
                  name: ${{ secrets.apiKey }}
            """),
        template("skeleton-escape", """
            - id: fetch
              action: fetch:plain
              input:
                url: ../outside.txt
            """),
        template("input-escape", """
            - id: delete
              action: fs:delete
              input:
                files: ["../../../outside.txt"]
            """),
        template("leaky-fail", """
            - id: log
              action: debug:log
              input:
                message: url ${{ secrets.token | urlencode }} b64 ${{ parameters.b64 }} basic ${{ parameters.basic }}
            - id: delete
              action: fs:delete
              input:
                files: ["../../${{ secrets.token | urlencode }}"]
            """),
        template("bad-expression", """
            - id: fetch
              action: fetch:template
              input:
                url: ./bad-skeleton
                values:
                  name: x
            """)));
    config = Files.writeString(tmp.resolve("app-config.yaml"), """
        backend:
          listen:
            port: 0
          dataDir: %s
          auth:
            dangerouslyDisableDefaultAuthPolicy: true
        catalog:
          locations:
            - type: file
              target: %s
        scaffolder:
          maxWaitSeconds: 60
        """.formatted(tmp.resolve("data"), templates.resolve("templates.yaml")));
    if ("pg".equals(System.getenv("MESHPORTAL_TEST_STORE"))) {
      db = TestPostgres.newDatabase("scaffolder");
      Files.writeString(config, Files.readString(config).replace("backend:\n",
          "backend:\n  database: {client: pg, connection: '" + db.url() + "'}\n"));
    }
    app = Application.start(List.of(config), false, name -> null);
  }

  @AfterEach
  void stop() {
    if (app != null) {
      app.close();
    }
    if (db != null) {
      db.drop();
    }
  }

  @Test
  void a_restart_mid_step_resumes_tasks_without_secrets_and_fails_tasks_with_secrets_with_a_recovered_event()
      throws Exception {
    String plain = createTask("restart-wait", Map.of());
    String secret = createTask("restart-wait", Map.of("apiKey", SECRET));
    awaitMessage(plain, "Waiting for");
    awaitMessage(secret, "Waiting for");

    app.close(); // the server goes away while both tasks sit in their wait step
    app = Application.start(List.of(config), false, name -> null);

    List<JsonNode> resumed = awaitCompletion(plain);
    assertEquals("completed", task(plain).get("status").asText());
    // With tasks in PostgreSQL the restarted server is, to the store, another replica taking the task over.
    String resuming = db == null ? "Resuming task after a restart at its first unfinished step"
        : "Resuming task after its replica stopped at its first unfinished step";
    assertTrue(messages(resumed).contains(resuming), messages(resumed).toString());
    assertEquals("Run completed with status: completed", last(resumed).at("/body/message").asText());

    List<JsonNode> recovered = awaitCompletion(secret);
    assertEquals("failed", task(secret).get("status").asText());
    JsonNode recoveredEvent = recovered.stream().filter(e -> e.get("type").asText().equals("recovered")).findFirst()
        .orElseThrow(() -> new AssertionError("no recovered event: " + recovered));
    assertEquals("none", recoveredEvent.at("/body/recoverStrategy").asText());
    assertTrue(last(recovered).at("/body/error/message").asText().contains(db == null ? "restart" : "its replica stopped"),
        last(recovered).toString());
    assertTrue(messages(recovered).contains("key is ***"), messages(recovered).toString());

    JsonNode list = get("/api/scaffolder/v2/tasks?status=processing");
    assertEquals(0, list.get("totalTasks").asInt(), list.toString());
    assertSecretNowhere();
  }

  @Test
  void secrets_are_never_returned_nor_stored_and_dry_run_redacts_them() throws Exception {
    String id = createTask("restart-wait", Map.of("apiKey", SECRET));
    List<JsonNode> events = awaitCompletion(id);
    assertEquals("Run completed with status: completed", last(events).at("/body/message").asText(), events.toString());
    assertTrue(messages(events).contains("key is ***"), messages(events).toString());
    stream(id);
    get("/api/scaffolder/v2/tasks/" + id);
    get("/api/scaffolder/v2/tasks");

    JsonNode dryRun = post("/api/scaffolder/v2/dry-run", JSON.createObjectNode()
        .<com.fasterxml.jackson.databind.node.ObjectNode>set("template", JSON.readTree("""
            {"apiVersion":"scaffolder.backstage.io/v1beta3","kind":"Template","metadata":{"name":"d"},
             "spec":{"steps":[{"id":"log","action":"debug:log","input":{"message":"dry ${{ secrets.apiKey }}"}}],
                     "output":{"text":[{"title":"t","content":"${{ parameters.x }}"}]}}}"""))
        .<com.fasterxml.jackson.databind.node.ObjectNode>set("values", JSON.createObjectNode().put("x", "y"))
        .set("secrets", JSON.createObjectNode().put("apiKey", SECRET)), 200);
    assertTrue(dryRun.get("log").findValuesAsText("message").contains("dry ***"), dryRun.toString());
    assertSecretNowhere();
  }

  @Test
  void traversal_in_skeleton_urls_and_action_inputs_and_expression_errors_fail_clearly() throws Exception {
    JsonNode escape = last(awaitCompletion(createTask("skeleton-escape", Map.of())));
    assertEquals("Run completed with status: failed", escape.at("/body/message").asText());
    assertEquals("InputError", escape.at("/body/error/name").asText());
    assertTrue(escape.at("/body/error/message").asText().contains("outside its parent"), escape.toString());

    JsonNode delete = last(awaitCompletion(createTask("input-escape", Map.of())));
    assertTrue(delete.at("/body/error/message").asText().contains("outside its parent"), delete.toString());
    assertTrue(Files.exists(tmp.resolve("outside.txt")), "the file outside the workspace is untouched");

    JsonNode bad = last(awaitCompletion(createTask("bad-expression", Map.of())));
    String message = bad.at("/body/error/message").asText();
    assertTrue(message.startsWith("Failed to render broken.txt: "), message);
    assertTrue(message.contains("nosuchfilter"), message);
    for (String body : responses) {
      assertFalse(body.contains(tmp.toString()), "no server path in a response: " + body);
    }
  }


  /** Has characters that URL encoding and the two base64 alphabets all change. */
  private static final String ENCODABLE = "p@ss/w+rd&x=1 tail?~~>0123456789";

  /** Every form of {@link #ENCODABLE} that must not reach a response. */
  private static List<String> encodedForms() {
    byte[] bytes = ENCODABLE.getBytes(StandardCharsets.UTF_8);
    List<String> forms = new ArrayList<>(List.of(ENCODABLE,
        Base64.getEncoder().encodeToString(bytes), Base64.getEncoder().withoutPadding().encodeToString(bytes),
        Base64.getUrlEncoder().encodeToString(bytes), Base64.getUrlEncoder().withoutPadding().encodeToString(bytes),
        URLEncoder.encode(ENCODABLE, StandardCharsets.UTF_8),
        URLEncoder.encode(ENCODABLE, StandardCharsets.UTF_8).replace("+", "%20")));
    // inside a Basic auth value: "bot:" is 4 bytes, so characters 6.. depend on the secret alone
    String basic = Base64.getEncoder().encodeToString(("bot:" + ENCODABLE).getBytes(StandardCharsets.UTF_8));
    int end = (4 + bytes.length) * 8 / 6;
    for (int i = 6; i + 8 <= end; i++) {
      forms.add(basic.substring(i, i + 8));
    }
    return forms;
  }

  private void assertNoFormOfTheSecretIn(String where, String body) {
    for (String form : encodedForms()) {
      assertFalse(body.contains(form), where + " contains " + form + ": " + body);
    }
  }

  @Test
  void base64_and_url_encoded_secrets_are_redacted_in_logs_outputs_and_errors() throws Exception {
    byte[] bytes = ENCODABLE.getBytes(StandardCharsets.UTF_8);
    String b64 = Base64.getEncoder().encodeToString(bytes);
    String b64url = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    String basic = "Basic " + Base64.getEncoder().encodeToString(("bot:" + ENCODABLE).getBytes(StandardCharsets.UTF_8));
    assertTrue(!b64.equals(b64url) && !URLEncoder.encode(ENCODABLE, StandardCharsets.UTF_8).equals(ENCODABLE));

    // dry run: task log and output
    JsonNode dryRun = post("/api/scaffolder/v2/dry-run", JSON.createObjectNode()
        .<com.fasterxml.jackson.databind.node.ObjectNode>set("template", JSON.readTree("""
            {"apiVersion":"scaffolder.backstage.io/v1beta3","kind":"Template","metadata":{"name":"d"},
             "spec":{"steps":[{"id":"log","action":"debug:log","input":{"message":
                       "url ${{ secrets.token | urlencode }} b64 ${{ parameters.b64 }} ${{ parameters.b64url }} ${{ parameters.basic }}"}}],
                     "output":{"text":[{"title":"t","content":"${{ parameters.b64 }} and ${{ parameters.basic }}"}]}}}"""))
        .<com.fasterxml.jackson.databind.node.ObjectNode>set("values", JSON.createObjectNode()
            .put("b64", b64).put("b64url", b64url).put("basic", basic))
        .set("secrets", JSON.createObjectNode().put("token", ENCODABLE)), 200);
    String logged = String.join("\n", dryRun.get("log").findValuesAsText("message"));
    assertTrue(logged.contains("url *** b64 *** ***"), logged);
    assertTrue(dryRun.at("/output/text/0/content").asText().startsWith("*** and Basic "), dryRun.toString());
    assertNoFormOfTheSecretIn("dry run", dryRun.toString());

    // a task: events (log and the failed step's error, whose message carries the URL-encoded secret)
    var body = JSON.createObjectNode().put("templateRef", "template:default/leaky-fail");
    body.putObject("values").put("b64", b64).put("b64url", b64url).put("basic", basic);
    body.putObject("secrets").put("token", ENCODABLE);
    String id = post("/api/scaffolder/v2/tasks", body, 201).get("id").asText();
    List<JsonNode> events = awaitCompletion(id);
    JsonNode failed = last(events);
    assertEquals("Run completed with status: failed", failed.at("/body/message").asText(), events.toString());
    assertTrue(failed.at("/body/error/message").asText().contains("../../***"), failed.toString());
    assertTrue(messages(events).stream().anyMatch(m -> m.startsWith("url *** b64 *** basic Basic ")), messages(events).toString());
    stream(id);
    get("/api/scaffolder/v2/tasks/" + id);
    for (String response : responses) {
      assertNoFormOfTheSecretIn("a response", response);
    }
  }

  // ------------------------------------------------------------------ helpers

  private void assertSecretNowhere() throws IOException {
    for (String body : responses) {
      assertFalse(body.contains(SECRET), "secret in a response: " + body);
    }
    List<Path> files;
    try (Stream<Path> s = Files.walk(tmp.resolve("data"))) {
      files = s.filter(Files::isRegularFile).toList();
    }
    assertFalse(files.isEmpty());
    byte[] needle = SECRET.getBytes(StandardCharsets.UTF_8);
    for (Path f : files) {
      assertFalse(contains(Files.readAllBytes(f), needle), "secret stored in " + tmp.relativize(f));
    }
  }

  private static boolean contains(byte[] hay, byte[] needle) {
    outer:
    for (int i = 0; i + needle.length <= hay.length; i++) {
      for (int j = 0; j < needle.length; j++) {
        if (hay[i + j] != needle[j]) {
          continue outer;
        }
      }
      return true;
    }
    return false;
  }

  private String createTask(String template, Map<String, String> secrets) throws Exception {
    var body = JSON.createObjectNode().put("templateRef", "template:default/" + template);
    body.putObject("values");
    var s = body.putObject("secrets");
    secrets.forEach(s::put);
    return post("/api/scaffolder/v2/tasks", body, 201).get("id").asText();
  }

  private JsonNode task(String id) throws Exception {
    return get("/api/scaffolder/v2/tasks/" + id);
  }

  /** Follows the long poll until an event's message contains {@code text}. */
  private void awaitMessage(String taskId, String text) throws Exception {
    List<JsonNode> seen = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      seen.addAll(eventsAfter(taskId, seen));
      if (messages(seen).stream().anyMatch(m -> m.contains(text))) {
        return;
      }
    }
    fail("no event with '" + text + "' for task " + taskId + ": " + seen);
  }

  /** Every event of the task up to its completion, following the long poll. */
  private List<JsonNode> awaitCompletion(String taskId) throws Exception {
    List<JsonNode> seen = new ArrayList<>();
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (System.nanoTime() < deadline) {
      for (JsonNode e : eventsAfter(taskId, seen)) {
        if (seen.stream().noneMatch(x -> x.get("id").asLong() == e.get("id").asLong())) {
          seen.add(e);
        }
      }
      if (!seen.isEmpty() && last(seen).get("type").asText().equals("completion")) {
        return seen;
      }
    }
    fail("task " + taskId + " did not complete: " + seen);
    return seen;
  }

  private List<JsonNode> eventsAfter(String taskId, List<JsonNode> seen) throws Exception {
    String after = seen.isEmpty() ? "" : "?after=" + last(seen).get("id").asLong();
    List<JsonNode> out = new ArrayList<>();
    get("/api/scaffolder/v2/tasks/" + taskId + "/events" + after).forEach(out::add);
    return out;
  }

  private void stream(String taskId) throws Exception {
    HttpResponse<String> res = http.send(HttpRequest.newBuilder(uri("/api/scaffolder/v2/tasks/" + taskId + "/eventstream"))
        .timeout(Duration.ofSeconds(20)).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(200, res.statusCode());
    assertTrue(res.body().contains("event: completion"), res.body());
    responses.add(res.body());
  }

  private static List<String> messages(List<JsonNode> events) {
    return events.stream().map(e -> e.at("/body/message").asText()).toList();
  }

  private static JsonNode last(List<JsonNode> events) {
    return events.get(events.size() - 1);
  }

  private URI uri(String path) {
    return URI.create("http://127.0.0.1:" + app.port() + path);
  }

  private JsonNode get(String path) throws Exception {
    HttpResponse<String> res = http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(40)).GET().build(),
        HttpResponse.BodyHandlers.ofString());
    responses.add(res.body());
    assertEquals(200, res.statusCode(), path + " -> " + res.body());
    return JSON.readTree(res.body());
  }

  private JsonNode post(String path, JsonNode body, int expected) throws Exception {
    HttpResponse<String> res = http.send(HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(20))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
        HttpResponse.BodyHandlers.ofString());
    responses.add(res.body());
    assertEquals(expected, res.statusCode(), path + " -> " + res.body());
    return JSON.readTree(res.body());
  }
}
