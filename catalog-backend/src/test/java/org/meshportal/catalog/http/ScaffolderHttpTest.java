package org.meshportal.catalog.http;

import org.meshportal.catalog.access.AccessPolicy;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
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
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshportal.catalog.auth.AuthSettings;
import org.meshportal.catalog.processing.CatalogEngine;
import org.meshportal.catalog.processing.CatalogEntityService;
import org.meshportal.catalog.processing.CatalogLocationService;
import org.meshportal.catalog.processing.ProcessingSettings;
import org.meshportal.catalog.scaffolder.CatalogTemplateFiles;
import org.meshportal.catalog.scaffolder.GitSyncPublisher;
import org.meshportal.catalog.scaffolder.IndexTemplateCatalog;
import org.meshportal.catalog.service.LocationService;
import org.meshportal.catalog.store.CatalogStore;
import org.meshportal.catalog.store.H2CatalogStore;
import org.meshportal.gitsync.GitPublishing;
import org.meshportal.gitsync.Integrations;
import org.meshportal.indexer.EntityIndex;
import org.meshportal.indexer.lucene.LuceneEntityIndex;
import org.meshportal.templates.ScaffolderService;
import org.meshportal.testfixtures.GitCli;

/**
 * The scaffolder over real HTTP: a real catalog (H2 store, Lucene index, engine) holding templates
 * read from file locations, the real engine running tasks, and real Git repositories.
 */
class ScaffolderHttpTest {
  private static final String SERVICE_TOKEN = "service-token-for-tests";
  private static final Set<String> EVENT_TYPES = Set.of("log", "completion", "cancelled", "recovered");

  @TempDir static Path tmp;

  private static CatalogStore store;
  private static EntityIndex index;
  private static ScaffolderService scaffolder;
  private static ExecutorService executor;
  private static TestServer server;
  private static String auth;
  private static Path templateDir;

  @BeforeAll
  static void start() throws IOException {
    templateDir = writeTemplate(tmp.resolve("data/templates/conformance-template"), "conformance-template",
        "Conformance Template", """
            - id: fetch
              name: Fetch skeleton
              action: fetch:template
              input:
                url: ./skeleton
                values:
                  name: ${{ parameters.name }}
                  description: ${{ parameters.description }}
            - id: log
              name: Log
              action: debug:log
              input:
                message: Created ${{ parameters.name }}
                listWorkspace: true
            """, "");
    writeTemplate(tmp.resolve("data/templates/wait-template"), "wait-template", "Wait Template", """
        - id: wait
          name: Wait
          action: debug:wait
          input:
            seconds: 30
        """, "");
    writeTemplate(tmp.resolve("data/templates/publish-template"), "publish-template", "Publish Template", """
        - id: fetch
          name: Fetch skeleton
          action: fetch:template
          input:
            url: ./skeleton
            values:
              name: ${{ parameters.name }}
        - id: publish
          name: Publish
          action: publish:git
          input:
            repoUrl: ${{ parameters.repoUrl }}
            gitCommitMessage: Scaffold ${{ parameters.name }}
        """, """
            repoUrl:
              type: string
        """);

    writeTemplate(tmp.resolve("data/templates/github-template"), "github-template", "GitHub Template", """
        - id: log
          name: Log
          action: debug:log
          input:
            message: Starting ${{ parameters.name }}
        - id: publish
          name: Publish
          action: publish:nowhere
          input:
            repoUrl: github.com?owner=o&repo=${{ parameters.name }}
        """, "");

    store = H2CatalogStore.open(tmp.resolve("db"));
    index = LuceneEntityIndex.open(tmp.resolve("index"));
    ProcessingSettings settings = ProcessingSettings.defaults()
        .withAllowedLocationTypes(Set.of("url", "file"))
        .withAllowedKinds(Set.of());
    CatalogEngine engine = new CatalogEngine(store, index, settings, null, AccessPolicy.readingFrom(tmp));
    engine.start();
    LocationService locations = new CatalogLocationService(engine, store);
    for (String name : List.of("conformance-template", "wait-template", "publish-template", "github-template")) {
      locations.add("file", tmp.resolve("data/templates/" + name + "/template.yaml").toString(), false, false);
    }

    executor = Executors.newVirtualThreadPerTaskExecutor();
    scaffolder = ScaffolderService.builder()
        .dataDir(tmp.resolve("scaffolder"))
        .catalog(new IndexTemplateCatalog(index, locations))
        .publisher(new GitSyncPublisher(GitPublishing.jgit(tmp.resolve("publish-work")), Integrations.none(),
            new AccessPolicy(List.of(), List.of(tmp), List.of(), List.of(), List.of())))
        .files(new CatalogTemplateFiles(AccessPolicy.readingFrom(tmp)))
        .executor(executor)
        .build();
    scaffolder.start();

    AuthSettings authSettings = new AuthSettings("http://localhost:7007/api/auth", null,
        AuthSettings.GuestSettings.defaults(), List.of(new AuthSettings.StaticToken(SERVICE_TOKEN, "conformance")),
        false, null);
    HttpServer.Builder builder = HttpServer.builder(TestServer.settings(), authSettings)
        .catalog(index, new CatalogEntityService(engine), locations);
    ScaffolderHttp.mount(builder, scaffolder, Duration.ofMillis(300));
    server = TestServer.start(builder);
    auth = "Bearer " + server.guestToken();
  }

  @AfterAll
  static void stop() throws Exception {
    if (server != null) {
      server.close();
    }
    if (scaffolder != null) {
      scaffolder.close();
    }
    executor.shutdownNow();
    index.close();
    store.close();
  }

  private static Path writeTemplate(Path dir, String name, String title, String steps, String extraProperties)
      throws IOException {
    Files.createDirectories(dir.resolve("skeleton/docs"));
    Files.writeString(dir.resolve("skeleton/README.md"), "# ${{ values.name }}\n\n${{ values.description }}\n");
    Files.writeString(dir.resolve("skeleton/docs/index.md"), "Docs for ${{ values.name }}\n");
    Files.writeString(dir.resolve("template.yaml"), """
        apiVersion: scaffolder.backstage.io/v1beta3
        kind: Template
        metadata:
          name: %s
          title: %s
          description: %s (test template)
        spec:
          owner: group:default/team-a
          type: service
          parameters:
            - title: Basics
              required: [name]
              properties:
                name:
                  title: Name
                  type: string
                  pattern: '^[a-z0-9-]+$'
                description:
                  title: Description
                  type: string
                  default: generated
        %s
          steps:
        %s
          output:
            text:
              - title: Result
                content: Created ${{ parameters.name }}
        """.formatted(name, title, title, indent(extraProperties, 4), indent(steps, 4)));
    return dir;
  }

  private static String indent(String text, int spaces) {
    String pad = " ".repeat(spaces);
    return text.lines().map(l -> l.isEmpty() ? l : pad + l).reduce("", (a, b) -> a + b + "\n");
  }

  // ---------------------------------------------------------------- helpers

  private static TestServer.Response get(String path) {
    return server.get(path, "Authorization", auth);
  }

  private static TestServer.Response post(String path, String body) {
    return server.post(path, body, "Authorization", auth);
  }

  private static String createTask(String templateRef, String valuesJson) {
    TestServer.Response r = post("/api/scaffolder/v2/tasks",
        "{\"templateRef\":\"" + templateRef + "\",\"values\":" + valuesJson + "}");
    assertEquals(201, r.status(), r.body());
    SpecSchemas.assertMatches("scaffolder", "POST", "/v2/tasks", r);
    return r.json().get("id").asText();
  }

  record Frame(String event, JsonNode data) {}

  record EventStream(int status, String contentType, String cacheControl, String connection, List<Frame> frames,
      List<String> otherLines) {}

  /** Reads the event stream until the server ends it (bounded by the request timeout). */
  private static EventStream readStream(String taskId, String query) throws IOException, InterruptedException {
    HttpClient client = HttpClient.newHttpClient();
    HttpRequest request = HttpRequest.newBuilder(URI.create(server.base + "/api/scaffolder/v2/tasks/" + taskId
            + "/eventstream" + query))
        .header("Authorization", auth).header("Accept", "text/event-stream")
        .timeout(Duration.ofSeconds(20)).build();
    HttpResponse<java.io.InputStream> res = client.send(request, HttpResponse.BodyHandlers.ofInputStream());
    List<Frame> frames = new ArrayList<>();
    List<String> other = new ArrayList<>();
    try (BufferedReader in = new BufferedReader(new InputStreamReader(res.body(), StandardCharsets.UTF_8))) {
      String event = null;
      String line;
      while ((line = in.readLine()) != null) {
        if (line.startsWith("event: ")) {
          event = line.substring(7);
        } else if (line.startsWith("data: ")) {
          frames.add(new Frame(event, TestServer.MAPPER.readTree(line.substring(6))));
          event = null;
        } else if (!line.isEmpty()) {
          other.add(line);
        }
      }
    }
    return new EventStream(res.statusCode(), res.headers().firstValue("content-type").orElse(""),
        res.headers().firstValue("cache-control").orElse(null), res.headers().firstValue("connection").orElse(null),
        frames, other);
  }

  /** Waits for the task to finish (the event stream ends at completion) and checks its status. */
  private static JsonNode awaitStatus(String taskId, String status) throws IOException, InterruptedException {
    readStream(taskId, "");
    JsonNode task = get("/api/scaffolder/v2/tasks/" + taskId).json();
    assertEquals(status, task.path("status").asText(), task.toString());
    return task;
  }

  /** Long-polls until an event matching {@code message} arrives; returns the last event id seen. */
  private static long awaitEvent(String taskId, String message) {
    long after = -1;
    for (int i = 0; i < 100; i++) {
      JsonNode events = get("/api/scaffolder/v2/tasks/" + taskId + "/events?after=" + after).json();
      for (JsonNode e : events) {
        after = Math.max(after, e.get("id").asLong());
        if (e.at("/body/message").asText().contains(message)) {
          return after;
        }
      }
    }
    throw new AssertionError("no event '" + message + "' for task " + taskId);
  }

  // ---------------------------------------------------------------- tests

  @Test
  void created_task_streams_log_events_then_completion_and_late_readers_get_the_completion() throws Exception {
    String taskId = createTask("template:default/conformance-template", "{\"name\":\"svc-one\"}");

    EventStream stream = readStream(taskId, "");
    assertEquals(200, stream.status());
    assertTrue(stream.contentType().startsWith("text/event-stream"), stream.contentType());
    assertEquals("no-cache", stream.cacheControl());
    assertEquals("keep-alive", stream.connection());
    assertEquals(List.of(), stream.otherLines(), "only event: and data: lines");
    List<Frame> frames = stream.frames();
    for (Frame f : frames) {
      assertTrue(EVENT_TYPES.contains(f.event()), f.event());
      assertEquals(f.event(), f.data().get("type").asText());
      assertEquals(taskId, f.data().get("taskId").asText());
      Set<String> keys = new HashSet<>();
      f.data().fieldNames().forEachRemaining(keys::add);
      assertTrue(Set.of("id", "taskId", "type", "body", "createdAt", "isTaskRecoverable").containsAll(keys), keys.toString());
    }
    Frame last = frames.get(frames.size() - 1);
    assertEquals("completion", last.event());
    assertEquals("Run completed with status: completed", last.data().at("/body/message").asText());
    assertEquals("Created svc-one", last.data().at("/body/output/text/0/content").asText());
    assertTrue(frames.stream().anyMatch(f -> f.event().equals("log")
        && f.data().at("/body/message").asText().contains("Created svc-one")), "debug:log streamed");
    assertTrue(frames.stream().anyMatch(f -> f.data().at("/body/stepId").asText().equals("fetch")
        && f.data().at("/body/status").asText().equals("completed")));

    // a reader arriving after completion gets everything; one beyond the completion still gets it
    assertEquals(frames.size(), readStream(taskId, "").frames().size());
    long lastId = last.data().get("id").asLong();
    List<Frame> beyond = readStream(taskId, "?after=" + lastId).frames();
    assertEquals(1, beyond.size());
    assertEquals("completion", beyond.get(0).event());

    // the caller's token reaches actions but is never stored
    String token = auth.substring("Bearer ".length());
    try (var files = Files.walk(tmp.resolve("scaffolder"))) {
      for (Path p : files.filter(Files::isRegularFile).toList()) {
        assertFalse(Files.readString(p, StandardCharsets.ISO_8859_1).contains(token), "token stored in " + p);
      }
    }
  }

  @Test
  void events_long_poll_and_after() throws Exception {
    String taskId = createTask("template:default/conformance-template", "{\"name\":\"svc-two\"}");
    awaitStatus(taskId, "completed");
    TestServer.Response all = get("/api/scaffolder/v2/tasks/" + taskId + "/events");
    assertEquals(200, all.status());
    SpecSchemas.assertMatches("scaffolder", "GET", "/v2/tasks/{taskId}/events", all);
    JsonNode events = all.json();
    assertEquals("log", events.get(0).get("type").asText());
    assertTrue(events.get(0).at("/body/message").asText().startsWith("Starting up task with 2 steps"));
    JsonNode completion = events.get(events.size() - 1);
    assertEquals("completion", completion.get("type").asText());
    long lastId = completion.get("id").asLong();
    JsonNode after = get("/api/scaffolder/v2/tasks/" + taskId + "/events?after=" + (lastId - 1)).json();
    assertEquals(1, after.size());
    // the completion event is included even when after is beyond it, without waiting
    JsonNode beyond = get("/api/scaffolder/v2/tasks/" + taskId + "/events?after=" + (lastId + 100)).json();
    assertEquals(1, beyond.size());
    assertEquals("completion", beyond.get(0).get("type").asText());

    TestServer.Response bad = get("/api/scaffolder/v2/tasks/" + taskId + "/events?after=x");
    assertEquals(400, bad.status());
    assertEquals("InputError", bad.json().at("/error/name").asText());
  }

  @Test
  void get_and_list_tasks() throws Exception {
    String taskId = createTask("template:default/conformance-template", "{\"name\":\"svc-three\"}");
    JsonNode task = awaitStatus(taskId, "completed");
    TestServer.Response r = get("/api/scaffolder/v2/tasks/" + taskId);
    SpecSchemas.assertMatches("scaffolder", "GET", "/v2/tasks/{taskId}", r);
    assertEquals(taskId, task.get("id").asText());
    assertEquals(2, task.at("/spec/steps").size());
    assertEquals("template:default/conformance-template", task.at("/spec/templateInfo/entityRef").asText());
    assertEquals(templateDir.resolve("template.yaml").toUri().toString(), task.at("/spec/templateInfo/baseUrl").asText());
    assertEquals("user:development/guest", task.get("createdBy").asText());
    assertEquals("user:development/guest", task.at("/spec/user/ref").asText());
    assertEquals("svc-three", task.at("/spec/parameters/name").asText());

    TestServer.Response missing = get("/api/scaffolder/v2/tasks/00000000-0000-4000-8000-000000000000");
    assertEquals(404, missing.status());
    assertEquals("Task with id 00000000-0000-4000-8000-000000000000 does not exist",
        missing.json().at("/error/message").asText());
    assertEquals("NotFoundError", missing.json().at("/error/name").asText());

    TestServer.Response list = get("/api/scaffolder/v2/tasks");
    assertEquals(200, list.status());
    SpecSchemas.assertMatches("scaffolder", "GET", "/v2/tasks", list);
    assertTrue(list.json().get("totalTasks").asLong() >= 1);
    assertTrue(ids(list.json()).contains(taskId));

    JsonNode mine = get("/api/scaffolder/v2/tasks?createdBy=user:development/guest&createdBy=user:default/other"
        + "&status=completed&status=failed").json();
    assertTrue(ids(mine).contains(taskId));
    JsonNode others = get("/api/scaffolder/v2/tasks?createdBy=user:default/other").json();
    assertEquals(0, others.get("totalTasks").asLong());
    JsonNode open = get("/api/scaffolder/v2/tasks?status=open").json();
    assertFalse(ids(open).contains(taskId));

    JsonNode page = get("/api/scaffolder/v2/tasks?limit=1&offset=0&order=asc:created_at").json();
    assertEquals(1, page.get("tasks").size());
    assertTrue(page.get("totalTasks").asLong() >= 1);
    JsonNode newest = get("/api/scaffolder/v2/tasks?limit=1").json();
    JsonNode oldest = get("/api/scaffolder/v2/tasks?limit=1&order=asc:created_at").json();
    assertTrue(newest.at("/tasks/0/createdAt").asText().compareTo(oldest.at("/tasks/0/createdAt").asText()) >= 0);
    assertEquals(400, get("/api/scaffolder/v2/tasks?limit=x").status());
    assertEquals(400, get("/api/scaffolder/v2/tasks?order=asc:nope").status());
  }

  private static Set<String> ids(JsonNode page) {
    Set<String> out = new HashSet<>();
    page.get("tasks").forEach(t -> out.add(t.get("id").asText()));
    return out;
  }

  @Test
  void service_callers_create_tasks_without_a_creator() {
    TestServer.Response r = server.post("/api/scaffolder/v2/tasks",
        "{\"templateRef\":\"template:default/conformance-template\",\"values\":{\"name\":\"svc-svc\"}}",
        "Authorization", "Bearer " + SERVICE_TOKEN);
    assertEquals(201, r.status(), r.body());
    JsonNode task = get("/api/scaffolder/v2/tasks/" + r.json().get("id").asText()).json();
    assertNull(task.get("createdBy"));
    assertFalse(task.at("/spec/user").has("ref"));
    assertEquals(401, server.post("/api/scaffolder/v2/tasks", "{}").status());
  }

  @Test
  void parameter_schema_is_served_with_namespace_before_kind() {
    TestServer.Response r = get("/api/scaffolder/v2/templates/default/template/conformance-template/parameter-schema");
    assertEquals(200, r.status());
    SpecSchemas.assertMatches("scaffolder", "GET", "/v2/templates/{namespace}/{kind}/{name}/parameter-schema", r);
    JsonNode body = r.json();
    assertEquals("Conformance Template", body.get("title").asText());
    assertEquals(1, body.get("steps").size());
    assertEquals("Basics", body.at("/steps/0/title").asText());
    assertTrue(body.at("/steps/0/schema/properties").has("name"));
    assertEquals("name", body.at("/steps/0/schema/required/0").asText());

    TestServer.Response missing = get("/api/scaffolder/v2/templates/default/template/no-such-template/parameter-schema");
    assertEquals(404, missing.status());
    assertEquals("Template template:default/no-such-template not found", missing.json().at("/error/message").asText());
    TestServer.Response wrongKind = get("/api/scaffolder/v2/templates/default/component/x/parameter-schema");
    assertEquals(400, wrongKind.status());
    assertEquals("Invalid kind, only 'Template' kind is supported", wrongKind.json().at("/error/message").asText());
  }

  @Test
  void invalid_values_answer_400_with_errors_not_the_envelope() {
    TestServer.Response r = post("/api/scaffolder/v2/tasks",
        "{\"templateRef\":\"template:default/conformance-template\",\"values\":{\"name\":\"Invalid Name!\"}}");
    assertEquals(400, r.status(), r.body());
    assertTrue(r.header("content-type").startsWith("application/json"));
    SpecSchemas.assertMatches("scaffolder", "POST", "/v2/tasks", r);
    JsonNode body = r.json();
    assertFalse(body.has("error"));
    assertTrue(body.get("errors").isArray() && body.get("errors").size() > 0, r.body());
    assertTrue(body.at("/errors/0/message").asText().length() > 0);

    TestServer.Response missingName = post("/api/scaffolder/v2/tasks",
        "{\"templateRef\":\"template:default/conformance-template\",\"values\":{}}");
    assertEquals(400, missingName.status());
    assertTrue(missingName.json().get("errors").size() > 0);

    TestServer.Response noRef = post("/api/scaffolder/v2/tasks", "{\"values\":{}}");
    assertEquals(400, noRef.status());
    assertEquals("InputError", noRef.json().at("/error/name").asText());
    TestServer.Response unknown = post("/api/scaffolder/v2/tasks",
        "{\"templateRef\":\"template:default/nope\",\"values\":{}}");
    assertEquals(404, unknown.status());
  }

  @Test
  void cancel_and_retry() throws Exception {
    String taskId = createTask("template:default/wait-template", "{\"name\":\"waiter\"}");
    long seen = awaitEvent(taskId, "Waiting for");

    TestServer.Response busy = post("/api/scaffolder/v2/tasks/" + taskId + "/retry", "{}");
    assertEquals(409, busy.status());
    assertEquals("Task with taskId " + taskId + " cannot be retried", busy.json().at("/error/message").asText());

    // nothing new while the step waits: the long poll answers [] after its (shortened) wait
    long started = System.nanoTime();
    TestServer.Response quiet = get("/api/scaffolder/v2/tasks/" + taskId + "/events?after=" + seen);
    assertEquals("[]", quiet.body());
    assertTrue(System.nanoTime() - started >= Duration.ofMillis(250).toNanos(), "long poll waited");

    TestServer.Response cancel = post("/api/scaffolder/v2/tasks/" + taskId + "/cancel", null);
    assertEquals(200, cancel.status());
    assertEquals("{\"status\":\"cancelled\"}", cancel.body());
    SpecSchemas.assertMatches("scaffolder", "POST", "/v2/tasks/{taskId}/cancel", cancel);

    List<Frame> frames = readStream(taskId, "?after=" + seen).frames();
    assertEquals("cancelled", frames.get(0).event());
    assertEquals("Step wait has been cancelled.", frames.get(0).data().at("/body/message").asText());
    assertEquals("completion", frames.get(frames.size() - 1).event());
    assertEquals("Run completed with status: failed", last(frames).data().at("/body/message").asText());
    assertEquals("Step wait (Wait) of task " + taskId + " has been cancelled.",
        last(frames).data().at("/body/error/message").asText());
    assertEquals("failed", get("/api/scaffolder/v2/tasks/" + taskId).json().get("status").asText());

    TestServer.Response retry = post("/api/scaffolder/v2/tasks/" + taskId + "/retry", "{}");
    assertEquals(201, retry.status(), retry.body());
    SpecSchemas.assertMatches("scaffolder", "POST", "/v2/tasks/{taskId}/retry", retry);
    assertEquals(taskId, retry.json().get("id").asText());
    awaitEvent(taskId, "Waiting for");
    JsonNode events = get("/api/scaffolder/v2/tasks/" + taskId + "/events").json();
    assertTrue(stream(events).anyMatch(e -> e.get("type").asText().equals("recovered")));
    assertTrue(stream(events).noneMatch(e -> e.get("type").asText().equals("completion")), "old completion removed");
    post("/api/scaffolder/v2/tasks/" + taskId + "/cancel", null);
    assertEquals("completion", last(readStream(taskId, "").frames()).event());

    assertEquals(404, post("/api/scaffolder/v2/tasks/nope/cancel", null).status());
    assertEquals(404, get("/api/scaffolder/v2/tasks/nope/eventstream").status());
  }

  private static java.util.stream.Stream<JsonNode> stream(JsonNode array) {
    List<JsonNode> out = new ArrayList<>();
    array.forEach(out::add);
    return out.stream();
  }

  private static Frame last(List<Frame> frames) {
    return frames.get(frames.size() - 1);
  }

  @Test
  void dry_run_renders_the_given_files_without_side_effects() throws IOException {
    ObjectNode template = (ObjectNode) get("/api/catalog/entities/by-name/template/default/conformance-template").json();
    ObjectNode body = TestServer.MAPPER.createObjectNode();
    body.set("template", template);
    body.putObject("values").put("name", "dry");
    ArrayNode files = body.putArray("directoryContents");
    files.addObject().put("path", "skeleton/README.md")
        .put("base64Content", Base64.getEncoder().encodeToString("# ${{ values.name }}\n".getBytes(StandardCharsets.UTF_8)));
    TestServer.Response r = post("/api/scaffolder/v2/dry-run", body.toString());
    assertEquals(200, r.status(), r.body());
    SpecSchemas.assertMatches("scaffolder", "POST", "/v2/dry-run", r);
    JsonNode out = r.json();
    assertEquals("Created dry", out.at("/output/text/0/content").asText());
    JsonNode readme = stream(out.get("directoryContents"))
        .filter(f -> f.get("path").asText().equals("README.md")).findFirst().orElseThrow();
    assertEquals("# dry\n", new String(Base64.getDecoder().decode(readme.get("base64Content").asText()), StandardCharsets.UTF_8));
    assertEquals(2, out.get("steps").size());
    assertTrue(out.get("log").size() > 0);

    TestServer.Response notTemplate = post("/api/scaffolder/v2/dry-run", "{\"template\":{\"kind\":\"Component\"},\"values\":{}}");
    assertEquals(400, notTemplate.status());
    assertEquals("Input template is not a template", notTemplate.json().at("/error/message").asText());
  }

  private static final String NOT_REGISTERED = "Template action with ID 'publish:nowhere' is not registered. See "
      + "https://backstage.io/docs/features/software-templates/builtin-actions/ on how to add a new action module.";

  /**
   * Backstage's POST /v2/tasks checks only the values against the parameter schemas; the action is
   * looked up when its step runs (NunjucksWorkflowRunner.executeStep), so the task is created and
   * fails at that step with TemplateActionRegistry's NotFoundError.
   */
  @Test
  void an_unknown_action_fails_its_step_with_backstages_not_found_error() throws Exception {
    String taskId = createTask("template:default/github-template", "{\"name\":\"gh\"}");
    awaitStatus(taskId, "failed");
    JsonNode events = get("/api/scaffolder/v2/tasks/" + taskId + "/events").json();
    List<String> messages = events.findValuesAsText("message");
    assertTrue(messages.contains("Starting gh"), "steps before it run, as in Backstage: " + messages);
    JsonNode completion = stream(events).filter(e -> e.get("type").asText().equals("completion")).findFirst().orElseThrow();
    assertEquals("NotFoundError", completion.at("/body/error/name").asText(), completion.toString());
    assertEquals(NOT_REGISTERED, completion.at("/body/error/message").asText());
  }

  /**
   * Backstage's dry-run lets the runner's error escape to the HTTP answer: an unknown action is a
   * 404 NotFoundError, an input that fails the action's schema a 400 InputError.
   */
  @Test
  void dry_run_refuses_unknown_actions_and_invalid_inputs_with_backstages_errors() throws IOException {
    ObjectNode template = (ObjectNode) get("/api/catalog/entities/by-name/template/default/github-template").json();
    ObjectNode body = TestServer.MAPPER.createObjectNode();
    body.set("template", template);
    body.putObject("values").put("name", "dry");
    body.putArray("directoryContents");
    TestServer.Response unknown = post("/api/scaffolder/v2/dry-run", body.toString());
    assertEquals(404, unknown.status(), unknown.body());
    assertEquals("NotFoundError", unknown.json().at("/error/name").asText());
    assertEquals(NOT_REGISTERED, unknown.json().at("/error/message").asText());
    assertEquals(404, unknown.json().at("/response/statusCode").asInt(), unknown.body());

    ObjectNode step = (ObjectNode) template.at("/spec/steps/1");
    step.put("action", "fetch:template");
    step.putObject("input").put("values", "not an object");
    TestServer.Response invalid = post("/api/scaffolder/v2/dry-run", body.toString());
    assertEquals(400, invalid.status(), invalid.body());
    assertEquals("InputError", invalid.json().at("/error/name").asText());
    assertTrue(invalid.json().at("/error/message").asText().startsWith("Invalid input passed to action fetch:template, "),
        invalid.body());
  }

  @Test
  void dry_run_directory_contents_over_the_limits_are_refused() throws IOException {
    ObjectNode template = (ObjectNode) get("/api/catalog/entities/by-name/template/default/conformance-template").json();
    ObjectNode body = TestServer.MAPPER.createObjectNode();
    body.set("template", template);
    body.putObject("values").put("name", "dry");
    ArrayNode files = body.putArray("directoryContents");
    for (int i = 0; i < ScaffolderService.MAX_DRY_RUN_FILES + 1; i++) {
      files.addObject().put("path", "skeleton/f" + i + ".txt").put("base64Content", "eA==");
    }
    TestServer.Response tooMany = post("/api/scaffolder/v2/dry-run", body.toString());
    assertEquals(400, tooMany.status(), tooMany.body());
    assertEquals("InputError", tooMany.json().at("/error/name").asText());
    assertEquals("directoryContents has 1001 files, more than the limit of 1000", tooMany.json().at("/error/message").asText());
    assertEquals("/v2/dry-run", tooMany.json().at("/request/url").asText());

    files.removeAll();
    // two files together one byte over the limit: the total counts, not each file
    int half = (int) (ScaffolderService.MAX_DRY_RUN_BYTES / 2);
    files.addObject().put("path", "skeleton/a.bin").put("base64Content", Base64.getEncoder().encodeToString(new byte[half]));
    files.addObject().put("path", "skeleton/b.bin").put("base64Content", Base64.getEncoder().encodeToString(new byte[half + 1]));
    TestServer.Response tooBig = post("/api/scaffolder/v2/dry-run", body.toString());
    assertEquals(413, tooBig.status(), tooBig.body());
    assertEquals("PayloadTooLargeError", tooBig.json().at("/error/name").asText());
    assertEquals(413, tooBig.json().at("/response/statusCode").asInt());

    files.removeAll();
    files.addObject().put("path", "skeleton/a.txt").put("base64Content", "!not base64!");
    TestServer.Response badBase64 = post("/api/scaffolder/v2/dry-run", body.toString());
    assertEquals(400, badBase64.status(), badBase64.body());
    assertEquals("InputError", badBase64.json().at("/error/name").asText());
  }

  @Test
  void actions_and_extensions_are_listed_and_autocomplete_is_not_offered() {
    TestServer.Response r = get("/api/scaffolder/v2/actions");
    assertEquals(200, r.status());
    SpecSchemas.assertMatches("scaffolder", "GET", "/v2/actions", r);
    List<String> ids = new ArrayList<>();
    r.json().forEach(a -> ids.add(a.get("id").asText()));
    assertTrue(ids.containsAll(List.of("fetch:template", "debug:log", "publish:git", "catalog:register")), ids.toString());
    assertEquals(ids.stream().sorted().toList(), ids, "sorted by id");
    JsonNode debugLog = stream(r.json()).filter(a -> a.get("id").asText().equals("debug:log")).findFirst().orElseThrow();
    assertTrue(debugLog.at("/schema/input").isObject());
    JsonNode fetch = stream(r.json()).filter(a -> a.get("id").asText().equals("fetch:template")).findFirst().orElseThrow();
    assertTrue(fetch.at("/schema/input/properties").has("url"));

    TestServer.Response ext = get("/api/scaffolder/v2/templating-extensions");
    assertEquals(200, ext.status());
    SpecSchemas.assertMatches("scaffolder", "GET", "/v2/templating-extensions", ext);
    assertTrue(ext.json().get("filters").has("parseRepoUrl"), ext.body());

    // No autocomplete provider is served, so the route is not offered (it could never succeed).
    TestServer.Response autocomplete = post("/api/scaffolder/v2/autocomplete/github/repositories",
        "{\"token\":\"t\",\"context\":{}}");
    assertEquals(404, autocomplete.status(), autocomplete.body());
  }

  @Test
  void publish_git_pushes_the_scaffolded_files_to_a_new_file_repository() throws Exception {
    Path remote = tmp.resolve("remotes/svc-pub.git");
    String taskId = createTask("template:default/publish-template",
        "{\"name\":\"svc-pub\",\"repoUrl\":\"" + remote.toUri() + "\"}");
    Frame completion = last(readStream(taskId, "").frames());
    assertEquals("Run completed with status: completed", completion.data().at("/body/message").asText(),
        completion.data().toString());

    assertEquals("# svc-pub\n\n\n", git(remote, "show", "main:README.md"));
    assertEquals("Docs for svc-pub\n", git(remote, "show", "main:docs/index.md"));
    assertEquals("Scaffold svc-pub", git(remote, "log", "-1", "--format=%s", "main").strip());

    JsonNode events = get("/api/scaffolder/v2/tasks/" + taskId + "/events").json();
    assertTrue(stream(events).anyMatch(e -> e.at("/body/message").asText().contains("Creating repository")));
  }

  /** Runs the git CLI against a bare repository, isolated from the machine's git configuration. */
  private static String git(Path gitDir, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("git", "--git-dir=" + gitDir));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
    GitCli.isolate(pb.environment());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor(), "git " + String.join(" ", args) + ": " + out);
    return out;
  }

  @Test
  void every_scaffolder_route_is_documented_and_every_documented_path_is_routed() {
    Set<String> routed = new HashSet<>();
    for (String route : server.server.routes()) {
      String[] parts = route.split(" ", 2);
      if (parts[1].startsWith("/api/scaffolder/")) {
        routed.add(parts[0].toUpperCase() + " " + parts[1].substring("/api/scaffolder".length()));
      }
    }
    Set<String> documented = new HashSet<>();
    JsonNode paths = SpecSchemas.document("scaffolder").get("paths");
    paths.properties().forEach(p -> p.getValue().fieldNames().forEachRemaining(m -> {
      if (Set.of("get", "post", "put", "delete").contains(m)) {
        documented.add(m.toUpperCase() + " " + p.getKey());
      }
    }));
    assertEquals(documented, routed);
    assertEquals(11 + 1, routed.size());
    TestServer.Response spec = get("/api/scaffolder/openapi.json");
    assertEquals(200, spec.status());
    assertEquals("scaffolder", spec.json().at("/info/title").asText());
  }
}
