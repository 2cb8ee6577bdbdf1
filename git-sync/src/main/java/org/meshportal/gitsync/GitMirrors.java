package org.meshportal.gitsync;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import org.meshportal.gitsync.jgit.JGitMirrors;

/**
 * Owns the bare mirrors under one directory, fetches them on a schedule and on request, and hands
 * each new commit's {@link ChangeSet} to the listeners.
 *
 * <p>Thread-safe. Syncs and listener calls run on git-sync's executor, one at a time per mirror.
 * The processed commit of a mirror is persisted next to it and only advances when every listener
 * accepted the change set, so a restart or a failing consumer catches up on the next sync.
 *
 * <pre>{@code
 * try (GitMirrors mirrors = GitMirrors.builder(dataDir.resolve("git"))
 *     .listener((change, files) -> catalog.apply(change, files))
 *     .build()) {
 *   mirrors.add(new MirrorSpec("mesh", "https://github.com/org/mesh.git", "main",
 *       GitCredentials.token(token), Duration.ofSeconds(60)));
 *   mirrors.start();                 // scheduled fetches
 *   mirrors.requestSync("mesh");     // e.g. from a webhook; bursts coalesce
 * }
 * }</pre>
 */
public final class GitMirrors implements AutoCloseable {

  private static final Duration CLOSE_WAIT = Duration.ofSeconds(30);

  private final Path directory;
  private final Clock clock;
  private final ScheduledExecutorService scheduler;
  private final ExecutorService executor;
  private final boolean ownsScheduler;
  private final boolean ownsExecutor;
  private final List<ChangeListener> listeners;
  private final BiFunction<Path, MirrorSpec, GitMirror> opener;
  private final ProcessedCommits processed;

  // Guarded by this.
  private final Map<String, ManagedMirror> mirrors = new LinkedHashMap<>();
  private boolean started;
  private boolean closed;

  private GitMirrors(Builder b) {
    this.directory = b.directory;
    this.clock = b.clock;
    this.ownsScheduler = b.scheduler == null;
    this.scheduler = ownsScheduler ? Executors.newSingleThreadScheduledExecutor(
        Thread.ofPlatform().name("git-sync-scheduler").daemon().factory()) : b.scheduler;
    this.ownsExecutor = b.executor == null;
    this.executor = ownsExecutor
        ? Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("git-sync-", 0).factory())
        : b.executor;
    this.listeners = List.copyOf(b.listeners);
    this.opener = b.opener;
    this.processed = b.processed != null ? b.processed : new FileProcessedCommits(directory);
  }

  /** Starts building a set of mirrors kept under {@code directory}. */
  public static Builder builder(Path directory) {
    return new Builder(directory);
  }

  /**
   * Adds a mirror (opening or creating its bare repository; nothing is fetched yet). A mirror with
   * the same id and an equal spec is left as it is; a changed spec replaces it.
   */
  public void add(MirrorSpec spec) {
    ManagedMirror old;
    ManagedMirror added;
    synchronized (this) {
      requireOpen();
      old = mirrors.get(spec.id());
      if (old != null && old.spec().equals(spec)) {
        return;
      }
      GitMirror git = opener.apply(directory.resolve(spec.id() + ".git"), spec);
      added = new ManagedMirror(git, processed, listeners, executor, clock);
      mirrors.put(spec.id(), added);
      if (started) {
        scheduleIfWanted(added);
      }
    }
    if (old != null) {
      old.close(CLOSE_WAIT);
    }
  }

  /** Adds the mirror if no mirror has its id yet; returns the spec in use. */
  public synchronized MirrorSpec ensure(MirrorSpec spec) {
    ManagedMirror existing = mirrors.get(spec.id());
    if (existing != null) {
      return existing.spec();
    }
    add(spec);
    return spec;
  }

  /** Removes a mirror from the set; its directory and processed commit stay on disk. */
  public void remove(String id) {
    ManagedMirror m;
    synchronized (this) {
      m = mirrors.remove(id);
    }
    if (m != null) {
      m.close(CLOSE_WAIT);
    }
  }

  /** Starts the scheduled fetches of every mirror with a poll interval, the first one at once. */
  public synchronized void start() {
    requireOpen();
    if (started) {
      throw new IllegalStateException("git mirrors already started");
    }
    started = true;
    mirrors.values().forEach(this::scheduleIfWanted);
  }

  private void scheduleIfWanted(ManagedMirror m) {
    m.spec().schedule().ifPresent(every -> m.schedule(scheduler.scheduleWithFixedDelay(
        m::request, 0, every.toMillis(), TimeUnit.MILLISECONDS)));
  }

  /**
   * Asks for a sync soon. Calls made while a sync of this mirror runs share one follow-up sync,
   * so a burst costs at most two fetches.
   *
   * @return completes with the result of the sync that covers this request
   * @throws IllegalArgumentException for an unknown id
   */
  public CompletableFuture<SyncResult> requestSync(String id) {
    return mirror(id).request();
  }

  /** Syncs now (or joins the sync that is running or queued) and waits for the result. */
  public SyncResult sync(String id) {
    try {
      return requestSync(id).join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException re) {
        throw re;
      }
      throw e;
    }
  }

  /**
   * Requests a sync of every mirror of the pushed repository and branch.
   *
   * @return the ids of the mirrors asked to sync; empty when no mirror has that repository
   */
  public List<String> requestSync(PushEvent push) {
    List<String> ids = mirrorsOf(push);
    ids.forEach(this::requestSync);
    return ids;
  }

  /**
   * Ids of the mirrors of the pushed repository (matched by {@link RepoUrls#repoKey}) whose branch
   * is the pushed one; all of them when the push names no branch.
   */
  public synchronized List<String> mirrorsOf(PushEvent push) {
    List<String> keys = push.repositoryUrls().stream().map(RepoUrls::repoKey).toList();
    List<String> ids = new ArrayList<>();
    for (ManagedMirror m : mirrors.values()) {
      boolean repo = keys.contains(RepoUrls.repoKey(m.spec().url()));
      boolean branch = push.branchName().map(b -> b.equals(m.spec().branch())).orElse(true);
      if (repo && branch) {
        ids.add(m.spec().id());
      }
    }
    return ids;
  }

  /** Whether any mirror has this repository, whatever its branch (for 404 vs 202 on webhooks). */
  public synchronized boolean knowsRepository(PushEvent push) {
    List<String> keys = push.repositoryUrls().stream().map(RepoUrls::repoKey).toList();
    return mirrors.values().stream()
        .anyMatch(m -> keys.contains(RepoUrls.repoKey(m.spec().url())));
  }

  /** Reads files of a commit of a mirror; the caller closes the reader. */
  public CommitReader reader(String id, String commit) {
    return mirror(id).git().reader(commit);
  }

  /** The last commit the listeners accepted. */
  public Optional<String> processedCommit(String id) {
    return mirror(id).processedCommit();
  }

  /** The branch head after the last successful fetch (whether or not processed yet). */
  public Optional<String> fetchedCommit(String id) {
    return mirror(id).fetchedCommit();
  }

  public MirrorStatus status(String id) {
    return mirror(id).status();
  }

  /** Status of every mirror, sorted by id. */
  public synchronized List<MirrorStatus> statuses() {
    return mirrors.values().stream().map(ManagedMirror::status)
        .sorted(Comparator.comparing(MirrorStatus::id)).toList();
  }

  public synchronized List<MirrorSpec> specs() {
    return mirrors.values().stream().map(ManagedMirror::spec).toList();
  }

  private synchronized ManagedMirror mirror(String id) {
    ManagedMirror m = mirrors.get(id);
    if (m == null) {
      throw new IllegalArgumentException("no git mirror with id '" + id + "'");
    }
    return m;
  }

  private void requireOpen() {
    if (closed) {
      throw new IllegalStateException("git mirrors are closed");
    }
  }

  /** Stops scheduling, waits for running syncs, closes every mirror. Idempotent. */
  @Override
  public void close() {
    List<ManagedMirror> all;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      all = new ArrayList<>(mirrors.values());
      mirrors.clear();
    }
    if (ownsScheduler) {
      scheduler.shutdownNow();
    }
    all.forEach(m -> m.close(CLOSE_WAIT));
    if (ownsExecutor) {
      executor.shutdown();
    }
  }

  /** Configures {@link GitMirrors}; every part has a default except the directory. */
  public static final class Builder {
    private final Path directory;
    private Clock clock = Clock.systemUTC();
    private ScheduledExecutorService scheduler;
    private ExecutorService executor;
    private final List<ChangeListener> listeners = new ArrayList<>();
    private BiFunction<Path, MirrorSpec, GitMirror> opener = JGitMirrors::open;
    private ProcessedCommits processed;

    private Builder(Path directory) {
      this.directory = Objects.requireNonNull(directory, "directory");
    }

    /** Time source for status times and durations. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock);
      return this;
    }

    /** Timer for scheduled fetches; not shut down by {@link #close()} when given. */
    public Builder scheduler(ScheduledExecutorService scheduler) {
      this.scheduler = Objects.requireNonNull(scheduler);
      return this;
    }

    /**
     * Runs fetches and listener calls; not shut down by {@link #close()} when given. Default:
     * a virtual thread per sync.
     */
    public Builder executor(ExecutorService executor) {
      this.executor = Objects.requireNonNull(executor);
      return this;
    }

    /** Adds a listener; listeners are called in the order added. */
    public Builder listener(ChangeListener listener) {
      listeners.add(Objects.requireNonNull(listener));
      return this;
    }

    /** Replaces the Git implementation (default JGit). */
    public Builder opener(BiFunction<Path, MirrorSpec, GitMirror> opener) {
      this.opener = Objects.requireNonNull(opener);
      return this;
    }

    /**
     * Where processed commits are kept (default: a file per mirror in the directory); {@code
     * fallback} is that default, for stores that keep only some mirrors' commits themselves.
     */
    public Builder processedCommits(java.util.function.Function<ProcessedCommits, ProcessedCommits> store) {
      this.processed = Objects.requireNonNull(store).apply(new FileProcessedCommits(directory));
      return this;
    }

    public GitMirrors build() {
      return new GitMirrors(this);
    }
  }
}
