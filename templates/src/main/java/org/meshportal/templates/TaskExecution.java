package org.meshportal.templates;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.meshportal.templates.action.Workspace;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lifecycle of durable tasks in this process: claiming, running, recovering and, on a
 * {@linkplain TaskStore#shared() shared} store, heartbeats and takeover. A task runs where it is
 * claimed; the claim is renewed every {@code heartbeat}, and a claim whose heartbeat is older than
 * {@code takeover} is taken over by whichever process's loop sees it first. The same loop carries
 * cancel requests made on other processes to the task's runner. Thread-safe.
 */
final class TaskExecution implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TaskExecution.class);

  private final TaskStore store;
  private final TaskRunner runner;
  private final ExecutorService executor;
  private final ObjectMapper json;
  private final int maxWorkspaceFiles;
  private final long maxWorkspaceBytes;
  private final Duration heartbeat;
  private final Duration takeover;
  /** This process's name in claims: new per engine, so a restarted process takes its old tasks over like any other. */
  private final String owner = UUID.randomUUID().toString();
  private final Map<String, TaskSignal> running = new ConcurrentHashMap<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final CountDownLatch stop = new CountDownLatch(1);
  /** Notified whenever a worker ends. */
  private final Object idle = new Object();
  /** How long a close waits for workers to stop before leaving their tasks to the takeover timeout. */
  static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

  TaskExecution(TaskStore store, TaskRunner runner, ExecutorService executor, ObjectMapper json, int maxWorkspaceFiles,
      long maxWorkspaceBytes, Duration heartbeat, Duration takeover) {
    this.store = store;
    this.runner = runner;
    this.executor = executor;
    this.json = json;
    this.maxWorkspaceFiles = maxWorkspaceFiles;
    this.maxWorkspaceBytes = maxWorkspaceBytes;
    this.heartbeat = heartbeat;
    this.takeover = takeover;
  }

  String owner() {
    return owner;
  }

  /**
   * Embedded store: picks up the tasks a previous process left. Shared store: starts the loop that
   * heartbeats this process's tasks and takes over stale ones (its first round runs at once).
   */
  void start() {
    if (!store.shared()) {
      for (ObjectNode doc : store.allDocs()) {
        recover(doc, false);
      }
      return;
    }
    Thread.ofPlatform().daemon().name("scaffolder-heartbeat-" + owner.substring(0, 8)).start(() -> {
      do {
        try {
          beat();
          takeOver();
        } catch (RuntimeException e) {
          // The database may be briefly unreachable; the next round tries again.
          LOG.warn("Scaffolder heartbeat round failed: {}", e.toString());
        }
      } while (!awaitStop(heartbeat));
    });
  }

  private boolean awaitStop(Duration max) {
    try {
      return stop.await(max.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return true;
    }
  }

  /** Renews this process's claims; passes on cancel requests; stops tasks whose claim was lost. */
  private void beat() {
    for (Map.Entry<String, TaskSignal> e : running.entrySet()) {
      var doc = store.heartbeat(e.getKey(), owner);
      if (doc.isEmpty()) {
        // Another process took it over (this one stalled longer than the takeover timeout).
        LOG.warn("Task {} was taken over by another replica; stopping it here", e.getKey());
        e.getValue().shutdown();
      } else if (doc.get().path("cancelRequested").asBoolean(false)) {
        e.getValue().cancel();
      }
    }
  }

  private void takeOver() {
    for (String id : store.claimable(takeover)) {
      if (closed.get()) {
        return;
      }
      if (!running.containsKey(id) && store.claim(id, owner, takeover)) {
        LOG.info("Took over task {} whose replica stopped heartbeating", id);
        recover(store.doc(id), true);
      }
    }
  }

  /**
   * Open tasks are queued; processing ones resume at their first unfinished step, unless they had
   * secrets (never stored): those are failed with a {@code recovered} event.
   */
  private void recover(ObjectNode doc, boolean takenOver) {
    String id = doc.get("id").asText();
    String status = doc.path("status").asText();
    String why = takenOver ? "its replica stopped" : "a restart";
    String interrupted = takenOver ? "Task was interrupted because its replica stopped" : "Task was interrupted by a restart";
    boolean secretsLost = doc.path("hasSecrets").asBoolean(false);
    // After a restart an open task is queued as before; one taken over from another replica
    // would run without the secrets its creator held, so it fails like a processing one.
    if ("open".equals(status) && !(takenOver && secretsLost)) {
      submit(id, json.createObjectNode());
    } else if ("processing".equals(status) || "open".equals(status)) {
      if (secretsLost) {
        store.appendClaimed(id, owner, "recovered", json.createObjectNode().put("recoverStrategy", "none")
            .put("message", interrupted + " and cannot resume because its secrets are not stored"),
            null);
        ObjectNode body = json.createObjectNode().put("message", "Run completed with status: failed");
        body.putObject("error").put("name", "Error")
            .put("message", interrupted + "; retry it to run it again");
        store.updateClaimed(id, owner, d -> d.put("status", "failed").remove("currentStep"));
        TaskRunner.deleteQuietly(store.workspaceDir(id));
        store.deleteWorkspaceArchive(id);
        store.appendClaimed(id, owner, "completion", body, recoverable(doc));
        store.release(id, owner);
      } else {
        if (takenOver) {
          restoreWorkspace(id);
        }
        store.appendClaimed(id, owner, "log", json.createObjectNode()
            .put("message", "Resuming task after " + why + " at its first unfinished step"), null);
        submit(id, json.createObjectNode());
      }
    }
  }

  /** The workspace as it was after the last finished step, from the store (this disk may never have seen it). */
  private void restoreWorkspace(String id) {
    TaskRunner.deleteQuietly(store.workspaceDir(id));
    Workspace ws = new Workspace(store.workspaceDir(id), maxWorkspaceFiles, maxWorkspaceBytes);
    store.workspaceArchive(id).ifPresent(archive -> WorkspaceArchive.extract(archive, ws));
  }

  /** Claims a task for this process (retry); false if another process holds it. */
  boolean claim(String id) {
    return store.claim(id, owner, takeover);
  }

  /** Tells the local runner of a task, if any, that it was cancelled. */
  void cancelled(String id) {
    TaskSignal signal = running.get(id);
    if (signal != null) {
      signal.cancel();
    }
  }

  /** Runs a task this process has claimed, with the secrets of the request that created it. */
  void submit(String taskId, ObjectNode secrets) {
    submit(taskId, secrets, null);
  }

  /**
   * @param spec the task's spec as created, before its stored copy was masked; null to run the
   *     stored spec (retry, resume)
   */
  void submit(String taskId, ObjectNode secrets, ObjectNode spec) {
    if (closed.get()) {
      return; // picked up by the next start, or by another replica
    }
    TaskSignal signal = new TaskSignal();
    running.put(taskId, signal);
    executor.execute(() -> {
      try {
        ObjectNode doc = store.doc(taskId);
        if (doc.path("cancelRequested").asBoolean(false)) {
          signal.cancel();
        }
        store.updateClaimed(taskId, owner, d -> d.put("status", "processing").put("lastHeartbeatAt", store.now()));
        runner.run(new Durable(taskId, signal, spec), secrets);
      } catch (TaskRunner.ShutdownException e) {
        LOG.info("Task {} left for resumption: engine closed", taskId);
      } catch (ClaimLostException e) {
        LOG.warn("Task {} stopped here: {}", taskId, e.getMessage());
      } catch (RuntimeException e) {
        if (signal.isShutdown()) {
          LOG.info("Task {} left for resumption: {}", taskId, e.toString());
          return;
        }
        LOG.error("Task {} crashed", taskId, e);
        ObjectNode body = json.createObjectNode().put("message", "Run completed with status: failed");
        body.putObject("error").put("name", "Error").put("message", new Redactor(secrets).redact(String.valueOf(e.getMessage())));
        try {
          store.updateClaimed(taskId, owner, d -> d.put("status", "failed"));
          TaskRunner.deleteQuietly(store.workspaceDir(taskId));
          store.deleteWorkspaceArchive(taskId);
          store.appendClaimed(taskId, owner, "completion", body, null);
          store.release(taskId, owner);
        } catch (ClaimLostException lost) {
          LOG.warn("Task {} stopped here: {}", taskId, lost.getMessage());
        }
      } finally {
        running.remove(taskId, signal);
        if (closed.get() && signal.isShutdown() && store.shared()) {
          // Stopped by close: another replica may resume it now instead of after the takeover timeout.
          try {
            store.release(taskId, owner);
          } catch (RuntimeException e) {
            LOG.warn("Task {} keeps its claim until the takeover timeout: {}", taskId, e.toString());
          }
        }
        synchronized (idle) {
          idle.notifyAll();
        }
      }
    });
  }

  /**
   * Stops workers and the heartbeat without finishing their tasks: they resume on a next start or
   * another replica. On a shared store, waits (up to {@link #CLOSE_WAIT}) for the workers to stop
   * so that their claims are given up and other replicas resume the tasks at once; a worker still
   * busy then keeps its claim until the takeover timeout.
   */
  @Override
  public void close() {
    if (closed.compareAndSet(false, true)) {
      stop.countDown();
      running.values().forEach(TaskSignal::shutdown);
      if (store.shared()) {
        awaitIdle(CLOSE_WAIT);
      }
    }
  }

  private void awaitIdle(Duration max) {
    long deadline = System.nanoTime() + max.toNanos();
    synchronized (idle) {
      long left;
      while (!running.isEmpty() && (left = deadline - System.nanoTime()) > 0) {
        try {
          idle.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }

  static Boolean recoverable(JsonNode doc) {
    return "startOver".equals(doc.path("spec").path("EXPERIMENTAL_recovery").path("EXPERIMENTAL_strategy").asText())
        ? Boolean.TRUE : null;
  }

  /** A task persisted in the store. */
  private final class Durable implements RunTarget {
    private final String id;
    private final TaskSignal signal;
    private final ObjectNode doc;
    private final ObjectNode spec;
    private final Workspace workspace;

    Durable(String id, TaskSignal signal, ObjectNode spec) {
      this.id = id;
      this.signal = signal;
      this.doc = store.doc(id);
      this.spec = spec != null ? spec : (ObjectNode) doc.get("spec");
      this.workspace = new Workspace(store.workspaceDir(id), maxWorkspaceFiles, maxWorkspaceBytes);
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
      return false;
    }

    @Override public ObjectNode stepOutputs() {
      return doc.with("stepOutputs");
    }

    @Override public Set<String> finishedSteps() {
      Set<String> out = new HashSet<>();
      doc.withArray("finishedSteps").forEach(n -> out.add(n.asText()));
      return out;
    }

    @Override public boolean failedBefore() {
      return doc.path("failedBefore").asBoolean(false);
    }

    @Override public void event(String type, ObjectNode body) {
      store.appendClaimed(id, owner, type, body, null);
    }

    @Override public void stepStarted(String stepId) {
      store.updateClaimed(id, owner, d -> d.put("currentStep", stepId).put("lastHeartbeatAt", store.now()));
    }

    @Override public void stepFinished(String stepId, ObjectNode output, boolean failed) {
      // Tasks with secrets are never resumed, and their files may hold rendered secrets: not copied.
      if (store.shared() && !doc.path("hasSecrets").asBoolean(false)) {
        // Saved before the step counts as finished: a takeover never resumes after a step without its files.
        store.saveWorkspaceArchive(id, owner, WorkspaceArchive.create(workspace));
      }
      store.updateClaimed(id, owner, d -> {
        d.with("stepOutputs").set(stepId, output);
        d.withArray("finishedSteps").add(stepId);
        if (failed) {
          d.put("failedBefore", true);
        }
        d.put("lastHeartbeatAt", store.now());
      });
    }

    @Override public void complete(String status, ObjectNode completionBody) {
      store.updateClaimed(id, owner, d -> d.put("status", status).remove("currentStep"));
      // As Backstage does: a finished task's files go (they may hold rendered secrets); retry starts
      // afresh. Before the completion event, so whoever sees it sees the workspace gone.
      TaskRunner.deleteQuietly(workspace.root());
      store.deleteWorkspaceArchive(id);
      store.appendClaimed(id, owner, "completion", completionBody, recoverable(doc));
      store.release(id, owner);
    }

    @Override public TaskSignal signal() {
      return signal;
    }
  }
}
