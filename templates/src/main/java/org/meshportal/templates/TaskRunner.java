package org.meshportal.templates;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.meshportal.model.errors.InputException;
import org.meshportal.model.errors.PortalException;
import org.meshportal.templates.action.ActionContext;
import org.meshportal.templates.action.ActionRegistry;
import org.meshportal.templates.action.TemplateAction;
import org.meshportal.templates.action.Workspace;
import org.meshportal.templates.render.TemplateRenderer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the steps of one task in order and emits Backstage's event sequence (section 4.3). Renders
 * each step's {@code if}, {@code each} and {@code input} just before it runs, validates the input
 * against the action's schema, and redacts secrets from everything it emits or stores.
 */
final class TaskRunner {
  private static final Logger LOG = LoggerFactory.getLogger(TaskRunner.class);

  /** Thrown to leave a task as it is (engine closing); the next start resumes it. */
  static final class ShutdownException extends RuntimeException {
    ShutdownException() {
      super("engine is shutting down", null, false, false);
    }
  }

  /** The error a cancelled step fails with; Backstage's wording. */
  static final class StepCancelledException extends RuntimeException {
    StepCancelledException(String stepId, String stepName, String taskId) {
      super("Step " + stepId + " (" + stepName + ") of task " + taskId + " has been cancelled.", null, false, false);
    }
  }

  private final ActionRegistry actions;
  private final TemplateRenderer renderer;
  private final SchemaValidation schemas;
  private final ObjectMapper json;

  private final ActionPermission actionPermission;

  TaskRunner(ActionRegistry actions, TemplateRenderer renderer, SchemaValidation schemas, ObjectMapper json) {
    this(actions, renderer, schemas, json, ActionPermission.ALL);
  }

  TaskRunner(ActionRegistry actions, TemplateRenderer renderer, SchemaValidation schemas, ObjectMapper json,
      ActionPermission actionPermission) {
    this.actionPermission = actionPermission;
    this.actions = actions;
    this.renderer = renderer;
    this.schemas = schemas;
    this.json = json;
  }

  void run(RunTarget target, ObjectNode secrets) {
    Redactor redactor = new Redactor(secrets);
    ObjectNode spec = target.spec();
    ArrayNode steps = spec.withArray("steps");
    boolean resumed = !target.finishedSteps().isEmpty();
    if (!resumed) {
      log(target, redactor, "Starting up task with " + steps.size() + " steps", null, null);
    }
    ObjectNode stepsContext = json.createObjectNode();
    target.stepOutputs().fields().forEachRemaining(e -> stepsContext.putObject(e.getKey()).set("output", e.getValue()));
    boolean failed = target.failedBefore();
    Throwable firstError = null;

    for (JsonNode step : steps) {
      String stepId = step.path("id").asText();
      String stepName = step.path("name").asText(stepId);
      if (target.finishedSteps().contains(stepId)) {
        continue;
      }
      if (target.signal().isShutdown()) {
        throw new ShutdownException();
      }
      Map<String, Object> context = context(spec, stepsContext, secrets, target, failed, null);
      JsonNode condition = step.get("if");
      if (failed) {
        boolean runsAfterFailure = condition != null && condition.isTextual()
            && (condition.asText().contains("always()") || condition.asText().contains("failure()"))
            && evaluateCondition(condition, context, target, redactor, stepId);
        if (!runsAfterFailure) {
          skip(target, redactor, stepId, "Skipping step " + stepId + " because a previous step failed");
          continue;
        }
      } else if (condition != null && !evaluateCondition(condition, context, target, redactor, stepId)) {
        skip(target, redactor, stepId, "Skipping step " + stepId + " because its if condition was false");
        continue;
      }

      target.stepStarted(stepId);
      log(target, redactor, "Beginning step " + stepName, stepId, "processing");
      ObjectNode output = json.createObjectNode();
      try {
        if (target.signal().isCancelled()) {
          throw new StepCancelledException(stepId, stepName, target.taskId());
        }
        TemplateAction action = actions.get(step.path("action").asText());
        List<Map.Entry<JsonNode, JsonNode>> iterations = iterations(step, context, target, redactor, stepId);
        boolean skippedForDryRun = false;
        for (Map.Entry<JsonNode, JsonNode> each : iterations) {
          Map<String, Object> iterationContext = each == null ? context
              : context(spec, stepsContext, secrets, target, failed, each);
          JsonNode input = renderInput(step, iterationContext, target, redactor, stepId);
          ArrayNode errors = schemas.validate(action.inputSchema(), input, "instance");
          if (!errors.isEmpty()) {
            List<String> texts = new ArrayList<>();
            errors.forEach(err -> texts.add(err.path("stack").asText()));
            throw new InputException("Invalid input passed to action " + action.id() + ", " + String.join(", ", texts));
          }
          String user = spec.path("user").path("ref").asText(null);
          if (!actionPermission.allows(user, action.id(), input)) {
            // Backstage's wording, without the input: rendered input may hold secrets
            throw new org.meshportal.model.errors.NotAllowedException(
                "Unauthorized action: " + action.id() + ". The action is not allowed.");
          }
          if (target.dryRun() && !action.supportsDryRun()) {
            skippedForDryRun = true;
            exampleOutputs(action.outputSchema(), output);
            break;
          }
          runAction(action, input, target, redactor, stepId, output, each != null);
        }
        // An action that returned early because the engine is closing did not finish its work: rerun it on resume.
        if (target.signal().isShutdown()) {
          throw new ShutdownException();
        }
        // As in Backstage, a step that returns after a cancel (debug:wait ends early) still fails.
        if (target.signal().isCancelled()) {
          throw new StepCancelledException(stepId, stepName, target.taskId());
        }
        ObjectNode stored = redactor.redact(output);
        stepsContext.putObject(stepId).set("output", output);
        target.stepFinished(stepId, stored, false);
        if (skippedForDryRun) {
          log(target, redactor, "Skipping because " + action.id() + " does not support dry-run", stepId, "skipped");
        } else {
          log(target, redactor, "Finished step " + stepName, stepId, "completed");
        }
      } catch (ShutdownException | ClaimLostException e) {
        throw e; // not a failure of the step: this process stops running the task
      } catch (Throwable e) {
        if (target.signal().isShutdown()) {
          throw new ShutdownException();
        }
        // An interrupt raised to abort this step has done its job; clear it so that persisting the
        // failure (FileChannel writes) is not itself interrupted.
        Thread.interrupted();
        failed = true;
        // An action aborted by a cancel may throw anything (interrupts); report the cancel itself.
        Throwable error = target.signal().isCancelled() && !(e instanceof StepCancelledException)
            ? new StepCancelledException(stepId, stepName, target.taskId()) : e;
        if (firstError == null) {
          firstError = error;
        }
        String message = describe(error);
        LOG.info("Task {} step {} failed: {}", target.taskId(), stepId, redactor.redact(message));
        target.stepFinished(stepId, redactor.redact(output), true);
        log(target, redactor, message, stepId, "failed");
      }
    }

    ObjectNode completion = json.createObjectNode();
    // A cancelled task ends like Backstage's: the aborted step failed, so the run failed.
    if (failed) {
      completion.put("message", "Run completed with status: failed");
      completion.putObject("error")
          .put("name", firstError instanceof PortalException p ? p.errorName() : "Error")
          .put("message", redactor.redact(firstError == null ? "A previous step failed" : messageOf(firstError)));
      target.complete("failed", redactor.redact(completion));
    } else {
      completion.put("message", "Run completed with status: completed");
      // Secrets are not in scope for the output, as in Backstage.
      Map<String, Object> outputContext = context(spec, stepsContext, null, target, false, null);
      completion.set("output", renderOutput(spec.get("output"), outputContext, target, redactor));
      target.complete("completed", redactor.redact(completion));
    }
  }

  private void runAction(TemplateAction action, JsonNode input, RunTarget target, Redactor redactor, String stepId,
      ObjectNode output, boolean each) throws Exception {
    List<Path> temps = new ArrayList<>();
    ActionContext ctx = new ActionContext() {
      @Override public String taskId() {
        return target.taskId();
      }

      @Override public String stepId() {
        return stepId;
      }

      @Override public String templateRef() {
        return target.spec().path("templateInfo").path("entityRef").asText(null);
      }

      @Override public String templateBaseUrl() {
        return target.spec().path("templateInfo").path("baseUrl").asText(null);
      }

      @Override public JsonNode input() {
        return input;
      }

      @Override public Workspace workspace() {
        return target.workspace();
      }

      @Override public void log(String message) {
        TaskRunner.this.log(target, redactor, message, stepId, null);
      }

      @Override public void output(String name, JsonNode value) {
        if (each) {
          JsonNode existing = output.get(name);
          ArrayNode list = existing instanceof ArrayNode a ? a : output.putArray(name);
          list.add(value);
        } else {
          output.set(name, value);
        }
      }

      @Override public boolean isDryRun() {
        return target.dryRun();
      }

      @Override public boolean isCancelled() {
        return target.signal().isCancelled() || target.signal().isShutdown();
      }

      @Override public boolean awaitCancellation(Duration max) throws InterruptedException {
        return target.signal().await(max);
      }

      @Override public Path createTempDirectory() throws IOException {
        Path dir = Files.createTempDirectory("scaffolder-step-");
        temps.add(dir);
        return dir;
      }
    };
    try {
      action.execute(ctx);
    } finally {
      for (Path dir : temps) {
        deleteQuietly(dir);
      }
    }
  }

  private boolean evaluateCondition(JsonNode condition, Map<String, Object> context, RunTarget target,
      Redactor redactor, String stepId) {
    if (condition.isBoolean()) {
      return condition.booleanValue();
    }
    if (!condition.isTextual()) {
      return TemplateRenderer.isTruthy(condition);
    }
    JsonNode rendered = renderer.renderTree(condition, context, "if",
        (path, msg) -> log(target, redactor, "Failed to render the if condition of step " + stepId + ": " + msg, stepId, null));
    return TemplateRenderer.isTruthy(rendered);
  }

  private List<Map.Entry<JsonNode, JsonNode>> iterations(JsonNode step, Map<String, Object> context, RunTarget target,
      Redactor redactor, String stepId) {
    List<Map.Entry<JsonNode, JsonNode>> out = new ArrayList<>();
    JsonNode each = step.get("each");
    if (each == null) {
      out.add(null);
      return out;
    }
    JsonNode items = renderer.renderTree(each, context, "each",
        (path, msg) -> log(target, redactor, "Failed to render each of step " + stepId + ": " + msg, stepId, null));
    if (items.isArray()) {
      for (int i = 0; i < items.size(); i++) {
        out.add(Map.entry(json.getNodeFactory().numberNode(i), items.get(i)));
      }
    } else if (items.isObject()) {
      items.fields().forEachRemaining(e -> out.add(Map.entry(json.getNodeFactory().textNode(e.getKey()), e.getValue())));
    } else {
      throw new InputException("Invalid value on action " + step.path("action").asText()
          + ".each parameter, \"" + redactor.redact(each.asText()) + "\" cannot be iterated");
    }
    return out;
  }

  private JsonNode renderInput(JsonNode step, Map<String, Object> context, RunTarget target, Redactor redactor,
      String stepId) {
    JsonNode input = step.has("input") ? step.get("input") : json.createObjectNode();
    return renderer.renderTree(input, context, "input", (path, msg) -> log(target, redactor,
        "Failed to render template expression in " + path + " of step " + stepId + " (kept as written): " + msg,
        stepId, null));
  }

  private JsonNode renderOutput(JsonNode output, Map<String, Object> context, RunTarget target, Redactor redactor) {
    if (output == null || !output.isObject()) {
      return json.createObjectNode();
    }
    ObjectNode rendered = (ObjectNode) renderer.renderTree(output, context, "output",
        (path, msg) -> log(target, redactor, "Failed to render " + path + " (kept as written): " + msg, null, null));
    for (String listKey : List.of("links", "text")) {
      if (rendered.get(listKey) instanceof ArrayNode items) {
        ArrayNode kept = json.createArrayNode();
        for (JsonNode item : items) {
          if (item instanceof ObjectNode obj && obj.has("if")) {
            JsonNode cond = obj.remove("if");
            if (!TemplateRenderer.isTruthy(cond)) {
              continue;
            }
          }
          kept.add(item);
        }
        rendered.set(listKey, kept);
      }
    }
    return rendered;
  }

  private Map<String, Object> context(ObjectNode spec, ObjectNode steps, ObjectNode secrets, RunTarget target,
      boolean failed, Map.Entry<JsonNode, JsonNode> each) {
    Map<String, Object> ctx = new HashMap<>();
    ctx.put("parameters", renderer.toContext(spec.path("parameters")));
    ctx.put("steps", renderer.toContext(steps));
    ctx.put("user", renderer.toContext(spec.path("user")));
    ctx.put("templateInfo", renderer.toContext(spec.path("templateInfo")));
    ctx.put("context", Map.of("task", Map.of("id", target.taskId())));
    if (secrets != null) {
      ctx.put("secrets", renderer.toContext(secrets));
    }
    if (each != null) {
      Map<String, Object> e = new LinkedHashMap<>();
      e.put("key", renderer.toContext(each.getKey()));
      e.put("value", renderer.toContext(each.getValue()));
      ctx.put("each", e);
    }
    ctx.put("__taskFailed", failed);
    return ctx;
  }

  private void skip(RunTarget target, Redactor redactor, String stepId, String message) {
    target.stepFinished(stepId, json.createObjectNode(), false);
    log(target, redactor, message, stepId, "skipped");
  }

  private void log(RunTarget target, Redactor redactor, String message, String stepId, String status) {
    ObjectNode body = json.createObjectNode();
    body.put("message", redactor.redact(message));
    if (stepId != null) {
      body.put("stepId", stepId);
    }
    if (status != null) {
      body.put("status", status);
    }
    target.event("log", body);
  }

  private void exampleOutputs(JsonNode outputSchema, ObjectNode output) {
    JsonNode props = outputSchema.path("properties");
    Iterator<Map.Entry<String, JsonNode>> it = props.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> p = it.next();
      JsonNode examples = p.getValue().path("examples");
      if (examples.isArray() && !examples.isEmpty()) {
        output.set(p.getKey(), examples.get(0));
      } else if (p.getValue().has("default")) {
        output.set(p.getKey(), p.getValue().get("default"));
      } else {
        output.put(p.getKey(), "<example>");
      }
    }
  }

  private static String describe(Throwable e) {
    String name = e instanceof PortalException p ? p.errorName() : "Error";
    return name + ": " + messageOf(e);
  }

  private static String messageOf(Throwable e) {
    return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
  }

  static void deleteQuietly(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    } catch (IOException e) {
      LOG.warn("Could not delete temporary directory {}: {}", dir, e.toString());
    }
  }
}
