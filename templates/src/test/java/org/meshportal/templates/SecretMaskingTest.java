package org.meshportal.templates;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.meshportal.templates.TestFixtures.awaitCompletion;
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
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Secret masking applies to what a run shows (log events, outputs, errors, the stored task) and
 * never to what the engine runs: the action ids, step inputs and parameter values it works with.
 */
class SecretMaskingTest {
  @TempDir Path tmp;

  private final TestFixtures.MemoryCatalog catalog = new TestFixtures.MemoryCatalog();
  private final TestActions.Record record = new TestActions.Record();
  private ExecutorService executor;
  private ScaffolderService service;

  /** A template whose steps, names and texts are full of short strings that secrets could equal. */
  private static final String SPEC = """
      {"type":"service","steps":[
         {"id":"template","name":"Fetch the template","action":"fetch:template",
          "input":{"url":"./skeleton","values":{"name":"${{ parameters.name }}"}}},
         {"id":"note","name":"Note it","action":"test:record",
          "input":{"value":"name ${{ parameters.name }} with ${{ secrets.token }}"}},
         {"id":"log","name":"Tell it","action":"debug:log","input":{"message":"token is ${{ secrets.token }}, name is ${{ parameters.name }}"}}],
       "output":{"text":[{"title":"Result","content":"made ${{ parameters.name }} (${{ steps.note.output.echo }})"}]}}""";

  @BeforeEach
  void setUp() throws Exception {
    executor = Executors.newVirtualThreadPerTaskExecutor();
    Path dir = tmp.resolve("templates/masking");
    Files.createDirectories(dir.resolve("skeleton"));
    Files.writeString(dir.resolve("skeleton/catalog-info.yaml"), "metadata:\n  name: ${{ values.name }}\n");
    catalog.add(TestFixtures.template("masking", dir, SPEC));
    service = ScaffolderService.builder().dataDir(tmp.resolve("data")).catalog(catalog)
        .publisher(new TestFixtures.CliGitPublisher(Files.createDirectories(tmp.resolve("git"))))
        .executor(executor).maxWait(Duration.ofSeconds(60)).addAction(record).build();
    service.start();
  }

  @AfterEach
  void tearDown() throws Exception {
    service.close();
    executor.shutdownNow();
    executor.awaitTermination(10, TimeUnit.SECONDS);
  }

  private ObjectNode dryRun(String name, String token) throws Exception {
    ObjectNode contents = (ObjectNode) json("{\"c\":[]}");
    contents.withArray("c").addObject().put("path", "skeleton/catalog-info.yaml")
        .put("base64Content", b64("metadata:\n  name: ${{ values.name }}\n"));
    return service.dryRun(TestFixtures.template("masking", tmp.resolve("dry"), SPEC),
        json("{\"name\":\"" + name + "\"}"), json("{\"token\":\"" + token + "\"}"), contents.get("c"), null);
  }

  private static Map<String, String> files(ObjectNode dryRun) {
    Map<String, String> out = new TreeMap<>();
    dryRun.get("directoryContents").forEach(f -> out.put(f.get("path").asText(),
        new String(Base64.getDecoder().decode(f.get("base64Content").asText()), StandardCharsets.UTF_8)));
    return out;
  }

  @Test
  void a_one_character_secret_neither_breaks_a_dry_run_nor_masks_its_log() throws Exception {
    ObjectNode result = dryRun("tiny-cat", "t");
    List<String> log = result.get("log").findValuesAsText("message");
    assertFalse(result.toString().contains("is not registered") || result.toString().contains("\"status\":\"failed\""),
        result.toString());
    assertTrue(log.contains("Beginning step Fetch the template"), log.toString());
    // Backstage's logger skips secrets of one character: masking them would hide every "t" and
    // still show the secret (it is whatever the gaps held).
    assertTrue(log.contains("token is t, name is tiny-cat"), log.toString());
    assertEquals(Map.of("catalog-info.yaml", "metadata:\n  name: tiny-cat\n"), files(result));
    assertEquals("made tiny-cat (name tiny-cat with t)", result.at("/output/text/0/content").asText());
    assertEquals("fetch:template", result.at("/steps/0/action").asText());
  }

  @Test
  void a_secret_that_occurs_in_the_template_is_masked_in_what_the_run_shows_only() throws Exception {
    // "template" is a step id, part of an action id and of a step name; "tiny" is inside the name.
    for (String secret : List.of("template", "fetch", "tiny")) {
      ObjectNode result = dryRun("tiny-cat", secret);
      List<String> log = result.get("log").findValuesAsText("message");
      assertFalse(result.toString().contains("is not registered") || result.toString().contains("\"status\":\"failed\""),
          secret + ": " + result);
      assertTrue(log.contains("token is ***, name is tiny-cat".replace("tiny-cat",
          "tiny-cat".replace(secret, "***"))), secret + ": " + log);
      assertEquals(Map.of("catalog-info.yaml", "metadata:\n  name: tiny-cat\n"), files(result), secret);
      assertFalse(log.stream().anyMatch(m -> m.contains(secret)), secret + ": " + log);
      assertFalse(result.get("output").toString().contains(secret), secret + ": " + result);
      assertEquals("fetch:template", result.at("/steps/0/action").asText(), "the template as written");
    }
  }

  @Test
  void a_task_runs_with_the_real_values_and_stores_and_shows_masked_ones() throws Exception {
    for (String secret : List.of("t", "template", "tiny")) {
      record.inputs.clear();
      String id = service.createTask("template:default/masking", json("{\"name\":\"tiny-cat\"}"),
          json("{\"token\":\"" + secret + "\"}"), new Caller("user:default/ada", "user-token-xyz")).get("id").asText();
      List<TaskEvent> events = awaitCompletion(service, id);
      TaskEvent done = completion(events);
      assertEquals("Run completed with status: completed", done.body().path("message").asText(), secret + ": " + events);
      // The action got the real values.
      assertEquals("name tiny-cat with " + secret, record.inputs.get(0).path("value").asText(), secret);
      String masked = secret.length() < 2 ? secret : "***";
      String name = secret.length() < 2 ? "tiny-cat" : "tiny-cat".replace(secret, "***");
      List<String> messages = events.stream().map(e -> e.body().path("message").asText()).toList();
      assertTrue(messages.contains("token is " + masked + ", name is " + name), secret + ": " + messages);
      assertEquals("made " + name + " (name " + name + " with " + masked + ")",
          done.body().at("/output/text/0/content").asText(), secret);
      Task task = service.getTask(id);
      assertEquals("fetch:template", task.spec().at("/steps/0/action").asText(), secret);
      assertEquals("template", task.spec().at("/steps/0/id").asText(), secret);
      assertEquals(name, task.spec().at("/parameters/name").asText(), secret + ": parameter values are stored masked");
      // "tiny" is in no part of the template, so it is nowhere in what was stored.
      assertNoFileContains(id, secret.equals("tiny") ? secret : "user-token-xyz");

      // A retry runs from the stored task: the template's steps are intact.
      service.retry(id, json("{\"token\":\"" + secret + "\"}"));
      List<TaskEvent> retried = awaitCompletion(service, id);
      assertEquals("Run completed with status: completed", completion(retried).body().path("message").asText(),
          secret + ": " + retried);
    }
  }

  private void assertNoFileContains(String taskId, String text) throws Exception {
    try (Stream<Path> files = Files.walk(tmp.resolve("data/tasks").resolve(taskId))) {
      for (Path f : files.filter(Files::isRegularFile).toList()) {
        String content = Files.readString(f, StandardCharsets.UTF_8);
        assertFalse(content.contains(text) || content.contains("user-token-xyz"), text + " in " + f + ": " + content);
      }
    }
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
