package org.meshportal.catalog.git;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.meshportal.catalog.processing.CatalogEngine;
import org.meshportal.catalog.processing.RepositoryScanner;
import org.meshportal.catalog.processing.UrlReader;
import org.meshportal.catalog.service.EntityService;
import org.meshportal.catalog.service.ProcessingError;
import org.meshportal.gitsync.ChangeListener;
import org.meshportal.gitsync.ChangeSet;
import org.meshportal.gitsync.CommitReader;
import org.meshportal.gitsync.GitMirrors;
import org.meshportal.gitsync.GitSyncException;
import org.meshportal.gitsync.HostIntegration;
import org.meshportal.gitsync.HostKind;
import org.meshportal.gitsync.Integrations;
import org.meshportal.gitsync.MirrorSpec;
import org.meshportal.gitsync.MirrorStatus;
import org.meshportal.gitsync.PushEvent;
import org.meshportal.gitsync.RepoLocation;
import org.meshportal.gitsync.RepoUrls;
import org.meshportal.gitsync.SyncResult;
import org.meshportal.gitsync.WebhookKind;
import org.meshportal.gitsync.WebhookVerifier;
import org.meshportal.gitsync.jgit.RemoteHeads;
import org.meshportal.model.errors.AuthenticationException;
import org.meshportal.model.errors.ConflictException;
import org.meshportal.model.errors.InputException;
import org.meshportal.model.errors.NotFoundException;

/**
 * Git in the catalog: the mirrors of the configured Git providers (each turned into catalog
 * generations by a {@link GitProvider}), the {@link UrlReader} for {@code url} locations, webhooks,
 * manual syncs, deletion confirmations and status.
 *
 * <p>Start-up: {@link #start()} returns at once; the first sync of every provider runs in the
 * background (the store still serves the last good catalog meanwhile, and the status shows
 * {@code PENDING}). Providers without {@code schedule.frequency} sync once at start and then on
 * webhooks and {@code POST …/sync} only.
 *
 * <p>Two-step construction because the engine needs the URL reader and the providers need the
 * engine: {@link #create}, build the engine with {@link #urlReader()}, then {@link #bind}.
 *
 * <p>Git providers run on one replica only, the leader ({@link #lead}/{@link #follow}): their
 * mirrors exist only while this replica leads, and start from the commit recorded in the catalog
 * store with the generation that applied it, so a new leader neither applies a commit again nor
 * skips one. On the other replicas, webhooks, sync requests and confirmations for providers are
 * handed to the leader ({@link #forwardTo}), and status comes from the store.
 */
public final class GitCatalog implements AutoCloseable {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(GitCatalog.class);
  /** How long a url location's mirror serves one commit before it is fetched again. */
  public static final Duration URL_PIN = Duration.ofSeconds(2);
  private static final int MAX_ERRORS_SHOWN = 100;

  private final GitMirrors mirrors;
  private final Integrations integrations;
  private final List<GitConfig.Integration> integrationConfig;
  private final List<GitProviderConfig> configs;
  private final Clock clock;
  private final Map<String, GitProvider> providers = new ConcurrentHashMap<>();
  private final MirrorUrlReader urlReader;
  /** Whether this replica runs the Git providers now; guarded by this for transitions. */
  private volatile boolean leading;
  /** Hands a provider request ("sync:<id>" or "confirm:<id>:<commit>") to the leader; null: this replica always leads. */
  private volatile java.util.function.Consumer<String> forward;
  private volatile EntityService entities;
  private volatile CatalogEngine engine;
  /** Refreshes url locations after their mirror synced; off the webhook's thread and the engine's lock. */
  private final java.util.concurrent.ExecutorService urlRefreshes =
      java.util.concurrent.Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "url-location-refresh");
        t.setDaemon(true);
        return t;
      });

  private GitCatalog(Path directory, List<GitProviderConfig> configs, List<GitConfig.Integration> integrations,
      Clock clock) {
    this.configs = List.copyOf(configs);
    this.integrationConfig = List.copyOf(integrations);
    this.integrations = new Integrations(integrations.stream().map(GitConfig.Integration::host).toList());
    this.clock = clock;
    this.mirrors = GitMirrors.builder(directory).clock(clock).processedCommits(StoredCommits::new)
        .listener(new ChangeListener() {
      @Override
      public void onChange(ChangeSet change, CommitReader files) throws Exception {
        GitCatalog.this.onChange(change, files);
      }

      @Override
      public void onResume(String repoId, String branch, CommitReader processed) throws Exception {
        GitProvider provider = providers.get(repoId);
        if (provider != null) {
          provider.onResume(processed);
        }
      }
    }).build();
    this.urlReader = new MirrorUrlReader(mirrors, this.integrations, clock, URL_PIN);
  }

  /** Opens the mirror set under {@code directory} (e.g. {@code <dataDir>/git}); nothing is fetched yet. */
  public static GitCatalog create(Path directory, List<GitProviderConfig> providers,
      List<GitConfig.Integration> integrations, Clock clock) {
    return new GitCatalog(directory, providers, integrations, clock);
  }

  public UrlReader urlReader() {
    return urlReader;
  }

  /**
   * The scanner behind {@code POST /analyze-location}: asks the remote for its default branch,
   * brings that branch's mirror up to date and lists the files with the given name in it.
   */
  public RepositoryScanner repositoryScanner() {
    return this::scan;
  }

  private RepositoryScanner.Scan scan(String repositoryUrl, String fileName) {
    String root = repositoryUrl.replaceAll("/+$", "").replaceFirst("\\.git$", "");
    Optional<HostIntegration> integration = integrations.forHost(RepoUrls.host(root));
    if (integration.isEmpty()) {
      return null;
    }
    HostKind kind = integration.get().kind();
    RepoLocation probe;
    try {
      probe = RepoUrls.parse(fileUrl(kind, root, "HEAD", fileName), integrations);
    } catch (IllegalArgumentException e) {
      throw new InputException("The given location.target is not a repository URL: " + e.getMessage());
    }
    String branch;
    try {
      branch = RemoteHeads.defaultBranch(probe.mirrorSpec(integrations)).orElse(null);
    } catch (GitSyncException e) {
      throw unreadable(root, e);
    }
    List<String> segments = List.of(probe.webUrl().replaceFirst("^[a-z]+://[^/]+/", "").split("/"));
    String name = segments.get(segments.size() - 1);
    String owner = String.join("/", segments.subList(0, segments.size() - 1));
    if (branch == null) {
      return new RepositoryScanner.Scan(kind, owner, name, List.of()); // an empty repository
    }
    RepoLocation location = RepoUrls.parse(fileUrl(kind, root, branch, fileName), integrations);
    MirrorSpec spec = mirrors.ensure(location.mirrorSpec(integrations));
    SyncResult result = mirrors.sync(spec.id());
    if (result.outcome() == SyncResult.Outcome.FAILED) {
      throw unreadable(root, result.error() instanceof GitSyncException g ? g
          : new GitSyncException(GitSyncException.Reason.IO, String.valueOf(result.error()), null));
    }
    urlReader.unpin(spec.id()); // the dry runs of the files found read this very commit
    String commit = mirrors.fetchedCommit(spec.id()).orElse(null);
    if (commit == null) {
      return new RepositoryScanner.Scan(kind, owner, name, List.of());
    }
    try (CommitReader reader = mirrors.reader(spec.id(), commit)) {
      List<String> urls = reader.list("**/" + fileName).stream()
          .map(path -> location.resolve("/" + path).blobUrl()).toList();
      return new RepositoryScanner.Scan(kind, owner, name, urls);
    }
  }

  private static String fileUrl(HostKind kind, String root, String branch, String path) {
    return switch (kind) {
      case GITLAB -> root + "/-/blob/" + branch + "/" + path;
      case GITEA -> root + "/src/branch/" + branch + "/" + path;
      case BITBUCKET -> root + "/src/" + branch + "/" + path;
      case GITHUB, FILE -> root + "/blob/" + branch + "/" + path;
    };
  }

  private static RuntimeException unreadable(String url, GitSyncException e) {
    String message = "Could not read repository " + RepoUrls.redact(url) + ": " + RepoUrls.redact(String.valueOf(e.getMessage()));
    return e.reason() == GitSyncException.Reason.REPOSITORY_NOT_FOUND
        ? new NotFoundException(message) : new InputException(message);
  }

  /** Connects the providers to the engine; they run once this replica leads. */
  public void bind(CatalogEngine engine, EntityService entities) {
    this.entities = entities;
    this.engine = engine;
  }

  /** Starts the scheduled fetches of the mirrors that serve url locations. */
  public void start() {
    mirrors.start();
  }

  /**
   * This replica runs the Git providers from now on: each gets fresh processing state and its
   * mirror, which resumes from the commit the store records for it; the first syncs run in the
   * background.
   */
  public synchronized void lead() {
    if (leading) {
      return;
    }
    leading = true;
    engine.catchUp(); // the commits recorded by the last leader
    for (GitProviderConfig c : configs) {
      providers.put(c.id(), new GitProvider(c, engine, integrations, engine.settings().maxFileBytes(), clock));
      mirrors.add(c.mirrorSpec());
    }
    for (GitProviderConfig c : configs) {
      if (c.pollInterval() == null) {
        mirrors.requestSync(c.id());
      }
    }
    LOG.info("Running {} Git provider(s) on this replica", configs.size());
  }

  /**
   * Another replica runs the Git providers now: their mirrors stop here (a sync still running
   * cannot commit: the engine's writes carry the lost lease term).
   */
  public synchronized void follow() {
    if (!leading) {
      return;
    }
    leading = false;
    for (GitProviderConfig c : configs) {
      mirrors.remove(c.id());
      providers.remove(c.id());
    }
    LOG.info("Git providers stopped on this replica: another replica leads");
  }

  /** Makes provider requests that reach this replica while it does not lead go to the leader. */
  public void forwardTo(java.util.function.Consumer<String> sender) {
    this.forward = sender;
  }

  /** A provider request another replica forwarded (see {@link #forwardTo}); ignored unless this replica leads. */
  public void onForwarded(String request) {
    if (!leading) {
      return;
    }
    String[] parts = request.split(":", 3);
    GitProvider p = providers.get(parts.length > 1 ? parts[1] : "");
    if (p == null) {
      return;
    }
    if (parts[0].equals("confirm") && parts.length == 3) {
      p.confirmDeletions(parts[2]);
    }
    mirrors.requestSync(p.config().id());
  }

  /**
   * The processed commit of a provider's mirror is the one the store recorded with the generation
   * that applied it (so it moves with the catalog from leader to leader); url-location mirrors
   * keep theirs in files.
   */
  private final class StoredCommits implements org.meshportal.gitsync.ProcessedCommits {
    private final org.meshportal.gitsync.ProcessedCommits files;

    StoredCommits(org.meshportal.gitsync.ProcessedCommits files) {
      this.files = files;
    }

    @Override
    public Optional<String> load(MirrorSpec spec) {
      GitProviderConfig c = config(spec.id());
      if (c == null) {
        return files.load(spec);
      }
      String source = "provider:" + c.providerId();
      boolean sameBranch = engine.sourceState(source, GitProvider.MIRROR_STATE).map(GitProvider.mirrorKey(spec)::equals)
          .orElse(false);
      return sameBranch ? engine.sourceState(source, GitProvider.COMMIT_STATE) : Optional.empty();
    }

    @Override
    public void save(MirrorSpec spec, String commit) {
      if (config(spec.id()) == null) {
        files.save(spec, commit);
      }
    }
  }

  private GitProviderConfig config(String id) {
    for (GitProviderConfig c : configs) {
      if (c.id().equals(id)) {
        return c;
      }
    }
    return null;
  }

  private void onChange(ChangeSet change, CommitReader files) throws Exception {
    GitProvider provider = providers.get(change.repoId());
    if (provider != null) {
      provider.onChange(change, files);
    }
    // other mirrors serve url locations, which read at their own pace
  }

  // ---------------------------------------------------------------- status and actions

  public List<GitProviderStatus> statuses() {
    List<GitProviderStatus> out = new ArrayList<>();
    configs.forEach(c -> out.add(status(c.id())));
    return out;
  }

  /** @throws NotFoundException for an unknown provider */
  public GitProviderStatus status(String id) {
    GitProviderConfig c = requireConfig(id);
    GitProvider p = providers.get(id);
    if (p == null) {
      return standbyStatus(c);
    }
    MirrorStatus m = mirrors.status(id);
    HeldDeletions h = p.held();
    String state = h != null ? "HELD" : m.state().name();
    GitProviderStatus.Error error = null;
    if (h != null) {
      error = new GitProviderStatus.Error("DELETIONS_HELD", p.lastError(), iso(h.at()));
    } else if (m.lastError() != null) {
      // git-sync names only the exception type of a consumer failure; the provider knows why
      boolean ours = m.lastError().reason() == GitSyncException.Reason.CONSUMER_FAILED && p.lastError() != null;
      error = new GitProviderStatus.Error(m.lastError().reason().name(),
          ours ? p.lastError() : m.lastError().message(), iso(m.lastError().at()));
    }
    return new GitProviderStatus(id, m.url(), m.branch(), state,
        m.processedCommit() != null ? m.processedCommit() : p.appliedCommit(), m.fetchedCommit(),
        iso(m.lastFetchAt()), m.lastFetchDuration() == null ? null : m.lastFetchDuration().toMillis(),
        iso(p.appliedAt()), p.applyMillis() < 0 ? null : p.applyMillis(), p.filesRead() < 0 ? null : p.filesRead(),
        p.entityCount(), m.syncing(), error, errorsOf(p.source()),
        h == null ? null : new GitProviderStatus.Held(h.commit(), h.deletions(), h.entities(), h.sample(), iso(h.at())));
  }

  /** What a replica that does not run the provider knows of it: the store's record of the leader's work. */
  private GitProviderStatus standbyStatus(GitProviderConfig c) {
    String source = "provider:" + c.providerId();
    HeldDeletions h = engine == null ? null
        : engine.sourceState(source, GitProvider.HELD_STATE).map(HeldDeletions::decode).orElse(null);
    String commit = engine == null ? null : engine.sourceState(source, GitProvider.COMMIT_STATE).orElse(null);
    int count = engine == null ? 0 : engine.refsOfSource(source).size();
    GitProviderStatus.Error error = h == null ? null
        : new GitProviderStatus.Error("DELETIONS_HELD", "Commit " + GitProvider.shortId(h.commit()) + " would delete "
            + h.deletions() + " of " + h.entities() + " entities", iso(h.at()));
    return new GitProviderStatus(c.id(), c.mirrorSpec().redactedUrl(), c.branch(), h != null ? "HELD" : "STANDBY",
        commit, null, null, null, null, null, null, count, false, error, errorsOf(source),
        h == null ? null : new GitProviderStatus.Held(h.commit(), h.deletions(), h.entities(), h.sample(), iso(h.at())));
  }

  private List<ProcessingError> errorsOf(String source) {
    EntityService service = entities;
    if (service == null) {
      return List.of();
    }
    return service.processingErrors().stream().filter(e -> source.equals(e.source())).limit(MAX_ERRORS_SHOWN).toList();
  }

  /** Asks for a sync now (bursts coalesce); the future completes with its result. */
  public CompletableFuture<SyncResult> requestSync(String id) {
    requireConfig(id);
    if (!leading) {
      handToLeader("sync:" + id);
      return CompletableFuture.completedFuture(null);
    }
    return mirrors.requestSync(id);
  }

  private void handToLeader(String request) {
    java.util.function.Consumer<String> f = forward;
    if (f != null) {
      f.accept(request);
    }
  }

  /**
   * Confirms the held mass deletion of a provider and syncs so it is applied.
   *
   * @throws ConflictException when nothing is held
   */
  public CompletableFuture<SyncResult> confirmDeletions(String id) {
    GitProviderConfig c = requireConfig(id);
    GitProvider p = providers.get(id);
    if (p == null || !leading) {
      HeldDeletions h = engine.sourceState("provider:" + c.providerId(), GitProvider.HELD_STATE)
          .map(HeldDeletions::decode).orElse(null);
      if (h == null) {
        throw new ConflictException("Git provider " + id + " holds no deletions");
      }
      handToLeader("confirm:" + id + ":" + h.commit());
      return CompletableFuture.completedFuture(null);
    }
    String commit = p.confirmDeletions();
    if (commit == null) {
      throw new ConflictException("Git provider " + id + " holds no deletions");
    }
    return mirrors.requestSync(id);
  }

  /** What a webhook did. @param mirrors the mirrors asked to sync (empty when the event was ignored) */
  public record WebhookResult(String event, List<String> mirrors) {}

  /**
   * Handles a push webhook: verifies it with the secret of a provider or of the host's
   * integration, then asks the matching mirrors to sync at once.
   *
   * @throws AuthenticationException when no configured secret verifies it (nothing else is done)
   * @throws InputException when a verified body is not a push payload
   * @throws NotFoundException when verified but no mirror the secret covers has that repository
   */
  public WebhookResult webhook(Map<String, String> headers, byte[] body) {
    WebhookKind kind = WebhookKind.detect(headers)
        .orElseThrow(() -> new AuthenticationException("Webhook carries no GitHub, GitLab or Gitea signature"));
    List<String> providerScope = new ArrayList<>();
    for (GitProviderConfig c : configs) {
      if (c.webhookSecret() != null && WebhookVerifier.verify(kind, headers, body, c.webhookSecret())) {
        providerScope.add(c.id());
      }
    }
    List<String> hostScope = new ArrayList<>();
    for (GitConfig.Integration i : integrationConfig) {
      if (i.webhookSecret() != null && WebhookVerifier.verify(kind, headers, body, i.webhookSecret())) {
        hostScope.add(i.host().host());
      }
    }
    if (providerScope.isEmpty() && hostScope.isEmpty()) {
      throw new AuthenticationException("Webhook signature does not match any configured webhook secret");
    }
    Optional<PushEvent> push;
    try {
      push = WebhookVerifier.parsePush(kind, headers, body);
    } catch (IllegalArgumentException e) {
      throw new InputException(e.getMessage());
    }
    if (push.isEmpty()) {
      return new WebhookResult("ignored", List.of());
    }
    List<String> ids = new ArrayList<>();
    boolean repositoryKnown = false;
    List<String> keys = push.get().repositoryUrls().stream().map(RepoUrls::repoKey).toList();
    List<MirrorSpec> specs = new ArrayList<>(mirrors.specs());
    if (!leading) {
      configs.forEach(c -> specs.add(c.mirrorSpec())); // run by the leader, asked below
    }
    for (MirrorSpec spec : specs) {
      String host = RepoUrls.host(spec.url());
      boolean inScope = providerScope.contains(spec.id()) || (host != null && hostScope.contains(host));
      if (!inScope || !keys.contains(RepoUrls.repoKey(spec.url()))) {
        continue;
      }
      repositoryKnown = true;
      if (push.get().branchName().map(b -> b.equals(spec.branch())).orElse(true)) {
        ids.add(spec.id());
      }
    }
    if (!repositoryKnown) {
      throw new NotFoundException("No Git provider or location mirrors the pushed repository");
    }
    for (String id : ids) {
      if (config(id) != null) {
        requestSync(id); // here or, on a replica that does not lead, on the leader
        continue;
      }
      CompletableFuture<SyncResult> sync = mirrors.requestSync(id);
      if (!providers.containsKey(id)) {
        // A mirror of url locations: once it has the pushed commit, the locations read from it are re-read.
        sync.thenRunAsync(() -> refreshUrlLocationsOf(id), urlRefreshes);
      }
    }
    return new WebhookResult("push", ids);
  }

  /** Re-reads the url locations a mirror serves, with that mirror's newest fetched commit. */
  private void refreshUrlLocationsOf(String mirrorId) {
    CatalogEngine e = engine;
    if (e == null) {
      return;
    }
    urlReader.unpin(mirrorId);
    try {
      e.refreshUrlLocations(target -> mirrorId.equals(urlReader.mirrorIdOf(target)));
    } catch (RuntimeException ex) {
      LOG.warn("Refreshing the url locations of mirror {} failed: {}", mirrorId, ex.toString());
    }
  }

  /**
   * Re-reads every url location (their mirrors fetch again once their pin has expired): the
   * schedule of {@code catalog.processingInterval}.
   */
  public void refreshUrlLocations() {
    CatalogEngine e = engine;
    if (e != null) {
      e.refreshUrlLocations(target -> true);
    }
  }

  private GitProviderConfig requireConfig(String id) {
    GitProviderConfig c = id == null ? null : config(id);
    if (c == null) {
      throw new NotFoundException("No Git provider with id '" + id + "'");
    }
    return c;
  }

  private static String iso(Instant t) {
    return t == null ? null : t.toString();
  }

  @Override
  public void close() {
    urlRefreshes.shutdown();
    try {
      // a refresh that is running finishes its generation before the index and store close (no
      // interrupt: one reaching Lucene's file I/O closes its channels and fails the index write)
      urlRefreshes.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    mirrors.close();
  }
}
