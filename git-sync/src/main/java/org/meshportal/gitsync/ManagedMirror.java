package org.meshportal.gitsync;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledFuture;
import org.meshportal.gitsync.GitSyncException.Reason;
import org.meshportal.gitsync.MirrorStatus.State;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One mirror's sync loop and state. Requests coalesce: at most one sync runs and one waits; every
 * request made while a sync runs is answered by the single sync that starts after it, which sees
 * every commit pushed before the request.
 */
final class ManagedMirror {

  private static final Logger LOG = LoggerFactory.getLogger(ManagedMirror.class);

  private final GitMirror git;
  private final ProcessedCommits processed;
  private final List<ChangeListener> listeners;
  private final Executor executor;
  private final Clock clock;

  // Guarded by this.
  private CompletableFuture<SyncResult> running;
  private CompletableFuture<SyncResult> pending;
  private boolean closed;
  private ScheduledFuture<?> schedule;
  private State state = State.PENDING;
  private String processedCommit;
  private String fetchedCommit;
  private Instant lastFetchAt;
  private Duration lastFetchDuration;
  private Instant lastSuccessAt;
  private Instant lastChangeAt;
  private MirrorStatus.Error lastError;
  private long syncCount;
  /** Touched by the sync thread only: whether the listeners had their {@link ChangeListener#onResume} call. */
  private boolean resumed;

  ManagedMirror(GitMirror git, ProcessedCommits processed, List<ChangeListener> listeners,
      Executor executor, Clock clock) {
    this.git = git;
    this.processed = processed;
    this.listeners = List.copyOf(listeners);
    this.executor = executor;
    this.clock = clock;
    this.processedCommit = processed.load(git.spec()).orElse(null);
  }

  MirrorSpec spec() {
    return git.spec();
  }

  GitMirror git() {
    return git;
  }

  synchronized CompletableFuture<SyncResult> request() {
    if (closed) {
      return CompletableFuture.failedFuture(
          new IllegalStateException("mirror " + spec().id() + " is closed"));
    }
    if (running == null) {
      running = new CompletableFuture<>();
      CompletableFuture<SyncResult> result = running;
      start();
      return result;
    }
    if (pending == null) {
      pending = new CompletableFuture<>();
    }
    return pending;
  }

  private void start() {
    try {
      executor.execute(this::runOnce);
    } catch (RuntimeException rejected) {
      CompletableFuture<SyncResult> r = running;
      running = null;
      r.completeExceptionally(rejected);
    }
  }

  private void runOnce() {
    CompletableFuture<SyncResult> current;
    synchronized (this) {
      current = running;
    }
    SyncResult result;
    try {
      result = syncNow();
    } catch (RuntimeException | Error e) {
      LOG.error("sync of mirror {} failed unexpectedly", spec().id(), e);
      result = new SyncResult(spec().id(), SyncResult.Outcome.FAILED, null,
          e instanceof Exception ex ? ex : new RuntimeException(e), 0);
    }
    synchronized (this) {
      running = pending;
      pending = null;
      if (running != null) {
        if (closed) {
          running.completeExceptionally(
              new IllegalStateException("mirror " + spec().id() + " is closed"));
          running = null;
        } else {
          start();
        }
      }
      notifyAll();
    }
    current.complete(result);
  }

  private SyncResult syncNow() {
    if (!resumed) {
      resumed = true;
      resume();
    }
    String id = spec().id();
    Instant start = clock.instant();
    long t0 = System.nanoTime();
    synchronized (this) {
      syncCount++;
      lastFetchAt = start;
    }
    Optional<String> head;
    try {
      head = git.fetch();
    } catch (GitSyncException e) {
      LOG.warn("fetch of mirror {} failed: {}", id, e.getMessage());
      fail(e.reason(), e.getMessage(), start);
      return new SyncResult(id, SyncResult.Outcome.FAILED, null, e, 0);
    }
    long t1 = System.nanoTime();
    String from;
    synchronized (this) {
      lastFetchDuration = Duration.between(start, clock.instant());
      from = processedCommit;
    }
    if (head.isEmpty()) {
      if (from != null) {
        // We had commits and the remote now has no branch at all: treat like a deleted branch.
        GitSyncException e = new GitSyncException(Reason.BRANCH_NOT_FOUND,
            "branch '" + spec().branch() + "' not found at " + spec().redactedUrl());
        fail(e.reason(), e.getMessage(), start);
        return new SyncResult(id, SyncResult.Outcome.FAILED, null, e, 0);
      }
      synchronized (this) {
        state = State.EMPTY;
        lastSuccessAt = start;
        lastError = null;
      }
      return new SyncResult(id, SyncResult.Outcome.EMPTY, null, null, 0);
    }
    String to = head.get();
    synchronized (this) {
      fetchedCommit = to;
      lastSuccessAt = start;
    }
    if (to.equals(from)) {
      synchronized (this) {
        state = State.OK;
        lastError = null;
      }
      return new SyncResult(id, SyncResult.Outcome.UNCHANGED, null, null, 0);
    }
    ChangeSet change;
    long objectsRead;
    long t2;
    long t3;
    try (CommitReader files = git.reader(to)) {
      if (from == null || !git.isAncestor(from, to)) {
        change = new ChangeSet(id, spec().branch(), from, to, true,
            files.list("**").stream().map(FileChange::added).toList());
        objectsRead = 0;
      } else {
        GitMirror.Diff diff = git.diff(from, to);
        change = new ChangeSet(id, spec().branch(), from, to, false, diff.changes());
        objectsRead = diff.objectsRead();
      }
      t2 = System.nanoTime();
      for (ChangeListener listener : listeners) {
        listener.onChange(change, files);
      }
      t3 = System.nanoTime();
    } catch (GitSyncException e) {
      LOG.warn("reading mirror {} failed: {}", id, e.getMessage());
      fail(e.reason(), e.getMessage(), start);
      return new SyncResult(id, SyncResult.Outcome.FAILED, null, e, 0);
    } catch (Exception e) {
      // The consumer's failure: keep the processed commit so the next sync delivers again.
      LOG.warn("listener rejected change set {}..{} of mirror {}", from, to, id, e);
      fail(Reason.CONSUMER_FAILED, "processing of commit " + to + " failed: "
          + e.getClass().getSimpleName(), start);
      return new SyncResult(id, SyncResult.Outcome.REJECTED, null, e, 0);
    }
    processed.save(spec(), to);
    synchronized (this) {
      processedCommit = to;
      lastChangeAt = clock.instant();
      state = State.OK;
      lastError = null;
    }
    long t4 = System.nanoTime();
    LOG.info("mirror {} processed {}{} ({} change(s)); fetch {} ms, diff {} ms, listeners {} ms, save {} ms", id, to,
        change.fullResync() ? " as full resync" : "", change.changes().size(), (t1 - t0) / 1_000_000,
        (t2 - t1) / 1_000_000, (t3 - t2) / 1_000_000, (t4 - t3) / 1_000_000);
    return new SyncResult(id, SyncResult.Outcome.CHANGED, change, null, objectsRead);
  }

  private void resume() {
    String commit;
    synchronized (this) {
      commit = processedCommit;
    }
    if (commit == null) {
      return;
    }
    long t0 = System.nanoTime();
    try (CommitReader files = git.hasCommit(commit) ? git.reader(commit) : null) {
      if (files == null) {
        return;
      }
      for (ChangeListener listener : listeners) {
        listener.onResume(spec().id(), spec().branch(), files);
      }
      LOG.info("mirror {} resumed at {} in {} ms", spec().id(), commit, (System.nanoTime() - t0) / 1_000_000);
    } catch (Exception e) {
      // the listener then handles the next change set as it would without the resume
      LOG.warn("listener could not resume mirror {} at {}", spec().id(), commit, e);
    }
  }

  private synchronized void fail(Reason reason, String message, Instant start) {
    state = State.ERROR;
    lastError = new MirrorStatus.Error(reason, message, start);
    lastFetchDuration = Duration.between(start, clock.instant());
  }

  synchronized MirrorStatus status() {
    return new MirrorStatus(spec().id(), spec().redactedUrl(), spec().branch(), state,
        processedCommit, fetchedCommit, lastFetchAt, lastFetchDuration, lastSuccessAt,
        lastChangeAt, lastError, running != null, syncCount);
  }

  synchronized Optional<String> processedCommit() {
    return Optional.ofNullable(processedCommit);
  }

  synchronized Optional<String> fetchedCommit() {
    return Optional.ofNullable(fetchedCommit);
  }

  synchronized void schedule(ScheduledFuture<?> future) {
    if (schedule != null) {
      schedule.cancel(false);
    }
    schedule = future;
  }

  /** Stops scheduling, fails the waiting request, waits up to {@code max} for a running one. */
  void close(Duration max) {
    List<CompletableFuture<SyncResult>> toFail = new ArrayList<>();
    synchronized (this) {
      closed = true;
      if (schedule != null) {
        schedule.cancel(false);
      }
      if (pending != null) {
        toFail.add(pending);
        pending = null;
      }
      long deadline = System.nanoTime() + max.toNanos();
      while (running != null) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          LOG.warn("mirror {} still syncing at close", spec().id());
          break;
        }
        try {
          wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
      }
    }
    toFail.forEach(f -> f.completeExceptionally(
        new IllegalStateException("mirror " + spec().id() + " is closed")));
    git.close();
  }
}
