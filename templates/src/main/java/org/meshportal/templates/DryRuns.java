package org.meshportal.templates;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import org.meshportal.model.EntityRef;
import org.meshportal.model.errors.InputException;
import org.meshportal.model.errors.NotFoundException;
import org.meshportal.model.errors.PayloadTooLargeException;
import org.meshportal.templates.action.Workspace;

/** {@code POST /v2/dry-run}: a template run inline in a scratch folder; nothing is stored. */
final class DryRuns {
  private static final String TEMPLATE_API_VERSION = TaskSpecs.TEMPLATE_API_VERSION;

  private final TaskSpecs specs;
  private final TaskRunner runner;
  private final ObjectMapper json;
  private final Path dataDir;
  private final Clock clock;
  private final int maxWorkspaceFiles;
  private final long maxWorkspaceBytes;

  DryRuns(TaskSpecs specs, TaskRunner runner, ObjectMapper json, Path dataDir, Clock clock, int maxWorkspaceFiles,
      long maxWorkspaceBytes) {
    this.specs = specs;
    this.runner = runner;
    this.json = json;
    this.dataDir = dataDir;
    this.clock = clock;
    this.maxWorkspaceFiles = maxWorkspaceFiles;
    this.maxWorkspaceBytes = maxWorkspaceBytes;
  }

  private String now() {
    return clock.instant().toString();
  }

  /**
   * Runs a template inline without side effects: actions that do not support dry-run are skipped.
   * {@code directoryContents} ({@code [{path, base64Content}]}) are the template's own files.
   * Returns {@code {log, directoryContents, output, steps}}.
   */
  ObjectNode dryRun(JsonNode template, JsonNode values, JsonNode secrets, JsonNode directoryContents, Caller caller) {
    if (template == null || !TEMPLATE_API_VERSION.equals(template.path("apiVersion").asText())
        || !"Template".equals(template.path("kind").asText()) || !template.path("spec").path("steps").isArray()) {
      throw new InputException("Input template is not a template");
    }
    ObjectNode valuesObj = values instanceof ObjectNode o ? o : json.createObjectNode();
    ObjectNode secretsObj = secrets instanceof ObjectNode o ? o.deepCopy() : json.createObjectNode();
    specs.validateValues(template.path("spec"), valuesObj, template.path("spec").path("secrets").path("schema"), secretsObj);
    Caller who = caller == null ? Caller.ANONYMOUS : caller;
    if (who.token() != null) {
      secretsObj.put("backstageToken", who.token());
    }
    // Checked whole before the first byte is written: a refused request leaves nothing on disk.
    List<DryRunFile> dryRunFiles = dryRunFiles(directoryContents);
    Path root = dataDir.resolve("dry-run").resolve(UUID.randomUUID().toString());
    try {
      Workspace contents = new Workspace(root.resolve("template"), maxWorkspaceFiles, maxWorkspaceBytes);
      if (directoryContents != null) {
        for (DryRunFile file : dryRunFiles) {
          Path p = contents.resolve(file.path());
          Files.createDirectories(p.getParent());
          Files.write(p, file.content());
          if (file.executable()) {
            p.toFile().setExecutable(true);
          }
        }
        contents.checkLimits();
      }
      Workspace workspace = new Workspace(root.resolve("workspace"), maxWorkspaceFiles, maxWorkspaceBytes);
      EntityRef ref = new EntityRef("template", "default", "dry-run");
      ObjectNode spec = specs.taskSpec(template, ref, valuesObj, who);
      ((ObjectNode) spec.get("templateInfo")).put("baseUrl", contents.root().resolve("template.yaml").toUri().toString());
      // The runner gets the spec as written: masking is for what the run shows (its log and output).
      DryRun run = new DryRun("dry-run-" + UUID.randomUUID(), spec, workspace);
      runner.run(run, secretsObj);
      refuseLikeBackstage(run.completion);
      ObjectNode out = json.createObjectNode();
      ArrayNode log = out.putArray("log");
      run.events.forEach(e -> {
        if (!e.isCompletion()) {
          log.addObject().set("body", e.body());
        }
      });
      ArrayNode files = out.putArray("directoryContents");
      for (String rel : workspace.listFiles(workspace.root())) {
        Path p = workspace.resolve(rel);
        ObjectNode f = files.addObject().put("path", rel);
        if (Files.isExecutable(p)) {
          f.put("executable", true);
        }
        f.put("base64Content", Base64.getEncoder().encodeToString(Files.readAllBytes(p)));
      }
      JsonNode completion = run.completion == null ? json.createObjectNode() : run.completion;
      out.set("output", completion.has("output") ? completion.get("output") : json.createObjectNode());
      out.set("steps", spec.get("steps"));
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      TaskRunner.deleteQuietly(root);
    }
  }

  /**
   * Backstage's dry-run lets the workflow runner's error escape to the HTTP answer, so an unknown
   * action answers 404 NotFoundError and an input that fails the action's schema 400 InputError.
   * Those two are answered the same way here; any other step failure stays a 200 with the failed
   * log (Backstage would answer 500).
   */
  private static void refuseLikeBackstage(JsonNode completion) {
    JsonNode error = completion == null ? null : completion.get("error");
    if (error == null) {
      return;
    }
    String message = error.path("message").asText();
    switch (error.path("name").asText()) {
      case "NotFoundError" -> throw new NotFoundException(message);
      case "InputError" -> throw new InputException(message);
      default -> { }
    }
  }

  private record DryRunFile(String path, byte[] content, boolean executable) {}

  /** {@code directoryContents} decoded and checked against the dry-run limits. */
  private static List<DryRunFile> dryRunFiles(JsonNode directoryContents) {
    if (directoryContents == null || directoryContents.isNull() || directoryContents.isMissingNode()) {
      return List.of();
    }
    if (!directoryContents.isArray()) {
      throw new InputException("directoryContents must be an array of {path, base64Content}");
    }
    if (directoryContents.size() > ScaffolderService.MAX_DRY_RUN_FILES) {
      throw new InputException("directoryContents has " + directoryContents.size() + " files, more than the limit of "
          + ScaffolderService.MAX_DRY_RUN_FILES);
    }
    List<DryRunFile> out = new ArrayList<>(directoryContents.size());
    long total = 0;
    for (JsonNode file : directoryContents) {
      JsonNode path = file.path("path");
      JsonNode content = file.path("base64Content");
      if (!path.isTextual() || !(content.isTextual() || content.isMissingNode())) {
        throw new InputException("directoryContents entries need a string path and a string base64Content");
      }
      // Decoded size from the text length first, so an oversized entry is refused before it is decoded.
      total += (long) content.asText("").length() * 3 / 4;
      if (total > ScaffolderService.MAX_DRY_RUN_BYTES + 2) {
        throw new PayloadTooLargeException("directoryContents is larger than the limit of " + ScaffolderService.MAX_DRY_RUN_BYTES + " bytes");
      }
      byte[] bytes;
      try {
        bytes = Base64.getDecoder().decode(content.asText(""));
      } catch (IllegalArgumentException e) {
        throw new InputException("directoryContents entry " + path.textValue() + " has invalid base64Content");
      }
      out.add(new DryRunFile(path.textValue(), bytes, file.path("executable").asBoolean(false)));
    }
    long decoded = out.stream().mapToLong(f -> f.content().length).sum();
    if (decoded > ScaffolderService.MAX_DRY_RUN_BYTES) {
      throw new PayloadTooLargeException("directoryContents is larger than the limit of " + ScaffolderService.MAX_DRY_RUN_BYTES + " bytes");
    }
    return out;
  }

  /** A dry run: events kept in memory, nothing persisted. */
  private final class DryRun implements RunTarget {
    private final String id;
    private final ObjectNode spec;
    private final Workspace workspace;
    private final TaskSignal signal = new TaskSignal();
    private final List<TaskEvent> events = new ArrayList<>();
    private final ObjectNode outputs = json.createObjectNode();
    private JsonNode completion;

    DryRun(String id, ObjectNode spec, Workspace workspace) {
      this.id = id;
      this.spec = spec;
      this.workspace = workspace;
    }

    @Override public String taskId() {
      return id;
    }

    @Override public ObjectNode spec() {
      return spec;
    }

    @Override public Workspace workspace() {
      return workspace;
    }

    @Override public boolean dryRun() {
      return true;
    }

    @Override public ObjectNode stepOutputs() {
      return outputs;
    }

    @Override public Set<String> finishedSteps() {
      return Set.of();
    }

    @Override public boolean failedBefore() {
      return false;
    }

    @Override public void event(String type, ObjectNode body) {
      events.add(new TaskEvent(events.size() + 1, id, type, body, now(), null));
    }

    @Override public void stepStarted(String stepId) {}

    @Override public void stepFinished(String stepId, ObjectNode output, boolean failed) {}

    @Override public void complete(String status, ObjectNode completionBody) {
      completion = completionBody;
      event("completion", completionBody);
    }

    @Override public TaskSignal signal() {
      return signal;
    }
  }
}
