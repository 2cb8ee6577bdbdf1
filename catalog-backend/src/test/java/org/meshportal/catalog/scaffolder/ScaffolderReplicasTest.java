package org.meshportal.catalog.scaffolder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.meshportal.catalog.testing.TemplateYaml.template;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshportal.catalog.app.Application;
import org.meshportal.catalog.testing.LoopbackHttp;
import org.meshportal.catalog.testing.TestPostgres;

/**
 * Two servers on one PostgreSQL database, each with its own data folder (so nothing is shared
 * through the disk): a task created on one is listed, read, streamed, cancelled and retried on the
 * other, and a task whose server goes away mid-step is taken over by the other and finished
 * without running its finished steps again, its workspace rebuilt from the database.
 */
class ScaffolderReplicasTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final String SECRET = "pg-replica-secret-3f9a";
  private static final int HEARTBEAT_SECONDS = 1;
  private static final int TAKEOVER_SECONDS = 8;

  @TempDir Path tmp;
  private final HttpClient http = HttpClient.newHttpClient();
  private TestPostgres.Database db;
  private Application a;
  private Application b;

  @BeforeEach
  void start() throws Exception {
    db = TestPostgres.newDatabase("replicas");
    Path templates = Files.createDirectories(tmp.resolve("templates"));
    Files.createDirectories(templates.resolve("skeleton"));
    Files.writeString(templates.resolve("skeleton/README.md"), "# ${{ values.name }}\n");
    Files.writeString(templates.resolve("templates.yaml"), String.join("---\n",
        template("long-wait", """
            - id: greet
              name: Greet
              action: debug:log
              input:
                message: key is ${{ secrets.apiKey }}
            - id: wait
              name: Wait
              action: debug:wait
              input:
                milliseconds: 50000
            """),
        template("quick", """
            - id: greet
              name: Greet
              action: debug:log
              input:
                message: quick hello
            """),
        template("takeover", """
            - id: greet
              name: Greet
              action: debug:log
              input:
                message: greeting once
            - id: fetch
              name: Fetch
              action: fetch:template
              input:
                url: ./skeleton
                values:
                  name: taken-over
            - id: wait
              name: Wait
              action: debug:wait
              input:
                milliseconds: 4000
            - id: rename
              name: Rename
              action: fs:rename
              input:
                files:
                  - from: README.md
                    to: RENAMED.md
            """)));
    a = Application.start(List.of(config("a", templates)), false, name -> null);
    b = Application.start(List.of(config("b", templates)), false, name -> null);
  }

  @AfterEach
  void stop() {
    for (Application app : new Application[] {a, b}) {
      if (app != null) {
        app.close();
      }
    }
    if (db != null) {
      db.drop();
    }
  }

  private Path config(String name, Path templates) throws Exception {
    return Files.writeString(tmp.resolve(name + ".yaml"), """
        backend:
          listen: {port: 0}
          dataDir: %s
          auth: {dangerouslyDisableDefaultAuthPolicy: true}
          database:
            client: pg
            connection: '%s'
        catalog:
          locations:
            - type: file
              target: %s
        scaffolder:
          maxWaitSeconds: 60
          taskHeartbeatSeconds: %d
          taskTakeoverSeconds: %d
        """.formatted(tmp.resolve("data-" + name), db.url(), templates.resolve("templates.yaml"),
        HEARTBEAT_SECONDS, TAKEOVER_SECONDS));
  }

  @Test
  void a_task_created_on_one_replica_is_listed_read_streamed_and_cancelled_on_the_other() throws Exception {
    String id = createTask(a, "long-wait", Map.of("apiKey", SECRET));
    awaitMessage(b, id, "Waiting for 50000 ms"); // written by a's runner, read through b

    JsonNode listed = get(b, "/api/scaffolder/v2/tasks?status=processing");
    assertEquals(id, listed.at("/tasks/0/id").asText(), listed.toString());
    assertEquals("processing", get(b, "/api/scaffolder/v2/tasks/" + id).get("status").asText());

    CompletableFuture<HttpResponse<String>> stream = http.sendAsync(
        HttpRequest.newBuilder(uri(b, "/api/scaffolder/v2/tasks/" + id + "/eventstream"))
            .timeout(Duration.ofSeconds(40)).GET().build(), HttpResponse.BodyHandlers.ofString());

    post(b, "/api/scaffolder/v2/tasks/" + id + "/cancel", "{}", 200);
    // Only a's runner can end the wait: the cancel reached it through the database.
    List<JsonNode> events = awaitCompletion(b, id);
    assertEquals("failed", get(a, "/api/scaffolder/v2/tasks/" + id).get("status").asText());
    assertTrue(last(events).at("/body/error/message").asText().contains("has been cancelled"), last(events).toString());
    assertTrue(events.stream().anyMatch(e -> e.get("type").asText().equals("cancelled")), events.toString());

    HttpResponse<String> streamed = stream.get(40, TimeUnit.SECONDS);
    assertEquals(200, streamed.statusCode());
    assertTrue(streamed.body().contains("Waiting for 50000 ms"), streamed.body());
    assertTrue(streamed.body().contains("event: completion"), streamed.body());

    assertTrue(messages(events).contains("key is ***"), messages(events).toString());
    assertNoSecretStored();

    // Counted from the database: b's metrics count the task a ran.
    HttpResponse<String> metrics = send(b, HttpRequest.newBuilder(uri(b, "/metrics")).GET());
    assertTrue(metrics.body().contains("portal_scaffolder_tasks{status=\"failed\"} 1.0"), metrics.body());
  }

  @Test
  void a_finished_task_is_retried_on_the_other_replica() throws Exception {
    String id = createTask(a, "quick", Map.of());
    List<JsonNode> first = awaitCompletion(b, id);
    assertEquals("Run completed with status: completed", last(first).at("/body/message").asText());

    assertEquals(id, post(b, "/api/scaffolder/v2/tasks/" + id + "/retry", "{}", 201).get("id").asText());
    LoopbackHttp.await(() -> {
      List<JsonNode> all = allEvents(a, id);
      return all.stream().anyMatch(e -> e.get("type").asText().equals("recovered"))
          && last(all).get("type").asText().equals("completion") ? all : null;
    }, "the retried task completed again");
    assertEquals("completed", get(a, "/api/scaffolder/v2/tasks/" + id).get("status").asText());
  }

  @Test
  void a_replica_stopped_mid_step_hands_its_task_over_at_once_and_finished_steps_do_not_run_again()
      throws Exception {
    String id = createTask(a, "takeover", Map.of());
    String withSecrets = createTask(a, "long-wait", Map.of("apiKey", SECRET));
    awaitMessage(b, id, "Waiting for 4000 ms");
    awaitMessage(b, withSecrets, "Waiting for 50000 ms");

    // a stops mid-wait: nothing marks the task finished; a gives up its claims once its workers
    // have stopped, so b resumes the task without waiting for the takeover timeout.
    java.time.Instant stoppedAt = java.time.Instant.now();
    a.close();
    a = null;

    List<JsonNode> events = awaitCompletion(b, id);
    JsonNode task = get(b, "/api/scaffolder/v2/tasks/" + id);
    assertEquals("completed", task.get("status").asText(), events.toString());
    List<String> messages = messages(events);
    assertTrue(messages.contains("Resuming task after its replica stopped at its first unfinished step"),
        messages.toString());
    // Finished steps ran once; the interrupted wait ran again; the rename found the file the fetch
    // wrote on a's disk, so b rebuilt the workspace.
    assertEquals(1, count(messages, "greeting once"), messages.toString());
    assertEquals(1, count(messages, "Beginning step Greet"), messages.toString());
    assertEquals(1, count(messages, "Beginning step Fetch"), messages.toString());
    assertEquals(1, count(messages, "Finished step Fetch"), messages.toString());
    assertEquals(2, count(messages, "Beginning step Wait"), messages.toString());
    assertEquals(1, count(messages, "Finished step Rename"), messages.toString());
    JsonNode resumed = events.stream().filter(e -> e.at("/body/message").asText().startsWith("Resuming")).findFirst()
        .orElseThrow();
    Duration handover = Duration.between(stoppedAt, java.time.Instant.parse(resumed.get("createdAt").asText()));
    assertTrue(handover.compareTo(Duration.ofSeconds(TAKEOVER_SECONDS)) < 0,
        "handed over before the takeover timeout: " + handover);
    assertEquals(0, rows("SELECT count(*) FROM scaffolder_task_workspaces"), "a finished task's archive goes");

    // Its secrets died with a: the task fails as after a restart instead of running without them.
    List<JsonNode> failed = awaitCompletion(b, withSecrets);
    assertEquals("failed", get(b, "/api/scaffolder/v2/tasks/" + withSecrets).get("status").asText());
    assertTrue(failed.stream().anyMatch(e -> e.get("type").asText().equals("recovered")
        && e.at("/body/recoverStrategy").asText().equals("none")), failed.toString());
    assertTrue(last(failed).at("/body/error/message").asText().contains("because its replica stopped"), last(failed).toString());
    assertEquals(1, count(messages(failed), "Beginning step Wait"), "not run again without its secrets");
  }

  @Test
  void a_server_process_killed_with_sigkill_mid_task_has_its_task_taken_over() throws Exception {
    // A third server as a real child JVM (same classes as this test), so that SIGKILL ends it with
    // nothing run on the way out: no close, no shutdown hook, its claim simply stops being renewed.
    int port;
    try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    Path config = Files.writeString(tmp.resolve("c.yaml"), Files.readString(tmp.resolve("a.yaml"))
        .replace("listen: {port: 0}", "listen: {port: " + port + "}").replace("data-a", "data-c"));
    Path log = tmp.resolve("c.log");
    Process c = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
        "-cp", System.getProperty("java.class.path"), "org.meshportal.catalog.app.Main", "--config", config.toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      URI base = URI.create("http://127.0.0.1:" + port);
      String id = LoopbackHttp.await(() -> {
        try {
          HttpResponse<String> res = http.send(HttpRequest.newBuilder(base.resolve("/api/scaffolder/v2/tasks"))
              .timeout(Duration.ofSeconds(40)).header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(
                  "{\"templateRef\":\"template:default/takeover\",\"values\":{}}")).build(),
              HttpResponse.BodyHandlers.ofString());
          return res.statusCode() == 201 ? read(res.body()).get("id").asText() : null;
        } catch (java.io.IOException e) {
          if (!c.isAlive()) {
            throw new IllegalStateException("the child server exited: " + readQuietly(log));
          }
          return null; // not listening yet
        } catch (InterruptedException e) {
          throw new IllegalStateException(e);
        }
      }, "the child server created a task");
      awaitMessage(b, id, "Waiting for 4000 ms");

      java.time.Instant killedAt = java.time.Instant.now();
      c.destroyForcibly(); // SIGKILL
      assertTrue(c.waitFor(30, TimeUnit.SECONDS));
      assertEquals(137, c.exitValue(), "killed by SIGKILL");

      List<JsonNode> events = awaitCompletion(b, id);
      JsonNode resumed = events.stream().filter(e -> e.at("/body/message").asText().startsWith("Resuming"))
          .findFirst().orElseThrow(() -> new AssertionError("not resumed: " + events));
      Duration takeover = Duration.between(killedAt, java.time.Instant.parse(resumed.get("createdAt").asText()));
      // Nobody gave the claim up: it went stale first, and was taken within heartbeat + takeover.
      assertTrue(takeover.compareTo(Duration.ofSeconds(TAKEOVER_SECONDS / 2)) > 0, "" + takeover);
      assertTrue(takeover.compareTo(Duration.ofSeconds(30)) < 0, "taken over within 30 s: " + takeover);
      assertEquals("completed", get(b, "/api/scaffolder/v2/tasks/" + id).get("status").asText(), events.toString());
      List<String> messages = messages(events);
      assertTrue(messages.contains("Resuming task after its replica stopped at its first unfinished step"),
          messages.toString());
      assertEquals(1, count(messages, "Beginning step Fetch"), messages.toString());
      assertEquals(1, count(messages, "Finished step Fetch"), messages.toString());
      assertEquals(2, count(messages, "Beginning step Wait"), messages.toString());
      assertEquals(1, count(messages, "Finished step Rename"), messages.toString());
    } finally {
      c.destroyForcibly();
      c.waitFor(30, TimeUnit.SECONDS);
    }
  }

  private static String readQuietly(Path file) {
    try {
      return Files.readString(file);
    } catch (java.io.IOException e) {
      return e.toString();
    }
  }

  @Test
  void task_ids_no_task_can_have_are_client_errors_not_database_errors() {
    for (String id : List.of("%00", "a%00b", "x".repeat(5000), "%27%3B%20DROP%20TABLE%20scaffolder_tasks%3B--")) {
      String base = "/api/scaffolder/v2/tasks/" + id;
      for (HttpRequest.Builder request : List.of(
          HttpRequest.newBuilder(uri(b, base)).GET(),
          HttpRequest.newBuilder(uri(b, base + "/events")).GET(),
          HttpRequest.newBuilder(uri(b, base + "/eventstream")).GET(),
          HttpRequest.newBuilder(uri(b, base + "/cancel")).POST(HttpRequest.BodyPublishers.ofString("{}"))
              .header("Content-Type", "application/json"),
          HttpRequest.newBuilder(uri(b, base + "/retry")).POST(HttpRequest.BodyPublishers.ofString("{}"))
              .header("Content-Type", "application/json"))) {
        HttpResponse<String> res = send(b, request);
        String what = id.substring(0, Math.min(id.length(), 40)) + " -> " + res.body();
        if (id.contains("%00")) {
          // The HTTP server itself refuses an encoded NUL in a path; the store refuses it as well.
          assertTrue(res.statusCode() == 400 || res.statusCode() == 404, what);
        } else {
          assertEquals(404, res.statusCode(), what);
          assertTrue(res.body().contains("NotFoundError"), res.body());
        }
      }
    }
  }

  // ------------------------------------------------------------------ helpers

  private static long count(List<String> messages, String text) {
    return messages.stream().filter(m -> m.equals(text)).count();
  }

  /** No form of the secret in any task table (documents, events, workspace archives). */
  private void assertNoSecretStored() throws Exception {
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        PreparedStatement ps = c.prepareStatement("SELECT doc FROM scaffolder_tasks UNION ALL "
            + "SELECT body FROM scaffolder_task_events UNION ALL "
            + "SELECT encode(archive, 'escape') FROM scaffolder_task_workspaces");
        ResultSet rs = ps.executeQuery()) {
      int rows = 0;
      while (rs.next()) {
        rows++;
        assertFalse(rs.getString(1).contains(SECRET), rs.getString(1));
      }
      assertTrue(rows > 2, "the task and its events are there to look at");
    }
    assertEquals(0, rows("SELECT count(*) FROM scaffolder_task_workspaces"), "tasks with secrets keep no archive");
  }

  private long rows(String countQuery) throws Exception {
    try (Connection c = DriverManager.getConnection(db.jdbcUrl(), db.user(), db.password());
        PreparedStatement ps = c.prepareStatement(countQuery);
        ResultSet rs = ps.executeQuery()) {
      rs.next();
      return rs.getLong(1);
    }
  }

  private String createTask(Application app, String template, Map<String, String> secrets) throws Exception {
    var body = JSON.createObjectNode().put("templateRef", "template:default/" + template);
    body.putObject("values");
    var s = body.putObject("secrets");
    secrets.forEach(s::put);
    // b may still be loading the catalog; a has it once it answers (tasks are created on a).
    return LoopbackHttp.await(() -> {
      HttpResponse<String> res = send(app, HttpRequest.newBuilder(uri(app, "/api/scaffolder/v2/tasks"))
          .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body.toString())));
      return res.statusCode() == 201 ? read(res.body()).get("id").asText() : null;
    }, "the template was loaded and the task created");
  }

  /** Follows the long poll until an event's message equals or contains {@code text}. */
  private void awaitMessage(Application app, String taskId, String text) {
    LoopbackHttp.await(() -> messages(allEvents(app, taskId)).stream().anyMatch(m -> m.contains(text)) ? true : null,
        "an event with '" + text + "' for task " + taskId);
  }

  private List<JsonNode> awaitCompletion(Application app, String taskId) {
    return LoopbackHttp.await(() -> {
      List<JsonNode> all = allEvents(app, taskId);
      return !all.isEmpty() && last(all).get("type").asText().equals("completion") ? all : null;
    }, "task " + taskId + " completed");
  }

  /** Every event so far (the long poll returns at once when there are some). */
  private List<JsonNode> allEvents(Application app, String taskId) {
    List<JsonNode> out = new ArrayList<>();
    try {
      get(app, "/api/scaffolder/v2/tasks/" + taskId + "/events").forEach(out::add);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    return out;
  }

  private static List<String> messages(List<JsonNode> events) {
    return events.stream().map(e -> e.at("/body/message").asText()).toList();
  }

  private static JsonNode last(List<JsonNode> events) {
    return events.get(events.size() - 1);
  }

  private static URI uri(Application app, String path) {
    return URI.create("http://127.0.0.1:" + app.port() + path);
  }

  private HttpResponse<String> send(Application app, HttpRequest.Builder request) {
    try {
      return http.send(request.timeout(Duration.ofSeconds(40)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private JsonNode get(Application app, String path) throws Exception {
    HttpResponse<String> res = send(app, HttpRequest.newBuilder(uri(app, path)).GET());
    assertEquals(200, res.statusCode(), path + " -> " + res.body());
    return read(res.body());
  }

  private JsonNode post(Application app, String path, String body, int expected) {
    HttpResponse<String> res = send(app, HttpRequest.newBuilder(uri(app, path))
        .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)));
    assertEquals(expected, res.statusCode(), path + " -> " + res.body());
    return read(res.body());
  }

  private static JsonNode read(String body) {
    try {
      return JSON.readTree(body);
    } catch (Exception e) {
      throw new IllegalStateException(body, e);
    }
  }
}
