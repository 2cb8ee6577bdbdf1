package org.meshportal.catalog.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.meshportal.catalog.audit.AuditEvent;
import org.meshportal.catalog.auth.Principal;
import org.meshportal.catalog.permission.Permission;
import org.meshportal.catalog.permission.Permissions;
import org.meshportal.catalog.permission.ScaffolderPermissions;
import org.meshportal.templates.Task;
import org.meshportal.templates.TaskPage;
import org.meshportal.model.errors.InputException;
import org.meshportal.templates.Caller;
import org.meshportal.templates.EventCursor;
import org.meshportal.templates.ScaffolderService;
import org.meshportal.templates.TaskEvent;
import org.meshportal.templates.TaskQuery;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code /api/scaffolder}: each {@code /v2} route maps 1:1 to a {@link ScaffolderService} method.
 * The event stream is written straight to the response on the request's (virtual) thread.
 */
final class ScaffolderPlugin implements Plugin {
  private static final Logger LOG = LoggerFactory.getLogger(ScaffolderPlugin.class);
  private static final Pattern BEARER = Pattern.compile("^Bearer[ ]+(\\S+)$", Pattern.CASE_INSENSITIVE);
  /** How long one wait of the event stream lasts before it checks again; nothing is written then. */
  private static final Duration STREAM_POLL = Duration.ofSeconds(5);

  private final ScaffolderService scaffolder;
  private final Duration longPollWait;
  private final Json json;
  private final ScaffolderPermissions access;

  ScaffolderPlugin(ScaffolderService scaffolder, Duration longPollWait, Json json, Permissions permissions) {
    this.access = new ScaffolderPermissions(permissions);
    this.scaffolder = Objects.requireNonNull(scaffolder, "scaffolder");
    this.longPollWait = Objects.requireNonNull(longPollWait, "longPollWait");
    this.json = json;
  }

  @Override
  public String id() {
    return "scaffolder";
  }

  @Override
  public void addRoutes(PluginRoutes r) {
    r.get("/v2/templates/{namespace}/{kind}/{name}/parameter-schema", ctx -> json.write(ctx, 200,
            scaffolder.parameterSchema(ctx.pathParam("namespace"), ctx.pathParam("kind"), ctx.pathParam("name"),
                access.templateView(principal(ctx)))))
        .get("/v2/actions", ctx -> json.write(ctx, 200, scaffolder.listActions()))
        .post("/v2/tasks", this::createTask)
        .get("/v2/tasks", this::listTasks)
        .get("/v2/tasks/{taskId}", ctx -> {
          Task task = readableTask(ctx, "get", Permission.SCAFFOLDER_TASK_READ);
          json.write(ctx, 200, task);
        })
        .post("/v2/tasks/{taskId}/cancel", ctx -> {
          Task task = readableTask(ctx, "cancel", Permission.SCAFFOLDER_TASK_CANCEL);
          access.requireTask(principal(ctx), Permission.SCAFFOLDER_TASK_READ, task.createdBy());
          json.write(ctx, 200, scaffolder.cancel(task.id()));
        })
        .post("/v2/tasks/{taskId}/retry", ctx -> {
          Task task = readableTask(ctx, "retry", Permission.SCAFFOLDER_TASK_READ);
          access.permissions().require(principal(ctx), Permission.SCAFFOLDER_TASK_CREATE);
          json.write(ctx, 201, scaffolder.retry(task.id(), field(json.body(ctx), "secrets")));
        })
        .get("/v2/tasks/{taskId}/eventstream", this::eventStream)
        .get("/v2/tasks/{taskId}/events", ctx -> {
          Task task = readableTask(ctx, "events", Permission.SCAFFOLDER_TASK_READ);
          json.write(ctx, 200, scaffolder.awaitEvents(task.id(), after(ctx), longPollWait));
        })
        .post("/v2/dry-run", this::dryRun)
        .get("/v2/templating-extensions", ctx -> json.write(ctx, 200, scaffolder.templatingExtensions()));
  }

  private void createTask(Context ctx) {
    JsonNode body = json.body(ctx);
    JsonNode templateRef = body.get("templateRef");
    if (templateRef == null || !templateRef.isTextual()) {
      throw new InputException("Malformed request body, templateRef must be a string");
    }
    // meta names the template only: values may be personal and secrets never leave the task
    AuditEvent event = AuditEvent.of("scaffolder", "task", "medium").with("actionType", "create")
        .with("templateRef", templateRef.textValue());
    Audits.mark(ctx, event);
    access.permissions().require(principal(ctx), Permission.SCAFFOLDER_TASK_CREATE);
    JsonNode created = scaffolder.createTask(templateRef.textValue(), field(body, "values"),
        field(body, "secrets"), caller(ctx), access.templateView(principal(ctx)));
    event.with("taskId", created.path("id").asText());
    json.write(ctx, 201, created);
  }

  private static Principal principal(Context ctx) {
    return ctx.attribute(HttpServer.PRINCIPAL);
  }

  /**
   * Loads the task of the path (404 when there is none), audits the action on it and requires
   * that the caller created it or holds {@code permission} for it (403).
   */
  private Task readableTask(Context ctx, String actionType, Permission permission) {
    String taskId = ctx.pathParam("taskId");
    boolean changes = actionType.equals("cancel") || actionType.equals("retry");
    Audits.mark(ctx, AuditEvent.of("scaffolder", "task", changes ? "medium" : "low").with("actionType", actionType)
        .with("taskId", taskId));
    Task task = scaffolder.getTask(taskId);
    access.requireTask(principal(ctx), permission, task.createdBy());
    return task;
  }

  private void listTasks(Context ctx) {
    Map<String, List<String>> params = ctx.queryParamMap();
    TaskQuery query = new TaskQuery(params.get("createdBy"), params.get("status"),
        CatalogParams.optionalInt(params, "limit", 0), CatalogParams.optionalInt(params, "offset", 0),
        params.get("order"));
    Audits.mark(ctx, AuditEvent.of("scaffolder", "task", "low").with("actionType", "list"));
    TaskQuery visible = access.visibleTasks(principal(ctx), query);
    json.write(ctx, 200, visible == null ? new TaskPage(List.of(), 0) : scaffolder.listTasks(visible));
  }

  private void dryRun(Context ctx) {
    Audits.mark(ctx, AuditEvent.of("scaffolder", "task", "medium").with("actionType", "dry-run"));
    access.permissions().require(principal(ctx), Permission.SCAFFOLDER_TASK_CREATE);
    access.permissions().require(principal(ctx), Permission.SCAFFOLDER_TEMPLATE_DRY_RUN);
    JsonNode body = json.body(ctx);
    json.write(ctx, 200, scaffolder.dryRun(field(body, "template"), field(body, "values"), field(body, "secrets"),
        field(body, "directoryContents"), caller(ctx)));
  }

  /**
   * Server-sent events: every event as {@code event: <type>} and one {@code data:} line, nothing
   * else. The response ends only after a final completion event, or when the client goes away.
   */
  private void eventStream(Context ctx) throws IOException {
    String taskId = readableTask(ctx, "stream", Permission.SCAFFOLDER_TASK_READ).id(); // a missing task: 404
    EventCursor cursor = scaffolder.subscribe(taskId, after(ctx));
    HttpServletResponse res = ctx.res();
    res.setStatus(200);
    res.setContentType("text/event-stream");
    res.setHeader("Cache-Control", "no-cache");
    res.setHeader("Connection", "keep-alive");
    OutputStream out = res.getOutputStream();
    res.flushBuffer();
    try {
      while (!cursor.finished()) {
        List<TaskEvent> batch = cursor.next(STREAM_POLL);
        if (batch.isEmpty()) {
          continue;
        }
        for (TaskEvent event : batch) {
          out.write(frame(event));
        }
        out.flush();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException e) {
      LOG.debug("Event stream of task {} ended by the client: {}", taskId, e.getMessage());
    }
  }

  private byte[] frame(TaskEvent event) {
    // Jackson escapes line breaks inside strings, so the JSON is always one line.
    String data = new String(json.bytes(event), StandardCharsets.UTF_8);
    return ("event: " + event.type() + "\ndata: " + data + "\n\n").getBytes(StandardCharsets.UTF_8);
  }

  private static Long after(Context ctx) {
    String raw = ctx.queryParam("after");
    if (raw == null || raw.isBlank()) {
      return null;
    }
    try {
      return Long.parseLong(raw.trim());
    } catch (NumberFormatException e) {
      throw new InputException("Invalid after parameter \"" + raw + "\", expected an event id");
    }
  }

  private static JsonNode field(JsonNode body, String name) {
    JsonNode value = body.get(name);
    return value == null || value.isNull() ? null : value;
  }

  /** The signed-in user's ref (services have none) and the caller's own token, passed on to actions. */
  static Caller caller(Context ctx) {
    Principal principal = ctx.attribute(HttpServer.PRINCIPAL);
    String userRef = principal instanceof Principal.User user ? user.userEntityRef() : null;
    String header = ctx.header("Authorization");
    String token = null;
    if (header != null) {
      Matcher m = BEARER.matcher(header.trim());
      if (m.matches()) {
        token = m.group(1);
      }
    }
    return new Caller(userRef, token);
  }
}
