package org.meshportal.templates;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.meshportal.templates.TestFixtures.awaitCompletion;
import static org.meshportal.templates.TestFixtures.awaitLog;
import static org.meshportal.templates.TestFixtures.completion;
import static org.meshportal.templates.TestFixtures.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshportal.model.errors.ConflictException;
import org.meshportal.model.errors.InputException;
import org.meshportal.model.errors.NotFoundException;

class ScaffolderServiceTest {
  @TempDir Path tmp;

  private final TestFixtures.MemoryCatalog catalog = new TestFixtures.MemoryCatalog();
  private final TestActions.Record record = new TestActions.Record();
  private ExecutorService executor;
  private TestFixtures.CliGitPublisher git;
  private ScaffolderService service;
  private Path templateDir;

  /** The conformance template of shared/compat/gen_catalog.mjs, reproduced. */
  private static final String CONFORMANCE_SPEC = """
      {"owner":"group:team-0000","type":"service",
       "parameters":[{"title":"Basics","required":["name"],"properties":{
          "name":{"title":"Name","type":"string","description":"Component name","pattern":"^[a-z0-9-]+$","ui:autofocus":true},
          "description":{"title":"Description","type":"string","default":"generated"}}}],
       "steps":[
         {"id":"fetch","name":"Fetch skeleton","action":"fetch:template",
          "input":{"url":"./skeleton","values":{"name":"${{ parameters.name }}","description":"${{ parameters.description }}"}}},
         {"id":"log","name":"Log","action":"debug:log","input":{"message":"Created ${{ parameters.name }}","listWorkspace":true}}],
       "output":{"text":[{"title":"Result","content":"Created ${{ parameters.name }}"}]}}""";

  @BeforeEach
  void setUp() throws Exception {
    executor = Executors.newVirtualThreadPerTaskExecutor();
    git = new TestFixtures.CliGitPublisher(Files.createDirectories(tmp.resolve("git")));
    templateDir = tmp.resolve("templates/conformance-template");
    Files.createDirectories(templateDir.resolve("skeleton/docs"));
    Files.writeString(templateDir.resolve("skeleton/README.md"), "# ${{ values.name }}\n\n${{ values.description }}\n");
    Files.writeString(templateDir.resolve("skeleton/docs/index.md"), "Docs for ${{ values.name }}\n");
    Files.writeString(templateDir.resolve("skeleton/catalog-info.yaml"),
        "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${{ values.name }}\nspec:\n  type: service\n");
    catalog.add(TestFixtures.template("conformance-template", templateDir, CONFORMANCE_SPEC));
    service = newService(tmp.resolve("data"), executor);
    service.start();
  }

  private ScaffolderService newService(Path dataDir, ExecutorService exec, org.meshportal.templates.action.TemplateAction... extra) {
    var b = ScaffolderService.builder().dataDir(dataDir).catalog(catalog).publisher(git).executor(exec)
        .maxWait(Duration.ofSeconds(60)).addAction(new TestActions.Fail());
    if (extra.length == 0) {
      b.addAction(record);
    }
    for (var a : extra) {
      b.addAction(a);
    }
    return b.build();
  }

  @AfterEach
  void tearDown() throws Exception {
    service.close();
    executor.shutdownNow();
    executor.awaitTermination(10, TimeUnit.SECONDS);
  }

  private String addTemplate(String name, String spec) throws Exception {
    catalog.add(TestFixtures.template(name, tmp.resolve("templates").resolve(name), spec));
    return "template:default/" + name;
  }

  private Path workspace(String taskId) {
    return tmp.resolve("data/tasks").resolve(taskId).resolve("workspace");
  }

  @Test
  void conformance_template_runs_end_to_end_with_backstage_event_sequence() throws Exception {
    String id = service.createTask("template:default/conformance-template", json("{\"name\":\"conf-1\"}"), null,
        new Caller("user:default/guest", "tok-123")).get("id").asText();
    List<TaskEvent> events = awaitCompletion(service, id);

    assertEquals("Starting up task with 2 steps", events.get(0).body().get("message").asText());
    assertFalse(events.get(0).body().has("stepId"));
    assertEquals("Beginning step Fetch skeleton", events.get(1).body().get("message").asText());
    assertEquals("fetch", events.get(1).body().get("stepId").asText());
    assertEquals("processing", events.get(1).body().get("status").asText());
    TaskEvent finished = events.stream().filter(e -> e.body().path("message").asText().equals("Finished step Log")).findFirst().orElseThrow();
    assertEquals("completed", finished.body().get("status").asText());
    assertTrue(events.stream().anyMatch(e -> e.body().path("message").asText().equals("Created conf-1")
        && e.body().path("stepId").asText().equals("log") && !e.body().has("status")));
    for (int i = 1; i < events.size(); i++) {
      assertTrue(events.get(i).id() > events.get(i - 1).id(), "monotonic ids");
    }
    TaskEvent done = completion(events);
    assertEquals(events.get(events.size() - 1), done);
    assertEquals("Run completed with status: completed", done.body().get("message").asText());
    assertEquals("Created conf-1", done.body().at("/output/text/0/content").asText());

    // Like Backstage, the backend does not apply schema defaults (the form does): description is undefined.
    assertTrue(events.stream().anyMatch(e -> e.body().path("message").asText()
        .equals("Workspace:\n - README.md\n - catalog-info.yaml\n - docs/index.md")), events.toString());
    assertFalse(Files.exists(workspace(id)), "a finished task's workspace is removed, as in Backstage");

    Task task = service.getTask(id);
    assertEquals("completed", task.status());
    assertEquals("user:default/guest", task.createdBy());
    assertEquals("template:default/conformance-template", task.spec().at("/templateInfo/entityRef").asText());
    assertEquals(templateDir.resolve("template.yaml").toUri().toString(), task.spec().at("/templateInfo/baseUrl").asText());
    assertEquals(2, task.spec().get("steps").size());
    assertFalse(task.spec().toString().contains("tok-123"), "token is not stored in the spec");

    assertEquals(1, service.events(id, done.id() - 1).size());
    assertEquals(List.of(done), service.events(id, done.id() + 5), "completion is always listed");
    TaskPage page = service.listTasks(new TaskQuery(List.of("user:default/guest"), List.of("completed"), 10, 0, null));
    assertEquals(1, page.totalTasks());
    assertEquals(id, page.tasks().get(0).id());
    assertEquals(0, service.listTasks(new TaskQuery(List.of("user:default/other"), null, null, null, null)).totalTasks());

    String serialized = TestFixtures.JSON.writeValueAsString(done);
    assertTrue(serialized.contains("\"taskId\":\"" + id + "\"") && serialized.contains("\"type\":\"completion\""), serialized);
    assertFalse(serialized.contains("isTaskRecoverable"), serialized);
  }

  @Test
  void parameter_schema_and_actions_have_backstage_shapes() {
    ObjectNode schema = service.parameterSchema("default", "Template", "conformance-template");
    assertEquals("T conformance-template", schema.get("title").asText());
    assertEquals("Basics", schema.at("/steps/0/title").asText());
    assertTrue(schema.at("/steps/0/schema/properties/name/ui:autofocus").asBoolean(), "ui:* keys preserved");
    assertThrows(NotFoundException.class, () -> service.parameterSchema("default", "template", "nope"));
    assertThrows(InputException.class, () -> service.parameterSchema("default", "component", "x"));

    JsonNode actions = service.listActions();
    List<String> ids = Stream.iterate(0, i -> i < actions.size(), i -> i + 1).map(i -> actions.get(i).get("id").asText()).toList();
    assertEquals(ids.stream().sorted().toList(), ids);
    assertTrue(ids.containsAll(List.of("fetch:plain", "fetch:plain:file", "fetch:template", "fetch:template:file",
        "fs:delete", "fs:rename", "publish:git", "catalog:register", "catalog:write", "debug:log", "debug:wait",
        "mesh:account:create", "mesh:apibinding:create")), ids.toString());
    assertTrue(actions.get(ids.indexOf("debug:log")).at("/schema/input/properties/message").isObject());
    assertTrue(service.templatingExtensions().at("/filters/parseRepoUrl").isObject());
  }

  @Test
  void invalid_values_are_reported_in_backstage_errors_shape() {
    TaskValidationException e = assertThrows(TaskValidationException.class, () -> service.createTask(
        "template:default/conformance-template", json("{\"name\":\"Invalid Name!\"}"), null, Caller.ANONYMOUS));
    JsonNode err = e.errors().get(0);
    assertEquals("instance.name", err.get("property").asText());
    assertEquals("pattern", err.get("name").asText());
    assertEquals("does not match pattern \"^[a-z0-9-]+$\"", err.get("message").asText());
    assertEquals("^[a-z0-9-]+$", err.get("argument").asText());
    assertEquals("Invalid Name!", err.get("instance").asText());
    assertEquals("instance.name does not match pattern \"^[a-z0-9-]+$\"", err.get("stack").asText());
    assertTrue(err.get("path").isArray() && err.has("schema"));

    JsonNode missing = assertThrows(TaskValidationException.class, () -> service.createTask(
        "template:default/conformance-template", json("{}"), null, Caller.ANONYMOUS)).errors().get(0);
    assertEquals("required", missing.get("name").asText());
    assertEquals("name", missing.get("argument").asText());
    assertEquals("requires property \"name\"", missing.get("message").asText());
    assertThrows(NotFoundException.class, () -> service.createTask("template:default/none", json("{}"), null, null));
  }

  @Test
  void expressions_keep_native_types_and_filters_apply() throws Exception {
    String ref = addTemplate("natives", """
        {"type":"x","steps":[
          {"id":"a","action":"test:record","input":{"value":"${{ parameters.count }}",
             "flag":"${{ parameters.flag }}","list":"${{ parameters.tags }}",
             "text":"n=${{ parameters.count }}","slug":"${{ parameters.repoUrl | projectSlug }}",
             "name":"${{ parameters.name | lower | replace('-', '_') }}","task":"${{ context.task.id }}",
             "user":"${{ user.ref }}","tpl":"${{ templateInfo.entityRef }}",
             "loop":"{% for t in parameters.tags %}<${{ t | upper }}>{% endfor %}"}},
          {"id":"b","action":"test:record","input":{"value":"${{ steps.a.output.echo + 1 }}"}},
          {"id":"c","action":"test:record","if":"${{ parameters.count > 100 }}","input":{"value":1}},
          {"id":"d","action":"test:record","each":"${{ parameters.tags }}","input":{"value":"${{ each.value }}-${{ each.key }}"}}]}""");
    String id = service.createTask(ref, json("""
        {"count":41,"flag":true,"tags":["x","y"],"repoUrl":"github.com?owner=acme&repo=web","name":"My-App"}"""),
        null, new Caller("user:default/ada", null)).get("id").asText();
    List<TaskEvent> events = awaitCompletion(service, id);
    assertEquals("Run completed with status: completed", completion(events).body().get("message").asText(), events.toString());
    JsonNode a = record.inputs.get(0);
    assertTrue(a.get("value").isInt());
    assertTrue(a.get("flag").isBoolean());
    assertEquals("[\"x\",\"y\"]", a.get("list").toString());
    assertEquals("n=41", a.get("text").asText());
    assertEquals("acme/web", a.get("slug").asText());
    assertEquals("my_app", a.get("name").asText());
    assertEquals(id, a.get("task").asText());
    assertEquals("user:default/ada", a.get("user").asText());
    assertEquals("template:default/natives", a.get("tpl").asText());
    assertEquals("<X><Y>", a.get("loop").asText());
    assertEquals(42, record.inputs.get(1).get("value").asInt());
    assertEquals(4, record.inputs.size(), "step c skipped, d ran twice");
    assertEquals("x-0", record.inputs.get(2).get("value").asText());
    assertTrue(events.stream().anyMatch(e -> e.body().path("message").asText()
        .equals("Skipping step c because its if condition was false") && e.body().path("status").asText().equals("skipped")));
  }

  @Test
  void expression_errors_are_logged_and_missing_required_inputs_fail_clearly() throws Exception {
    String ref = addTemplate("broken", """
        {"type":"x","steps":[
          {"id":"bad","action":"debug:log","input":{"message":"${{ parameters.name | nosuchfilter }}"}},
          {"id":"missing","action":"test:record","input":{"value":"${{ parameters.nothere }}"}},
          {"id":"after","action":"debug:log","input":{"message":"not run"}},
          {"id":"cleanup","action":"debug:log","if":"${{ failure() }}","input":{"message":"cleanup ran"}}]}""");
    String id = service.createTask(ref, json("{\"name\":\"x\"}"), null, null).get("id").asText();
    List<TaskEvent> events = awaitCompletion(service, id);
    List<String> messages = events.stream().map(e -> e.body().path("message").asText()).toList();
    assertTrue(messages.stream().anyMatch(m -> m.startsWith("Failed to render template expression in input.message of step bad")), messages.toString());
    assertTrue(messages.contains("${{ parameters.name | nosuchfilter }}"), "raw string kept");
    assertTrue(messages.contains("InputError: Invalid input passed to action test:record, instance requires property \"value\""), messages.toString());
    assertTrue(messages.contains("Skipping step after because a previous step failed"));
    assertTrue(messages.contains("cleanup ran"));
    TaskEvent done = completion(events);
    assertEquals("Run completed with status: failed", done.body().get("message").asText());
    assertEquals("InputError", done.body().at("/error/name").asText());
    assertEquals("failed", service.getTask(id).status());
  }

  @Test
  void secrets_are_redacted_from_events_errors_and_stored_files() throws Exception {
    String ref = addTemplate("secretive", """
        {"type":"x","secrets":{"schema":{"type":"object","required":["apiKey"]}},"steps":[
          {"id":"log","action":"debug:log","input":{"message":"key is ${{ secrets.apiKey }} / ${{ secrets.backstageToken }}"}},
          {"id":"fail","action":"test:fail","input":{"message":"cannot use ${{ secrets.apiKey }}"}}]}""");
    JsonNode missing = assertThrows(TaskValidationException.class,
        () -> service.createTask(ref, json("{}"), json("{}"), null)).errors().get(0);
    assertEquals("secrets.apiKey", missing.get("property").asText());
    assertEquals("secrets.apiKey is required", missing.get("message").asText());

    String id = service.createTask(ref, json("{}"), json("{\"apiKey\":\"s3cr3t-value\"}"),
        new Caller("user:default/ada", "user-token-xyz")).get("id").asText();
    List<TaskEvent> events = awaitCompletion(service, id);
    List<String> messages = events.stream().map(e -> e.body().path("message").asText()).toList();
    assertTrue(messages.contains("key is *** / ***"), messages.toString());
    assertEquals("cannot use ***", completion(events).body().at("/error/message").asText());
    String all = TestFixtures.JSON.writeValueAsString(events);
    assertFalse(all.contains("s3cr3t-value") || all.contains("user-token-xyz"));
    try (Stream<Path> files = Files.walk(tmp.resolve("data"))) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String content = Files.readString(f, StandardCharsets.UTF_8);
        assertFalse(content.contains("s3cr3t-value") || content.contains("user-token-xyz"), f.toString());
      }
    }
  }

  @Test
  void cancel_aborts_the_running_step() throws Exception {
    String ref = addTemplate("slow", """
        {"type":"x","steps":[{"id":"wait","name":"Wait","action":"debug:wait","input":{"seconds":50}},
                             {"id":"next","action":"debug:log","input":{"message":"never"}}]}""");
    String id = service.createTask(ref, json("{}"), null, null).get("id").asText();
    awaitLog(service, id, "Waiting for");
    assertEquals("cancelled", service.cancel(id).get("status").asText());
    List<TaskEvent> events = awaitCompletion(service, id);
    TaskEvent cancelled = events.stream().filter(e -> e.type().equals("cancelled")).findFirst().orElseThrow();
    assertEquals("Step wait has been cancelled.", cancelled.body().get("message").asText());
    assertEquals("wait", cancelled.body().get("stepId").asText());
    assertEquals("cancelled", cancelled.body().get("status").asText());
    // Backstage ends a cancelled run as failed: the aborted step fails with the cancel message.
    String cancelMessage = "Step wait (Wait) of task " + id + " has been cancelled.";
    assertEquals("failed", service.getTask(id).status());
    assertTrue(events.stream().anyMatch(e -> e.body().path("message").asText().equals("Error: " + cancelMessage)
        && e.body().path("status").asText().equals("failed") && e.body().path("stepId").asText().equals("wait")));
    assertTrue(events.stream().anyMatch(e -> e.body().path("message").asText()
        .equals("Skipping step next because a previous step failed")));
    TaskEvent done = completion(events);
    assertEquals("Run completed with status: failed", done.body().get("message").asText());
    assertEquals(cancelMessage, done.body().at("/error/message").asText());
    assertFalse(events.stream().anyMatch(e -> e.body().path("message").asText().equals("never")));
  }

  @Test
  void retry_starts_a_finished_task_over_and_refuses_running_ones() throws Exception {
    String id = service.createTask("template:default/conformance-template", json("{\"name\":\"again\"}"), null, null)
        .get("id").asText();
    long firstCompletion = completion(awaitCompletion(service, id)).id();
    assertEquals(id, service.retry(id, null).get("id").asText());
    List<TaskEvent> events = awaitCompletion(service, id);
    assertTrue(events.stream().noneMatch(e -> e.id() == firstCompletion), "old completion removed");
    TaskEvent recovered = events.stream().filter(e -> e.type().equals("recovered")).findFirst().orElseThrow();
    assertEquals("startOver", recovered.body().get("recoverStrategy").asText());
    assertTrue(completion(events).id() > recovered.id());
    assertEquals("completed", service.getTask(id).status());

    String slow = addTemplate("slow2", "{\"type\":\"x\",\"steps\":[{\"id\":\"w\",\"action\":\"debug:wait\",\"input\":{\"seconds\":50}}]}");
    String running = service.createTask(slow, json("{}"), null, null).get("id").asText();
    awaitLog(service, running, "Waiting for");
    assertThrows(ConflictException.class, () -> service.retry(running, null));
    service.cancel(running);
    awaitCompletion(service, running);
    assertThrows(NotFoundException.class, () -> service.getTask("00000000-0000-4000-8000-000000000000"));
  }

  @Test
  void a_restarted_engine_resumes_after_the_last_completed_step() throws Exception {
    TestActions.Count count = new TestActions.Count();
    TestActions.Block block = new TestActions.Block();
    ExecutorService exec1 = Executors.newVirtualThreadPerTaskExecutor();
    Path data = tmp.resolve("restart-data");
    ScaffolderService first = newService(data, exec1, count, block);
    first.start();
    String ref = addTemplate("resumable", """
        {"type":"x","steps":[{"id":"count","action":"test:count"},{"id":"block","action":"test:block"},
          {"id":"log","action":"debug:log","input":{"message":"count was ${{ steps.count.output.count }}"}}]}""");
    String id = first.createTask(ref, json("{}"), null, null).get("id").asText();
    awaitLog(first, id, "blocking");
    String withSecrets = first.createTask(ref, json("{}"), json("{\"k\":\"v-secret\"}"), null).get("id").asText();
    awaitLog(first, withSecrets, "blocking");
    first.close();
    exec1.shutdown();
    assertTrue(exec1.awaitTermination(10, TimeUnit.SECONDS));
    assertEquals("processing", first.getTask(id).status(), "a stopped worker leaves the task resumable");

    TestActions.Block released = new TestActions.Block();
    released.release.countDown();
    ExecutorService exec2 = Executors.newVirtualThreadPerTaskExecutor();
    try (ScaffolderService second = newService(data, exec2, count, released)) {
      second.start();
      List<TaskEvent> events = awaitCompletion(second, id);
      assertEquals("completed", second.getTask(id).status(), events.toString());
      assertEquals(2, count.runs.get(), "count ran once per task, not again after the restart");
      assertTrue(events.stream().anyMatch(e -> e.body().path("message").asText().equals("count was 1")));
      assertTrue(events.stream().anyMatch(e -> e.body().path("message").asText().startsWith("Resuming task after a restart")));

      List<TaskEvent> failedEvents = awaitCompletion(second, withSecrets);
      assertEquals("failed", second.getTask(withSecrets).status());
      assertTrue(failedEvents.stream().anyMatch(e -> e.type().equals("recovered")));
      assertTrue(second.events(id, -1L).get(second.events(id, -1L).size() - 1).id()
          > first.events(id, -1L).get(0).id(), "ids keep growing across restarts");
    } finally {
      exec2.shutdownNow();
    }
  }

  @Test
  void dry_run_has_no_side_effects_and_returns_files_log_and_output() throws Exception {
    JsonNode template = TestFixtures.template("x", tmp.resolve("dry"), """
        {"type":"x","parameters":{"required":["name"],"properties":{"name":{"type":"string"}}},"steps":[
          {"id":"fetch","action":"fetch:template","input":{"url":"./skeleton","values":{"name":"${{ parameters.name }}"}}},
          {"id":"publish","action":"publish:git","input":{"repoUrl":"example.com?owner=o&repo=dry"}},
          {"id":"log","action":"debug:log","input":{"message":"published to ${{ steps.publish.output.remoteUrl }}"}}],
         "output":{"links":[{"title":"Repo","url":"${{ steps.publish.output.remoteUrl }}"},
                            {"title":"hidden","url":"x","if":"${{ parameters.name == 'nope' }}"}]}}""");
    ObjectNode contents = (ObjectNode) json("{\"c\":[]}");
    contents.withArray("c").addObject().put("path", "skeleton/hello-${{ values.name }}.txt")
        .put("base64Content", Base64.getEncoder().encodeToString("Hi ${{ values.name }}".getBytes()));
    ObjectNode result = service.dryRun(template, json("{\"name\":\"dry\"}"), null, contents.get("c"), null);
    assertEquals("hello-dry.txt", result.at("/directoryContents/0/path").asText());
    assertEquals("Hi dry", new String(Base64.getDecoder().decode(result.at("/directoryContents/0/base64Content").asText())));
    List<String> log = result.get("log").findValuesAsText("message");
    assertTrue(log.contains("Skipping because publish:git does not support dry-run"), log.toString());
    assertTrue(log.contains("published to https://git.example.com/acme/web.git"), log.toString());
    assertEquals(1, result.at("/output/links").size());
    assertEquals(3, result.get("steps").size());
    assertTrue(git.calls.isEmpty(), "no repository created");
    assertThrows(InputException.class, () -> service.dryRun(json("{\"kind\":\"Component\"}"), null, null, null, null));
    assertThrows(TaskValidationException.class, () -> service.dryRun(template, json("{}"), null, null, null));
  }

  @Test
  void missing_values_render_as_nothing_in_file_contents_and_names_as_in_nunjucks() throws Exception {
    // Backstage drops a step input whose single expression is undefined, and Nunjucks prints an
    // undefined lookup as an empty string (SecureTemplater sets autoescape:false, no throwOnUndefined).
    JsonNode template = TestFixtures.template("x", tmp.resolve("missing"), """
        {"type":"x","steps":[
          {"id":"a","action":"fetch:template","input":{"url":"./skeleton","targetPath":"a",
            "values":{"name":"${{ parameters.name }}","note":"n-${{ parameters.missing }}-n"}}},
          {"id":"b","action":"fetch:template","input":{"url":"./cc","targetPath":"b","cookiecutterCompat":true,
            "values":{"name":"${{ parameters.missing }}"}}},
          {"id":"c","action":"debug:log","input":{"message":"[${{ parameters.missing }}]"}}]}""");
    ObjectNode contents = (ObjectNode) json("{\"c\":[]}");
    contents.withArray("c").addObject().put("path", "skeleton/f-${{ values.missing }}.txt")
        .put("base64Content", b64("<${{ values.missing }}|${{ values.description }}|${{ values.note }}|${{ values.missing | dump }}|${{ values.missing.deep }}>"));
    contents.withArray("c").addObject().put("path", "cc/g{{ cookiecutter.name }}.txt")
        .put("base64Content", b64("<{{ cookiecutter.name }}|{{ cookiecutter.name | jsonify }}|{{ values.other }}>"));
    ObjectNode result = service.dryRun(template, json("{\"name\":\"dry\"}"), null, contents.get("c"), null);
    java.util.Map<String, String> files = new java.util.TreeMap<>();
    result.get("directoryContents").forEach(f -> files.put(f.get("path").asText(),
        new String(Base64.getDecoder().decode(f.get("base64Content").asText()))));
    assertEquals(java.util.Map.of("a/f-.txt", "<||n--n||>", "b/g.txt", "<||>"), files);
    List<String> log = result.get("log").findValuesAsText("message");
    assertTrue(log.contains("[]"), log.toString());
  }

  @Test
  void inline_if_expressions_render_in_step_inputs_file_contents_and_names() throws Exception {
    // Step inputs in the shape of backstage/software-templates' gitlab-merge-request publish step.
    JsonNode template = TestFixtures.template("x", tmp.resolve("inline-if"), """
        {"type":"x","steps":[
          {"id":"fetch","action":"fetch:template","input":{"url":"./skeleton",
            "targetPath":"${{ parameters.targetPath if parameters.targetPath else '.' }}",
            "values":{"name":"${{ parameters.name }}","description":"${{ parameters.description }}",
                      "port":"${{ parameters.port if parameters.port else 8080 }}"}}},
          {"id":"cc","action":"fetch:template","input":{"url":"./cc","targetPath":"cc","cookiecutterCompat":true,
            "values":{"name":"${{ parameters.name }}"}}},
          {"id":"mr","action":"test:record","input":{"value":{
            "description":"# New project: ${{ parameters.name }}\\n${{ parameters.description if parameters.description }}\\n",
            "targetPath":"${{ parameters.targetPath if parameters.targetPath else '.' }}",
            "port":"${{ parameters.port if parameters.port else 8080 }}",
            "labels":"${{ parameters.labels if parameters.labels }}"}}}]}""");
    ObjectNode contents = (ObjectNode) json("{\"c\":[]}");
    contents.withArray("c").addObject().put("path", "skeleton/${{ values.name if values.name else 'unnamed' }}.md")
        .put("base64Content", b64("${{ values.description if values.description else 'No description.' }}|"
            + "${{ (values.name if values.port == 8080 else 'custom') | upper }}|{% if values.port %}p${{ values.port }}{% else %}none{% endif %}"));
    contents.withArray("c").addObject().put("path", "cc/{{ cookiecutter.name if cookiecutter.name }}.txt")
        .put("base64Content", b64("{{ 'named' if cookiecutter.name else 'anonymous' }}"));

    ObjectNode bare = service.dryRun(template, json("{\"name\":\"svc\",\"description\":\"\"}"), null, contents.get("c"), null);
    assertEquals(java.util.Map.of("svc.md", "No description.|SVC|p8080", "cc/svc.txt", "named"), files(bare), bare.toString());
    JsonNode recorded = record.inputs.get(record.inputs.size() - 1).get("value");
    assertEquals("# New project: svc\n\n", recorded.get("description").textValue());
    assertEquals(".", recorded.get("targetPath").textValue());
    assertTrue(recorded.get("port").isInt(), "a single expression keeps its type: " + recorded);
    assertFalse(recorded.has("labels"), "undefined without else: the key is dropped, as in Backstage");

    ObjectNode full = service.dryRun(template, json("""
        {"name":"svc","description":"Does things.","targetPath":"apps","port":9000,"labels":["a"]}"""),
        null, contents.get("c"), null);
    assertEquals(java.util.Map.of("apps/svc.md", "Does things.|CUSTOM|p9000", "cc/svc.txt", "named"), files(full), full.toString());
    recorded = record.inputs.get(record.inputs.size() - 1).get("value");
    assertEquals("# New project: svc\nDoes things.\n", recorded.get("description").textValue());
    assertEquals("apps", recorded.get("targetPath").textValue());
    assertEquals(9000, recorded.get("port").intValue());
    assertEquals("[\"a\"]", recorded.get("labels").toString());
  }

  private static java.util.Map<String, String> files(ObjectNode dryRun) {
    java.util.Map<String, String> out = new java.util.TreeMap<>();
    dryRun.get("directoryContents").forEach(f -> out.put(f.get("path").asText(),
        new String(Base64.getDecoder().decode(f.get("base64Content").asText()), StandardCharsets.UTF_8)));
    return out;
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  @Test
  void traversal_through_paths_rendered_names_and_symlinks_is_refused() throws Exception {
    Path evilDir = tmp.resolve("templates/evil");
    Files.createDirectories(evilDir.resolve("skeleton"));
    Files.writeString(evilDir.resolve("skeleton/${{ values.name }}.txt"), "pwned");
    catalog.add(TestFixtures.template("evil", evilDir, """
        {"type":"x","steps":[{"id":"f","action":"fetch:template","input":{"url":"./skeleton","values":{"name":"${{ parameters.name }}"}}}]}"""));
    String id = service.createTask("template:default/evil", json("{\"name\":\"../../../escaped\"}"), null, null).get("id").asText();
    TaskEvent done = completion(awaitCompletion(service, id));
    assertTrue(done.body().at("/error/message").asText().contains("outside its parent"), done.toString());
    try (Stream<Path> s = Files.walk(tmp)) {
      assertTrue(s.noneMatch(p -> p.getFileName().toString().equals("escaped.txt")));
    }

    Path linkDir = tmp.resolve("templates/linky");
    Files.createDirectories(linkDir.resolve("skeleton"));
    Files.writeString(tmp.resolve("outside-secret.txt"), "secret");
    Files.createSymbolicLink(linkDir.resolve("skeleton/link.txt"), tmp.resolve("outside-secret.txt"));
    catalog.add(TestFixtures.template("linky", linkDir, """
        {"type":"x","steps":[{"id":"f","action":"fetch:plain","input":{"url":"./skeleton"}}]}"""));
    String linkTask = service.createTask("template:default/linky", json("{}"), null, null).get("id").asText();
    assertTrue(completion(awaitCompletion(service, linkTask)).body().at("/error/message").asText().contains("symbolic link"));

    for (String input : List.of(
        "{\"id\":\"d\",\"action\":\"fs:delete\",\"input\":{\"files\":[\"../../outside-secret.txt\"]}}",
        "{\"id\":\"w\",\"action\":\"catalog:write\",\"input\":{\"filePath\":\"/tmp/x.yaml\",\"entity\":{}}}",
        "{\"id\":\"r\",\"action\":\"fs:rename\",\"input\":{\"files\":[{\"from\":\"a\",\"to\":\"../../b\"}]}}")) {
      String ref = addTemplate("t" + Math.abs(input.hashCode()), "{\"type\":\"x\",\"steps\":[" + input + "]}");
      String t = service.createTask(ref, json("{}"), null, null).get("id").asText();
      String msg = completion(awaitCompletion(service, t)).body().at("/error/message").asText();
      assertTrue(msg.contains("outside its parent") || msg.contains("absolute"), input + " -> " + msg);
    }
    assertTrue(Files.exists(tmp.resolve("outside-secret.txt")));
  }

  @Test
  void catalog_write_publish_and_register_chain() throws Exception {
    String ref = addTemplate("chain", """
        {"type":"x","steps":[
          {"id":"write","action":"catalog:write","input":{"entity":{"apiVersion":"backstage.io/v1alpha1","kind":"Component",
             "metadata":{"name":"svc"},"spec":{"type":"service","owner":"me","lifecycle":"experimental"}}}},
          {"id":"publish","action":"publish:git","input":{"repoUrl":"example.com?owner=o&repo=svc"}},
          {"id":"register","action":"catalog:register","input":{"catalogInfoUrl":"${{ 'file:' ~ steps.write.output.nothing | default('') }}","optional":true}}],
         "output":{"remote":"${{ steps.publish.output.remoteUrl }}"}}""");
    String id = service.createTask(ref, json("{}"), null, null).get("id").asText();
    TaskEvent done = completion(awaitCompletion(service, id));
    assertEquals("Run completed with status: completed", done.body().get("message").asText(), done.toString());
    Path bare = git.bareRepo("example.com?owner=o&repo=svc");
    String yaml = TestFixtures.CliGitPublisher.git(tmp, "--git-dir=" + bare, "show", "main:catalog-info.yaml");
    assertTrue(yaml.contains("backstage.io/source-template: template:default/chain"), yaml);
    assertEquals(bare.toUri().toString(), done.body().at("/output/remote").asText());
  }

  @Test
  void catalog_fetch_returns_entities_by_ref_with_defaults_and_optional_misses() throws Exception {
    String ref = addTemplate("fetcher", """
        {"type":"x","steps":[
          {"id":"one","action":"catalog:fetch","input":{"entityRef":"conformance-template","defaultKind":"template"}},
          {"id":"many","action":"catalog:fetch","input":{"entityRefs":["template:default/fetcher","template:missing"],
             "optional":true}}],
         "output":{"title":"${{ steps.one.output.entity.metadata.title }}",
                   "first":"${{ steps.many.output.entities[0].metadata.name }}",
                   "count":"${{ steps.many.output.entities | length }}"}}""");
    String id = service.createTask(ref, json("{}"), null, null).get("id").asText();
    TaskEvent done = completion(awaitCompletion(service, id));
    assertEquals("Run completed with status: completed", done.body().get("message").asText(), done.toString());
    assertEquals("T conformance-template", done.body().at("/output/title").asText());
    assertEquals("fetcher", done.body().at("/output/first").asText());
    assertEquals(2, done.body().at("/output/count").asInt());

    String strict = addTemplate("strict-fetcher", """
        {"type":"x","steps":[{"id":"one","action":"catalog:fetch","input":{"entityRef":"component:default/nope"}}]}""");
    String failed = service.createTask(strict, json("{}"), null, null).get("id").asText();
    TaskEvent error = completion(awaitCompletion(service, failed));
    assertEquals("Entity component:default/nope not found", error.body().at("/error/message").asText());
    assertEquals("NotFoundError", error.body().at("/error/name").asText());
  }

  @Test
  void fs_readdir_lists_workspace_files_and_folders() throws Exception {
    String ref = addTemplate("lister", """
        {"type":"x","steps":[
          {"id":"fetch","action":"fetch:template","input":{"url":"../conformance-template/skeleton","values":{"name":"x"}}},
          {"id":"top","action":"fs:readdir","input":{"paths":["."]}},
          {"id":"deep","action":"fs:readdir","input":{"paths":["."],"recursive":true}}],
         "output":{"top":"{% for f in steps.top.output.files %}${{ f.path }},{% endfor %}",
                   "folders":"{% for f in steps.top.output.folders %}${{ f.name }},{% endfor %}",
                   "deep":"{% for f in steps.deep.output.files %}${{ f.path }},{% endfor %}"}}""");
    String id = service.createTask(ref, json("{}"), null, null).get("id").asText();
    TaskEvent done = completion(awaitCompletion(service, id));
    // ../ leaves the template's own directory: refused, as Backstage's resolveSafeChildPath does
    assertTrue(done.body().at("/error/message").asText().contains("outside its parent"), done.toString());

    Files.createDirectories(tmp.resolve("templates/lister/skeleton"));
    TestFixtures.CliGitPublisher.copy(templateDir.resolve("skeleton"), tmp.resolve("templates/lister/skeleton"));
    catalog.add(TestFixtures.template("lister", tmp.resolve("templates/lister"),
        catalog.entities.get("template:default/lister").get("spec").toString().replace("../conformance-template/skeleton", "./skeleton")));
    id = service.createTask(ref, json("{}"), null, null).get("id").asText();
    done = completion(awaitCompletion(service, id));
    assertEquals("README.md,catalog-info.yaml,", done.body().at("/output/top").asText(), done.toString());
    assertEquals("docs,", done.body().at("/output/folders").asText());
    assertEquals("README.md,catalog-info.yaml,docs/index.md,", done.body().at("/output/deep").asText());
  }

  @Test
  void fetch_template_logs_every_entry_with_backstage_texts() throws Exception {
    String id = service.createTask("template:default/conformance-template", json("{\"name\":\"logs\"}"), null, null)
        .get("id").asText();
    List<String> messages = awaitCompletion(service, id).stream()
        .filter(e -> "fetch".equals(e.body().path("stepId").asText()))
        .map(e -> e.body().path("message").asText()).toList();
    assertTrue(messages.contains("Fetching template content from remote URL"), messages.toString());
    assertTrue(messages.contains("Listing files and directories in template"), messages.toString());
    assertTrue(messages.contains("Processing 4 template files/directories with input values"), messages.toString());
    assertTrue(messages.contains("Writing directory docs/ to template output path."), messages.toString());
    assertTrue(messages.stream().anyMatch(m -> m.matches("Writing file docs/index\\.md to template output path with mode \\d+\\.")),
        messages.toString());
  }

  @Test
  void catalog_register_turns_a_file_git_blob_url_into_a_url_location_and_explains_failures() throws Exception {
    String blobUrl = tmp.resolve("remote.git").toUri().toString().replaceAll("/$", "") + "/blob/main/catalog-info.yaml";
    String ref = addTemplate("registrar", """
        {"type":"x","steps":[{"id":"register","action":"catalog:register",
          "input":{"repoContentsUrl":"%s","catalogInfoPath":"/catalog-info.yaml"}}]}""".formatted(blobUrl.replace("/catalog-info.yaml", "")));
    String id = service.createTask(ref, json("{}"), null, null).get("id").asText();
    TaskEvent done = completion(awaitCompletion(service, id));
    assertTrue(catalog.registered.contains("url:" + blobUrl), catalog.registered.toString());
    assertTrue(done.body().at("/error/message").asText().startsWith("Could not register url:" + blobUrl + " in the catalog: "),
        done.toString());

    Path local = Files.writeString(tmp.resolve("local-info.yaml"),
        "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: local\nspec:\n  type: service\n");
    String fileRef = addTemplate("file-registrar", """
        {"type":"x","steps":[{"id":"register","action":"catalog:register","input":{"catalogInfoUrl":"%s"}}],
         "output":{"ref":"${{ steps.register.output.entityRef }}"}}""".formatted(local.toUri()));
    TaskEvent ok = completion(awaitCompletion(service, service.createTask(fileRef, json("{}"), null, null).get("id").asText()));
    assertEquals("component:default/local", ok.body().at("/output/ref").asText(), ok.toString());
    assertTrue(catalog.registered.contains("file:" + local), catalog.registered.toString());
  }
}
