package org.meshportal.templates;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicBoolean;
import org.meshportal.model.Entities;
import org.meshportal.model.EntityRef;
import org.meshportal.model.errors.ConflictException;
import org.meshportal.model.errors.InputException;
import org.meshportal.model.errors.NotFoundException;
import org.meshportal.model.errors.PayloadTooLargeException;
import org.meshportal.templates.action.ActionRegistry;
import org.meshportal.templates.action.TemplateAction;
import org.meshportal.templates.action.Workspace;
import org.meshportal.templates.builtin.BuiltinActions;
import org.meshportal.templates.builtin.MeshRepoSettings;
import org.meshportal.templates.render.TemplateRenderer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
  private static final Logger LOG = LoggerFactory.getLogger(ScaffolderService.class);
  private static final String TEMPLATE_API_VERSION = "scaffolder.backstage.io/v1beta3";
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
  private final Map<String, AutocompleteProvider> autocomplete;
  private final int maxWorkspaceFiles;
  private final long maxWorkspaceBytes;
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
    this.runner = new TaskRunner(actions, renderer, schemas, json);
    this.execution = new TaskExecution(store, runner, executor, json, b.maxWorkspaceFiles, b.maxWorkspaceBytes,
        b.heartbeat, b.takeover);
    Map<String, AutocompleteProvider> ac = new ConcurrentHashMap<>();
    b.autocomplete.forEach(p -> ac.put(p.id(), p));
    this.autocomplete = Map.copyOf(ac);
    this.maxWorkspaceFiles = b.maxWorkspaceFiles;
    this.maxWorkspaceBytes = b.maxWorkspaceBytes;
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
    private final List<AutocompleteProvider> autocomplete = new ArrayList<>();

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

    public Builder addAutocompleteProvider(AutocompleteProvider p) {
      this.autocomplete.add(p);
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
    if (!"template".equalsIgnoreCase(kind)) {
      throw new InputException("Invalid kind, only 'Template' kind is supported");
    }
    JsonNode template = loadTemplate(new EntityRef("template", namespace, name));
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
    for (JsonNode page : pages(spec)) {
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
    EntityRef ref;
    try {
      ref = EntityRef.parse(Objects.requireNonNull(templateRef, "templateRef"), "template", null);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new InputException("Invalid templateRef: " + e.getMessage());
    }
    JsonNode template = loadTemplate(ref);
    ObjectNode valuesObj = values instanceof ObjectNode o ? o : json.createObjectNode();
    ObjectNode secretsObj = secrets instanceof ObjectNode o ? o.deepCopy() : json.createObjectNode();
    JsonNode secretsSchema = template.path("spec").path("secrets").path("schema");
    validateValues(template.path("spec"), valuesObj, secretsSchema, secretsObj);
    boolean hasSecrets = !secretsObj.isEmpty();
    Caller who = caller == null ? Caller.ANONYMOUS : caller;
    if (who.token() != null) {
      secretsObj.put("backstageToken", who.token());
    }
    ObjectNode spec = taskSpec(template, ref, valuesObj, who);
    String id = UUID.randomUUID().toString();
    Redactor redactor = new Redactor(secretsObj);
    ObjectNode doc = json.createObjectNode();
    doc.put("id", id);
    doc.set("spec", redactor.redact(spec));
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
    execution.submit(id, secretsObj);
    return json.createObjectNode().put("id", id);
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
    store.allDocs().forEach(d -> counts.merge(d.path("status").asText("unknown"), 1L, Long::sum));
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

  /**
   * Runs a template inline without side effects: actions that do not support dry-run are skipped.
   * {@code directoryContents} ({@code [{path, base64Content}]}) are the template's own files.
   * Returns {@code {log, directoryContents, output, steps}}.
   */
  public ObjectNode dryRun(JsonNode template, JsonNode values, JsonNode secrets, JsonNode directoryContents, Caller caller) {
    if (template == null || !TEMPLATE_API_VERSION.equals(template.path("apiVersion").asText())
        || !"Template".equals(template.path("kind").asText()) || !template.path("spec").path("steps").isArray()) {
      throw new InputException("Input template is not a template");
    }
    ObjectNode valuesObj = values instanceof ObjectNode o ? o : json.createObjectNode();
    ObjectNode secretsObj = secrets instanceof ObjectNode o ? o.deepCopy() : json.createObjectNode();
    validateValues(template.path("spec"), valuesObj, template.path("spec").path("secrets").path("schema"), secretsObj);
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
      ObjectNode spec = taskSpec(template, ref, valuesObj, who);
      ((ObjectNode) spec.get("templateInfo")).put("baseUrl", contents.root().resolve("template.yaml").toUri().toString());
      DryRun run = new DryRun("dry-run-" + UUID.randomUUID(), new Redactor(secretsObj).redact(spec), workspace);
      runner.run(run, secretsObj);
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

  /** The most files a dry run's {@code directoryContents} may hold. */
  public static final int MAX_DRY_RUN_FILES = 1000;
  /** The most bytes (decoded) a dry run's {@code directoryContents} may hold together. */
  public static final long MAX_DRY_RUN_BYTES = 8L << 20;

  private record DryRunFile(String path, byte[] content, boolean executable) {}

  /** {@code directoryContents} decoded and checked against the dry-run limits. */
  private static List<DryRunFile> dryRunFiles(JsonNode directoryContents) {
    if (directoryContents == null || directoryContents.isNull() || directoryContents.isMissingNode()) {
      return List.of();
    }
    if (!directoryContents.isArray()) {
      throw new InputException("directoryContents must be an array of {path, base64Content}");
    }
    if (directoryContents.size() > MAX_DRY_RUN_FILES) {
      throw new InputException("directoryContents has " + directoryContents.size() + " files, more than the limit of "
          + MAX_DRY_RUN_FILES);
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
      if (total > MAX_DRY_RUN_BYTES + 2) {
        throw new PayloadTooLargeException("directoryContents is larger than the limit of " + MAX_DRY_RUN_BYTES + " bytes");
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
    if (decoded > MAX_DRY_RUN_BYTES) {
      throw new PayloadTooLargeException("directoryContents is larger than the limit of " + MAX_DRY_RUN_BYTES + " bytes");
    }
    return out;
  }

  // ------------------------------------------------------------------ templating extensions, autocomplete

  public ObjectNode templatingExtensions() {
    return renderer.extensionsDescription();
  }

  /** {@code POST /v2/autocomplete/{provider}/{resource}} → {@code {"results": [...]}}. */
  public ObjectNode autocomplete(String provider, String resource, String token, Map<String, String> context) {
    if (token == null || token.isBlank()) {
      throw new InputException("Missing token");
    }
    AutocompleteProvider p = autocomplete.get(provider);
    if (p == null) {
      throw new InputException("Unsupported provider: " + provider);
    }
    ObjectNode out = json.createObjectNode();
    ArrayNode results = out.putArray("results");
    p.complete(resource, token, context == null ? Map.of() : context).forEach(results::add);
    return out;
  }

  // ------------------------------------------------------------------ internals

  private JsonNode loadTemplate(EntityRef ref) {
    EntityRef canonical = new EntityRef("template", ref.namespace(), ref.name());
    if (!"template".equalsIgnoreCase(ref.kind())) {
      throw new InputException("Invalid kind, only 'Template' kind is supported");
    }
    JsonNode template = catalog.findEntity(canonical)
        .orElseThrow(() -> new NotFoundException("Template " + canonical.canonical() + " not found"));
    String apiVersion = template.path("apiVersion").asText();
    if (!TEMPLATE_API_VERSION.equals(apiVersion)) {
      throw new InputException("Unsupported apiVersion field in schema entity, " + apiVersion);
    }
    return template;
  }

  private List<JsonNode> pages(JsonNode spec) {
    JsonNode params = spec.get("parameters");
    List<JsonNode> out = new ArrayList<>();
    if (params == null || params.isNull()) {
      return out;
    }
    if (params.isArray()) {
      params.forEach(out::add);
    } else {
      out.add(params);
    }
    return out;
  }

  private void validateValues(JsonNode spec, ObjectNode values, JsonNode secretsSchema, ObjectNode secrets) {
    ArrayNode errors = json.createArrayNode();
    for (JsonNode page : pages(spec)) {
      errors.addAll(schemas.validate(page, values, "instance"));
    }
    if (!secretsSchema.isMissingNode() && !secretsSchema.isNull()) {
      errors.addAll(schemas.validate(secretsSchema, secrets, "secrets"));
    }
    if (!errors.isEmpty()) {
      throw new TaskValidationException(new Redactor(secrets).redact(errors));
    }
  }

  private ObjectNode taskSpec(JsonNode template, EntityRef ref, ObjectNode values, Caller caller) {
    JsonNode tspec = template.path("spec");
    ObjectNode spec = json.createObjectNode();
    spec.put("apiVersion", template.path("apiVersion").asText());
    ArrayNode steps = spec.putArray("steps");
    int i = 0;
    for (JsonNode s : tspec.path("steps")) {
      i++;
      ObjectNode step = s.deepCopy();
      if (!step.hasNonNull("id")) {
        step.put("id", "step-" + i);
      }
      if (!step.hasNonNull("name")) {
        step.put("name", step.path("action").asText());
      }
      steps.add(step);
    }
    spec.set("output", tspec.has("output") ? tspec.get("output") : json.createObjectNode());
    spec.set("parameters", values);
    ObjectNode user = spec.putObject("user");
    if (caller.userEntityRef() != null) {
      try {
        catalog.findEntity(EntityRef.parse(caller.userEntityRef(), "user", null)).ifPresent(u -> user.set("entity", u));
      } catch (IllegalArgumentException e) {
        LOG.debug("Caller ref {} is not an entity ref: {}", caller.userEntityRef(), e.getMessage());
      }
      user.put("ref", caller.userEntityRef());
    }
    ObjectNode info = spec.putObject("templateInfo");
    info.put("entityRef", new EntityRef("template", ref.namespace(), ref.name()).canonical());
    String baseUrl = baseUrl(template);
    if (baseUrl != null) {
      info.put("baseUrl", baseUrl);
    }
    info.putObject("entity").set("metadata", template.path("metadata"));
    if (tspec.has("EXPERIMENTAL_recovery")) {
      spec.set("EXPERIMENTAL_recovery", tspec.get("EXPERIMENTAL_recovery"));
    }
    return spec;
  }

  /**
   * Backstage's {@code templateInfo.baseUrl}: the source-location, else the managed-by-location
   * target, as a URL: a {@code url} target as is (the template file's blob URL), a {@code file}
   * target as a {@code file://} URI of that path.
   */
  static String baseUrl(JsonNode template) {
    for (String annotation : List.of("backstage.io/source-location", "backstage.io/managed-by-location")) {
      String value = Entities.annotation(template, annotation);
      if (value == null || value.indexOf(':') < 0) {
        continue;
      }
      String type = value.substring(0, value.indexOf(':'));
      String target = value.substring(value.indexOf(':') + 1);
      try {
        if ("file".equals(type)) {
          String uri = Path.of(target).toUri().toString();
          return target.endsWith("/") && !uri.endsWith("/") ? uri + "/" : uri;
        }
        if ("url".equals(type)) {
          return URI.create(target).toString();
        }
      } catch (RuntimeException e) {
        LOG.debug("Ignoring unusable {} annotation {}: {}", annotation, value, e.getMessage());
      }
      return null;
    }
    return null;
  }

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
      events.add(new TaskEvent(events.size() + 1, id, type, body, store.now(), null));
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
