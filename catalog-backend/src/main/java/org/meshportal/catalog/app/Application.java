package org.meshportal.catalog.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.meshportal.catalog.access.AccessPolicy;
import org.meshportal.catalog.audit.AuditLog;
import org.meshportal.catalog.permission.PermissionSettings;
import org.meshportal.catalog.permission.Permissions;
import org.meshportal.catalog.permission.ScaffolderPermissions;
import org.meshportal.catalog.config.AppConfig;
import org.meshportal.catalog.metrics.PortalMetrics;
import org.meshportal.catalog.config.ConfigException;
import org.meshportal.catalog.config.ConfigLoader;
import org.meshportal.catalog.git.GitCatalog;
import org.meshportal.catalog.git.GitProviderConfig;
import org.meshportal.catalog.http.GitSyncHttp;
import org.meshportal.catalog.http.HttpServer;
import org.meshportal.catalog.http.ScaffolderHttp;
import org.meshportal.catalog.processing.CatalogEngine;
import org.meshportal.catalog.processing.CatalogEntityService;
import org.meshportal.catalog.processing.CatalogLocationService;
import org.meshportal.catalog.processing.ConfigLocation;
import org.meshportal.catalog.scaffolder.CatalogTemplateFiles;
import org.meshportal.catalog.scaffolder.GitSyncPublisher;
import org.meshportal.catalog.scaffolder.forge.ForgeActions;
import org.meshportal.catalog.scaffolder.forge.ForgeHosts;
import org.meshportal.catalog.scaffolder.IndexTemplateCatalog;
import org.meshportal.catalog.store.CatalogStore;
import org.meshportal.catalog.store.DatabaseSettings;
import org.meshportal.catalog.store.H2CatalogStore;
import org.meshportal.catalog.store.PostgresDatabase;
import org.meshportal.catalog.store.PostgresNotifications;
import org.meshportal.catalog.replicas.ChangeFollower;
import org.meshportal.catalog.replicas.Leadership;
import org.meshportal.catalog.auth.PendingSignIns;
import org.meshportal.catalog.auth.PublicKeyStore;
import org.meshportal.indexer.EntityIndex;
import org.meshportal.gitsync.GitCredentials;
import org.meshportal.gitsync.GitPublishing;
import org.meshportal.gitsync.Integrations;
import org.meshportal.indexer.lucene.LuceneEntityIndex;
import org.meshportal.templates.ScaffolderService;
import org.meshportal.templates.TaskStore;
import org.meshportal.templates.builtin.MeshRepoSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The composition root: reads the configuration once, builds every component with its typed
 * settings, starts them in order and closes them in reverse. Nothing else wires components.
 */
public final class Application implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Application.class);
  private static final String DEFAULTS = """
      backend:
        listen:
          port: 7007
          host: 127.0.0.1
        dataDir: ./data
      """;
  /** The demo layer: the guest owns what its teams own, and curl works without a token. */
  private static final String DEMO = """
      auth:
        providers:
          guest:
            userEntityRef: user:default/guest
            ownershipEntityRefs: [user:default/guest, group:default/team-petstore, group:default/team-orders]
      backend:
        auth:
          dangerouslyDisableDefaultAuthPolicy: true
      """;

  /** The demo mesh repository is local, so a short poll shows template commits within seconds. */
  private static final java.time.Duration DEMO_POLL_INTERVAL = java.time.Duration.ofSeconds(3);

  private final Deque<AutoCloseable> resources = new ArrayDeque<>();
  private final HttpServer http;

  private Application(List<Path> configFiles, boolean demo, Path demoDir, Function<String, String> env) {
    List<ConfigLoader.Source> sources = new ArrayList<>();
    sources.add(new ConfigLoader.Source("built-in defaults", DEFAULTS));
    if (demo) {
      sources.add(new ConfigLoader.Source("built-in demo config", DEMO));
    }
    configFiles.forEach(f -> sources.add(ConfigLoader.Source.of(f)));
    AppConfig config = new ConfigLoader(env).load(sources);
    Settings settings = new Settings(config);

    // Whatever was started before a failure is closed again, so a failed start exits.
    try {
      Path dataDir = settings.dataDir();
      Path demoHome = demoDir != null ? ensureDirectory(demoDir.toAbsolutePath().normalize()) : dataDir;
      List<ConfigLocation> extraLocations = new ArrayList<>();
      if (demo) {
        Path demoRoot = DemoCatalog.install(demoHome.resolve("demo"));
        extraLocations.add(new ConfigLocation("file", demoRoot.toString()));
      }

      DatabaseSettings database = settings.database();
      CatalogStore store;
      PostgresDatabase postgres = null;
      PublicKeyStore sharedKeys = null;
      PendingSignIns pendingSignIns;
      TaskStore taskStore = null; // the scaffolder's own files under dataDir
      if (database == null) {
        H2CatalogStore.Embedded embedded = H2CatalogStore.openEmbedded(dataDir.resolve("catalog"));
        store = own(embedded.catalog());
        pendingSignIns = embedded.pendingSignIns();
      } else {
        postgres = own(PostgresDatabase.open(database));
        store = postgres.catalogStore();
        sharedKeys = postgres.publicKeys();
        pendingSignIns = postgres.pendingSignIns();
        taskStore = postgres.taskStore(dataDir.resolve("scaffolder"));
        LOG.info("catalog, Git sync state, scaffolder tasks and signing keys: PostgreSQL at {}; index, mirrors and "
            + "task workspaces (all rebuilt when lost) in {}", postgres.displayUrl(), dataDir);
      }
      EntityIndex index = own(LuceneEntityIndex.open(dataDir.resolve("index")));
      GitPublishing publishing = GitPublishing.jgit(dataDir.resolve("git-publish"));
      List<GitProviderConfig> gitProviders = new ArrayList<>(settings.gitProviders());
      MeshRepoSettings meshRepo = settings.scaffolderMesh();
      if (demo) {
        String meshUrl = DemoCatalog.installMeshRepository(demoHome, publishing);
        gitProviders.add(new GitProviderConfig("demo-mesh", meshUrl, "main", List.of("catalog-info.yaml"), "kcp",
            Map.of(), null, DEMO_POLL_INTERVAL, GitCredentials.NONE, null, GitProviderConfig.DEFAULT_MAX_DELETION_SHARE));
        if (meshRepo == null) {
          meshRepo = new MeshRepoSettings(meshUrl, "kcp", "main", null);
        }
      }
      GitCatalog git = own(GitCatalog.create(dataDir.resolve("git"), gitProviders, settings.gitIntegrations(),
          java.time.Clock.systemUTC()));
      AccessPolicy access = settings.access(gitProviders, meshRepo, extraLocations);
      CatalogEngine engine = new CatalogEngine(store, index, settings.processing(extraLocations), git.urlReader(),
          access);
      CatalogLocationService locations = new CatalogLocationService(engine, store, settings.catalogReadonly());
      CatalogEntityService entities = new CatalogEntityService(engine);
      git.bind(engine, entities);
      Leadership leadership = null;
      ChangeFollower follower = null;
      if (postgres != null) {
        leadership = new Leadership(postgres.catalogLease(replicaName(), settings.leaderLease()), new Leadership.Role() {
          @Override
          public void lead() {
            git.lead();
          }

          @Override
          public void follow() {
            git.follow();
          }
        });
        engine.fenceProviderWrites(leadership.fence());
        follower = new ChangeFollower(engine, store::generation, settings.followerPoll(), java.time.Clock.systemUTC());
        PostgresNotifications notifications = postgres.notifications();
        notifications.on(PostgresNotifications.CATALOG_CHANNEL, follower::committed);
        notifications.on(PostgresNotifications.GIT_SYNC_CHANNEL, git::onForwarded);
        notifications.onReconnect(follower::wake);
        git.forwardTo(request -> notifications.send(PostgresNotifications.GIT_SYNC_CHANNEL, request));
      }
      entities.analyzeWith(git.repositoryScanner(), locations);

      PermissionSettings permissionSettings = settings.permission();
      Permissions permissions;
      try {
        permissions = Permissions.create(permissionSettings, index, java.time.Clock.systemUTC());
      } catch (IllegalStateException e) {
        throw new ConfigException("permission.rbac: " + e.getMessage());
      }
      Integrations integrations = settings.integrations();
      ExecutorService taskWorkers = Executors.newVirtualThreadPerTaskExecutor();
      own(taskWorkers::shutdownNow);
      ScaffolderService.Builder scaffolderBuilder = ScaffolderService.builder()
          .dataDir(dataDir.resolve("scaffolder"))
          .executor(taskWorkers)
          .catalog(new IndexTemplateCatalog(index, locations))
          .files(new CatalogTemplateFiles(access))
          .publisher(new GitSyncPublisher(publishing, integrations, access))
          .maxWait(settings.scaffolderMaxWait())
          .replicas(settings.scaffolderTaskHeartbeat(), settings.scaffolderTaskTakeover())
          .actionPermission(new ScaffolderPermissions(permissions).actionPermission());
      ForgeActions.all(publishing, new ForgeHosts(integrations, settings.forgeEndpoints()), access)
          .forEach(scaffolderBuilder::addAction);
      if (taskStore != null) {
        scaffolderBuilder.taskStore(taskStore);
      }
      if (meshRepo != null) {
        scaffolderBuilder.mesh(meshRepo);
      }
      ScaffolderService scaffolder = own(scaffolderBuilder.build());

      PortalMetrics metrics = own(new PortalMetrics());
      metrics.bindCatalog(index::size, store::generation);
      metrics.bindGitProviders(gitProviders.stream().map(GitProviderConfig::id).toList(), git::status);
      Leadership lead = leadership;
      ChangeFollower follow = follower;
      metrics.bindReplica(() -> lead == null || lead.leading(), engine::appliedGeneration,
          () -> follow == null ? 0 : follow.lag());
      metrics.bindTasks(List.of("open", "processing", "completed", "failed", "cancelled"), scaffolder::countByStatus);
      if (permissionSettings.enabled() && permissionSettings.policiesCsv() == null
          && permissionSettings.superUsers().isEmpty() && permissionSettings.adminUsers().isEmpty()) {
        // Said loudly: with no policy nothing is allowed to any user (Backstage's default deny).
        LOG.warn("permission.enabled is true without permission.rbac.policies-csv-file or admin users: every user "
            + "request that needs a permission is denied");
      } else if (permissionSettings.enabled()) {
        LOG.info("permission.enabled: every route obeys the RBAC policy ({}, {}); decisions are cached for {} ms",
            permissionSettings.policiesCsv() == null ? "no policies CSV file" : "policies CSV file",
            permissionSettings.conditionalPolicies() == null ? "no conditional policies" : "conditional policies file",
            permissionSettings.decisionCacheTtl().toMillis());
      } else {
        LOG.info("permission.enabled is off: every authenticated user is allowed everything");
      }
      AuditLog audit = own(AuditLog.toFile(settings.auditFile(), java.time.Clock.systemUTC()));
      HttpServer.Builder httpBuilder = HttpServer.builder(settings.http(), settings.auth())
          .catalog(index, entities, locations)
          .search(settings.search())
          .cors(settings.cors())
          .app(settings.app())
          .metrics(metrics)
          .sharedSigningKeys(sharedKeys)
          .readinessCheck(() -> catchingUp(follow))
          .oidc(settings.oidc(), pendingSignIns)
          .permissions(permissions)
          .audit(audit);
      ScaffolderHttp.mount(httpBuilder, scaffolder);
      GitSyncHttp.mount(httpBuilder, git);
      this.http = own(httpBuilder.build());
      http.start();
      long t0 = System.nanoTime();
      engine.start();
      scaffolder.start();
      git.start();
      if (leadership == null) {
        git.lead(); // the only replica: its first syncs run in the background; the store serves meanwhile
      } else {
        own(postgres.notifications()).start();
        own(follower).start();
        own(leadership).start();
      }
      http.markReady();
      java.util.concurrent.ScheduledExecutorService urlSchedule =
          java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "url-location-schedule");
            t.setDaemon(true);
            return t;
          });
      own(() -> {
        // a refresh that is running finishes its generation before the index and store close; no
        // interrupt: one reaching Lucene's file I/O closes its channels and fails the index write
        urlSchedule.shutdown();
        urlSchedule.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
      });
      long every = settings.processingInterval().toMillis();
      urlSchedule.scheduleWithFixedDelay(() -> {
        if (lead != null && !lead.leading()) {
          return; // scheduled processing is the leader's
        }
        try {
          git.refreshUrlLocations();
        } catch (RuntimeException e) {
          LOG.warn("Scheduled refresh of url locations failed: {}", e.toString());
        }
      }, every, every, java.util.concurrent.TimeUnit.MILLISECONDS);
      LOG.info("ready on {} ({} entities, catalog started in {} ms, data in {})",
          settings.http().backendBaseUrl(), index.size(), (System.nanoTime() - t0) / 1_000_000, dataDir.toAbsolutePath());
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** How long a replica may know of newer generations without having applied them and still be ready. */
  private static final java.time.Duration CATCH_UP_GRACE = java.time.Duration.ofSeconds(10);

  /** The readiness probe's reason to take this replica out of the load balancer, or null. */
  private static String catchingUp(ChangeFollower follower) {
    if (follower == null) {
      return null;
    }
    java.time.Instant since = follower.behindSince();
    if (since == null || since.plus(CATCH_UP_GRACE).isAfter(java.time.Instant.now())) {
      return null;
    }
    return "Catching up with the catalog: " + follower.lag() + " generation(s) behind since " + since;
  }

  /** Unique per process: the lease names its holder with it. */
  private static String replicaName() {
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      host = "unknown-host";
    }
    return host + "/" + ProcessHandle.current().pid() + "/" + java.util.UUID.randomUUID().toString().substring(0, 8);
  }

  /** Loads the configuration and starts everything; throws {@link ConfigException} for bad config. */
  public static Application start(List<Path> configFiles, boolean demo, Function<String, String> env) {
    return new Application(configFiles, demo, null, env);
  }

  /** Like {@link #start(List, boolean, Function)} with the demo's files in {@code demoDir} (null: the data folder). */
  public static Application start(List<Path> configFiles, boolean demo, Path demoDir, Function<String, String> env) {
    return new Application(configFiles, demo, demoDir, env);
  }


  /** Every route the server registered, as {@code "METHOD /path"} (the OpenAPI contract test reads it). */
  public List<String> routes() {
    return http.routes();
  }

  /** The port the HTTP server listens on. */
  public int port() {
    return http.port();
  }

  private <T extends AutoCloseable> T own(T resource) {
    resources.push(resource);
    return resource;
  }

  @Override
  public void close() {
    while (!resources.isEmpty()) {
      try {
        resources.pop().close();
      } catch (Exception e) {
        LOG.warn("error while closing: {}", e.toString());
      }
    }
  }

  static Path ensureDirectory(Path dir) {
    try {
      return Files.createDirectories(dir);
    } catch (java.io.IOException e) {
      throw new ConfigException("backend.dataDir: cannot create " + dir + ": " + e.getMessage());
    }
  }
}
