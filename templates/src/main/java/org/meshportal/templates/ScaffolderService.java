package org.meshportal.templates;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.meshportal.model.EntityRef;
import org.meshportal.model.errors.ConflictException;
import org.meshportal.model.errors.InputException;
import org.meshportal.model.errors.NotFoundException;
import org.meshportal.templates.action.ActionRegistry;
import org.meshportal.templates.action.TemplateAction;
import org.meshportal.templates.builtin.BuiltinActions;
import org.meshportal.templates.builtin.MeshRepoSettings;
import org.meshportal.templates.render.TemplateRenderer;

/**
 * The scaffolder engine's facade; each public method maps to one endpoint of {@code /api/scaffolder/v2}
 * and returns data in the exact JSON shape of that endpoint, so the HTTP layer only parses and
 * renders. Errors are domain exceptions ({@link NotFoundException}, {@link InputException},
 * {@link ConflictException}) except parameter validation, which throws
 * {@link TaskValidationException} carrying Backstage's {@code errors} list.
 *
 * <p>Lifecycle: build, {@link #start()} (resumes or fails tasks left running by a previous process),
 * {@link #close()} (stops workers, leaving their tasks to be resumed). Tasks run on the injected
 * executor (virtual threads in production); the executor is owned by the caller. Thread-safe.
 */
public final class ScaffolderService implements AutoCloseable {
  private static final Set<String> FINAL = Set.of("completed", "failed", "cancelled", "skipped");

  private final ObjectMapper json = new ObjectMapper();
  private final Path dataDir;
  private final TemplateCatalog catalog;
  private final ExecutorService executor;
  private final ActionRegistry actions;
  private final TemplateRenderer renderer;
  private final SchemaValidation schemas = new SchemaValidation();
  private final TaskStore store;
  private final TaskRunner runner;
  private final TaskExecution execution;
  private final TaskSpecs specs;
  private final DryRuns dryRuns;
  private final AtomicBoolean started = new AtomicBoolean();

  private ScaffolderService(Builder b) {
    this.dataDir = Objects.requireNonNull(b.dataDir, "dataDir");
    this.catalog = Objects.requireNonNull(b.catalog, "catalog");
    this.executor = Objects.requireNonNull(b.executor, "executor");
    this.renderer = new TemplateRenderer();
    List<TemplateAction> all = new ArrayList<>(BuiltinActions.create(
        Objects.requireNonNull(b.files, "files"), Objects.requireNonNull(b.publisher, "publisher"), catalog,
        renderer, b.maxWait, b.mesh));
    all.addAll(b.extraActions);
    this.actions = new ActionRegistry(all);
    this.store = b.taskStore != null ? b.taskStore : new FileTaskStore(dataDir, json, b.clock);
    this.runner = new TaskRunner(actions, renderer, schemas, json, b.actionPermission);
    this.specs = new TaskSpecs(catalog, schemas, json);
    this.dryRuns = new DryRuns(specs, runner, json, dataDir, b.clock, b.maxWorkspaceFiles, b.maxWorkspaceBytes);
    this.execution = new TaskExecution(store, runner, executor, json, b.maxWorkspaceFiles, b.maxWorkspaceBytes,
        b.heartbeat, b.takeover);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** Configures the engine; every setter validates at once. */
  public static final class Builder {
    private Path dataDir;
    private TemplateCatalog catalog;
    private GitPublisher publisher;
    private TemplateFiles files = new LocalTemplateFiles();
    private ExecutorService executor;
    private Clock clock = Clock.systemUTC();
    private Duration maxWait = Duration.ofMinutes(10);
    private MeshRepoSettings mesh;
    private int maxWorkspaceFiles = 10_000;
    private long maxWorkspaceBytes = 200L * 1024 * 1024;
    private TaskStore taskStore;
    private Duration heartbeat = Duration.ofSeconds(5);
    private Duration takeover = Duration.ofSeconds(20);
    private final List<TemplateAction> extraActions = new ArrayList<>();
    private ActionPermission actionPermission = ActionPermission.ALL;

    /** Checked before every step runs; a refusal fails the step. Default: every action allowed. */
    public Builder actionPermission(ActionPermission p) {
      this.actionPermission = Objects.requireNonNull(p, "actionPermission");
      return this;
    }

    public Builder dataDir(Path dir) {
      this.dataDir = dir;
      return this;
    }

    public Builder catalog(TemplateCatalog c) {
      this.catalog = c;
      return this;
    }

    public Builder publisher(GitPublisher p) {
      this.publisher = p;
      return this;
    }

    public Builder files(TemplateFiles f) {
      this.files = f;
      return this;
    }

    /** Runs tasks; use {@code Executors.newVirtualThreadPerTaskExecutor()}. Not shut down by the engine. */
    public Builder executor(ExecutorService e) {
      this.executor = e;
      return this;
    }

    public Builder clock(Clock c) {
      this.clock = Objects.requireNonNull(c);
      return this;
    }

    /** Upper bound of debug:wait. */
    public Builder maxWait(Duration d) {
      if (d.isNegative()) {
        throw new IllegalArgumentException("maxWait must not be negative: " + d);
      }
      this.maxWait = d;
      return this;
    }

    /** Where tasks live; default: files under {@code dataDir/tasks}. */
    public Builder taskStore(TaskStore s) {
      this.taskStore = Objects.requireNonNull(s, "taskStore");
      return this;
    }

    /**
     * On a shared store: how often running tasks' claims are renewed (and cancels from other
     * processes noticed), and how old a claim's heartbeat must be for another process to take the
     * task over. The takeover must be longer than the heartbeat.
     */
    public Builder replicas(Duration heartbeat, Duration takeover) {
      if (heartbeat.isNegative() || heartbeat.isZero() || takeover.compareTo(heartbeat) <= 0) {
        throw new IllegalArgumentException("the task heartbeat must be positive and shorter than the takeover timeout: "
            + heartbeat.toSeconds() + " s heartbeat, " + takeover.toSeconds() + " s takeover");
      }
      this.heartbeat = heartbeat;
      this.takeover = takeover;
      return this;
    }

    public Builder mesh(MeshRepoSettings m) {
      this.mesh = m;
      return this;
    }

    public Builder workspaceLimits(int maxFiles, long maxBytes) {
      if (maxFiles <= 0 || maxBytes <= 0) {
        throw new IllegalArgumentException("workspace limits must be positive: " + maxFiles + " files, " + maxBytes + " bytes");
      }
      this.maxWorkspaceFiles = maxFiles;
      this.maxWorkspaceBytes = maxBytes;
      return this;
    }

    public Builder addAction(TemplateAction a) {
      this.extraActions.add(a);
      return this;
    }

    public ScaffolderService build() {
      return new ScaffolderService(this);
    }
  }

  /**
   * Picks up tasks left by a previous process: open ones are queued; processing ones resume at their
   * first unfinished step, unless they had secrets (never stored), in which case they are failed
   * with a {@code recovered} event. On a shared store the same happens, continuously, to tasks of
   * any process whose heartbeat stopped. Fails if called twice.
   */
  public void start() {
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException("ScaffolderService already started");
    }
    execution.start();
  }

  /** Stops running workers without completing their tasks (they resume on the next start). Idempotent. */
  @Override
  public void close() {
    execution.close();
  }

  // ------------------------------------------------------------------ GET /v2/templates/.../parameter-schema

  public ObjectNode parameterSchema(String namespace, String kind, String name) {
    return parameterSchema(namespace, kind, name, UnaryOperator.identity());
  }

  /**
   * @param view the template as the caller may see it (e.g. parameter pages it may not read
   *     removed); it may throw to refuse the template
   */
  public ObjectNode parameterSchema(String namespace, String kind, String name, UnaryOperator<JsonNode> view) {
    if (!"template".equalsIgnoreCase(kind)) {
      throw new InputException("Invalid kind, only 'Template' kind is supported");
    }
    JsonNode template = view.apply(specs.loadTemplate(new EntityRef("template", namespace, name)));
    JsonNode spec = template.path("spec");
    ObjectNode out = json.createObjectNode();
    JsonNode meta = template.path("metadata");
    out.put("title", meta.hasNonNull("title") ? meta.get("title").asText() : meta.path("name").asText());
    if (meta.hasNonNull("description")) {
      out.put("description", meta.get("description").asText());
    }
    if (spec.has("presentation")) {
      out.set("presentation", spec.get("presentation"));
    }
    if (meta.has("ui:options")) {
      out.set("ui:options", meta.get("ui:options"));
    }
    ArrayNode steps = out.putArray("steps");
    for (JsonNode page : specs.pages(spec)) {
      ObjectNode step = steps.addObject();
      step.put("title", page.hasNonNull("title") ? page.get("title").asText() : "Please enter the following information");
      if (page.hasNonNull("description")) {
        step.put("description", page.get("description").asText());
      }
      step.set("schema", page);
    }
    JsonNode decorators = spec.has("formDecorators") ? spec.get("formDecorators") : spec.get("EXPERIMENTAL_formDecorators");
    if (decorators != null) {
      out.set("formDecorators", decorators);
    }
    return out;
  }

  // ------------------------------------------------------------------ GET /v2/actions

  public ArrayNode listActions() {
    ArrayNode out = json.createArrayNode();
    for (TemplateAction a : actions.list()) {
      ObjectNode o = out.addObject().put("id", a.id()).put("description", a.description());
      o.set("examples", a.examples());
      ObjectNode schema = o.putObject("schema");
      schema.set("input", a.inputSchema());
      schema.set("output", a.outputSchema());
    }
    return out;
  }

  // ------------------------------------------------------------------ POST /v2/tasks

  /** Validates and queues a task; returns {@code {"id": taskId}}. */
  public ObjectNode createTask(String templateRef, JsonNode values, JsonNode secrets, Caller caller) {
    return createTask(templateRef, values, secrets, caller, UnaryOperator.identity());
  }

  /**
   * @param view the template as the caller may use it (parameter pages and steps it may not read
   *     removed); it may throw to refuse the template
   */
  public ObjectNode createTask(String templateRef, JsonNode values, JsonNode secrets, Caller caller,
      UnaryOperator<JsonNode> view) {
    EntityRef ref;
    try {
      ref = EntityRef.parse(Objects.requireNonNull(templateRef, "templateRef"), "template", null);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new InputException("Invalid templateRef: " + e.getMessage());
    }
    JsonNode template = view.apply(specs.loadTemplate(ref));
    ObjectNode valuesObj = values instanceof ObjectNode o ? o : json.createObjectNode();
    ObjectNode secretsObj = secrets instanceof ObjectNode o ? o.deepCopy() : json.createObjectNode();
    JsonNode secretsSchema = template.path("spec").path("secrets").path("schema");
    specs.validateValues(template.path("spec"), valuesObj, secretsSchema, secretsObj);
    boolean hasSecrets = !secretsObj.isEmpty();
    Caller who = caller == null ? Caller.ANONYMOUS : caller;
    if (who.token() != null) {
      secretsObj.put("backstageToken", who.token());
    }
    ObjectNode spec = specs.taskSpec(template, ref, valuesObj, who);
    String id = UUID.randomUUID().toString();
    Redactor redactor = new Redactor(secretsObj);
    ObjectNode doc = json.createObjectNode();
    doc.put("id", id);
    doc.set("spec", storedSpec(spec, redactor));
    doc.put("status", "open");
    doc.put("createdAt", store.now());
    if (who.userEntityRef() != null) {
      doc.put("createdBy", who.userEntityRef());
    }
    doc.put("hasSecrets", hasSecrets);
    if (!secretsSchema.isMissingNode()) {
      doc.set("secretsSchema", secretsSchema);
    }
    doc.putObject("stepOutputs");
    doc.putArray("finishedSteps");
    store.create(doc, execution.owner());
    execution.submit(id, secretsObj, spec);
    return json.createObjectNode().put("id", id);
  }

  /**
   * The spec as stored and shown by {@code GET /v2/tasks/{id}}: the user's parameter values are
   * masked where they hold a secret; the template's own parts (steps, output, template info) stay
   * as written, because the engine runs them again on retry and resume and they come from the
   * catalog, not from the request.
   */
  private static ObjectNode storedSpec(ObjectNode spec, Redactor redactor) {
    ObjectNode stored = spec.deepCopy();
    if (stored.get("parameters") instanceof ObjectNode parameters) {
      stored.set("parameters", redactor.redact(parameters));
    }
    return stored;
  }

  // ------------------------------------------------------------------ GET /v2/tasks/{id}, GET /v2/tasks

  public Task getTask(String taskId) {
    return toTask(store.doc(taskId));
  }

  public TaskPage listTasks(TaskQuery query) {
    Set<String> createdBy = new HashSet<>(query.createdBy());
    Set<String> statuses = new HashSet<>(query.status());
    List<Task> matching = store.allDocs().stream()
        .filter(d -> createdBy.isEmpty() || createdBy.contains(d.path("createdBy").asText(null)))
        .filter(d -> statuses.isEmpty() || statuses.contains(d.path("status").asText()))
        .map(this::toTask)
        .sorted(order(query.order()))
        .toList();
    int offset = query.offset() == null ? 0 : Math.max(0, query.offset());
    int limit = query.limit() == null ? Integer.MAX_VALUE : Math.max(0, query.limit());
    List<Task> page = matching.stream().skip(offset).limit(limit).toList();
    return new TaskPage(page, matching.size());
  }

  /** How many tasks are in each status (open, processing, completed, failed, cancelled). */
  public Map<String, Long> countByStatus() {
    Map<String, Long> counts = new java.util.TreeMap<>();
    for (String status : List.of("open", "processing", "completed", "failed", "cancelled")) {
      counts.put(status, 0L);
    }
    store.countByStatus().forEach((status, n) -> counts.merge(status, n, Long::sum));
    return counts;
  }

  // ------------------------------------------------------------------ POST cancel / retry

  /** Requests cancellation; returns {@code {"status": "cancelled"}}. */
  public ObjectNode cancel(String taskId) {
    ObjectNode doc = store.doc(taskId);
    String status = doc.path("status").asText();
    if (!FINAL.contains(status) && !doc.path("cancelRequested").asBoolean(false)) {
      String stepId = doc.path("currentStep").asText(
          doc.path("spec").path("steps").path(0).path("id").asText(""));
      store.update(taskId, d -> d.put("cancelRequested", true));
      store.append(taskId, "cancelled", json.createObjectNode()
          .put("message", "Step " + stepId + " has been cancelled.")
          .put("stepId", stepId)
          .put("status", "cancelled"), null);
      // A runner in another process hears of it with its next heartbeat.
      execution.cancelled(taskId);
    }
    return json.createObjectNode().put("status", "cancelled");
  }

  /** Runs a finished task again from the start; returns {@code {"id": taskId}}. */
  public ObjectNode retry(String taskId, JsonNode secrets) {
    ObjectNode doc = store.doc(taskId);
    if (!FINAL.contains(doc.path("status").asText())) {
      throw new ConflictException("Task with taskId " + taskId + " cannot be retried");
    }
    ObjectNode secretsObj = secrets instanceof ObjectNode o ? o.deepCopy() : json.createObjectNode();
    if (doc.has("secretsSchema")) {
      ArrayNode errors = schemas.validate(doc.get("secretsSchema"), secretsObj, "secrets");
      if (!errors.isEmpty()) {
        throw new TaskValidationException(errors);
      }
    }
    // One retry wins where several processes (or requests) race for a finished task.
    if (!execution.claim(taskId)) {
      throw new ConflictException("Task with taskId " + taskId + " cannot be retried: it is being retried elsewhere");
    }
    store.removeEvents(taskId, e -> e.isCompletion() || "cancelled".equals(e.type()));
    store.update(taskId, d -> {
      d.put("status", "open");
      d.putObject("stepOutputs");
      d.putArray("finishedSteps");
      d.remove(List.of("cancelRequested", "currentStep", "failedBefore"));
      d.put("hasSecrets", !secretsObj.isEmpty());
    });
    TaskRunner.deleteQuietly(store.workspaceDir(taskId));
    store.deleteWorkspaceArchive(taskId);
    store.append(taskId, "recovered", json.createObjectNode().put("recoverStrategy", "startOver"), null);
    execution.submit(taskId, secretsObj);
    return json.createObjectNode().put("id", taskId);
  }

  // ------------------------------------------------------------------ events

  /** {@code GET /v2/tasks/{id}/events} without waiting: events with id > after, plus the completion event. */
  public List<TaskEvent> events(String taskId, Long after) {
    return store.events(taskId, after == null ? -1 : after);
  }

  /** Long poll: returns at once if there are events to return, else waits up to {@code maxWait} ({@code []} then). */
  public List<TaskEvent> awaitEvents(String taskId, Long after, Duration maxWait) throws InterruptedException {
    return store.awaitEvents(taskId, after == null ? -1 : after, maxWait, true);
  }

  /** For SSE: a cursor over the task's events starting after {@code after}. */
  public EventCursor subscribe(String taskId, Long after) {
    store.doc(taskId); // 404 before streaming starts
    return new EventCursor() {
      long cursor = after == null ? -1 : after;
      boolean first = true;
      boolean finished;

      @Override
      public List<TaskEvent> next(Duration maxWait) throws InterruptedException {
        if (finished) {
          return List.of();
        }
        List<TaskEvent> batch = store.awaitEvents(taskId, cursor, maxWait, first);
        first = false;
        for (TaskEvent e : batch) {
          cursor = Math.max(cursor, e.id());
          if (e.isCompletion() && !Boolean.TRUE.equals(e.isTaskRecoverable())) {
            finished = true;
          }
        }
        return batch;
      }

      @Override
      public boolean finished() {
        return finished;
      }
    };
  }

  // ------------------------------------------------------------------ POST /v2/dry-run

  /** The most files a dry run's {@code directoryContents} may hold. */
  public static final int MAX_DRY_RUN_FILES = 1000;
  /** The most bytes (decoded) a dry run's {@code directoryContents} may hold together. */
  public static final long MAX_DRY_RUN_BYTES = 8L << 20;

  /**
   * Runs a template inline without side effects: actions that do not support dry-run are skipped.
   * {@code directoryContents} ({@code [{path, base64Content}]}) are the template's own files.
   * Returns {@code {log, directoryContents, output, steps}}.
   */
  public ObjectNode dryRun(JsonNode template, JsonNode values, JsonNode secrets, JsonNode directoryContents, Caller caller) {
    return dryRuns.dryRun(template, values, secrets, directoryContents, caller);
  }

  // ------------------------------------------------------------------ templating extensions

  public ObjectNode templatingExtensions() {
    return renderer.extensionsDescription();
  }

  // ------------------------------------------------------------------ internals

  private Task toTask(ObjectNode d) {
    return new Task(d.get("id").asText(), (ObjectNode) d.get("spec"), d.path("status").asText(),
        d.path("createdAt").asText(), d.path("lastHeartbeatAt").asText(null), d.path("createdBy").asText(null));
  }

  private static Comparator<Task> order(List<String> order) {
    List<String> items = order.isEmpty() ? List.of("desc:created_at") : order;
    Comparator<Task> cmp = null;
    for (String item : items) {
      String[] parts = item.split(":", 2);
      boolean desc = parts[0].toLowerCase(Locale.ROOT).equals("desc");
      String field = parts.length > 1 ? parts[1] : parts[0];
      Comparator<Task> c = switch (field) {
        case "status" -> Comparator.comparing(Task::status);
        case "created_by" -> Comparator.comparing(t -> t.createdBy() == null ? "" : t.createdBy());
        case "created_at" -> Comparator.comparing(Task::createdAt);
        default -> throw new InputException("Invalid order field " + field + ", expected created_at, status or created_by");
      };
      c = desc ? c.reversed() : c;
      cmp = cmp == null ? c : cmp.thenComparing(c);
    }
    return cmp;
  }
}
