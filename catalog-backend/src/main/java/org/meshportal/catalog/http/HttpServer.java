package org.meshportal.catalog.http;

import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.compression.Gzip;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import org.meshportal.catalog.auth.AuthSettings;
import org.meshportal.catalog.auth.Authenticator;
import org.meshportal.catalog.auth.CatalogUsers;
import org.meshportal.catalog.auth.GuestSignIn;
import org.meshportal.catalog.auth.OidcSettings;
import org.meshportal.catalog.auth.OidcSignIn;
import org.meshportal.catalog.auth.PendingSignIns;
import org.meshportal.catalog.auth.Principal;
import org.meshportal.catalog.auth.PublicKeyStore;
import org.meshportal.catalog.auth.UserTokens;
import org.meshportal.catalog.audit.AuditLog;
import org.meshportal.catalog.permission.PermissionSettings;
import org.meshportal.catalog.permission.Permissions;
import org.meshportal.catalog.service.EntityService;
import org.meshportal.catalog.service.LocationService;
import org.meshportal.indexer.EntityIndex;
import org.meshportal.model.errors.ServiceUnavailableException;

/**
 * The one HTTP server: a router per Backstage plugin under {@code /api/<plugin>}, health probes at
 * {@code /.backstage/health/v1/*}, and optionally the frontend bundle at {@code /}.
 *
 * <p>Lifecycle: {@link #start()} listens (readiness still answers 503), {@link #markReady()} once
 * the backend has started, {@link #close()} reports "shutting down" and stops. Thread-safe.
 */
public final class HttpServer implements AutoCloseable {
  static final String PRINCIPAL = "meshportal.principal";
  private static final String LIVENESS = "/.backstage/health/v1/liveness";
  private static final String READINESS = "/.backstage/health/v1/readiness";
  private static final String METRICS = "/metrics";

  private final HttpSettings settings;
  private final Json json = new Json();
  private final Javalin app;
  private final AtomicReference<Readiness> readiness = new AtomicReference<>(Readiness.STARTING);
  /** Why a started server should get no traffic now (e.g. a replica catching up), or null. */
  private final java.util.function.Supplier<String> notReady;
  private final List<String> routes = new CopyOnWriteArrayList<>();

  private HttpServer(Builder b) {
    this.notReady = b.notReady;
    this.settings = b.settings;
    UserTokens tokens = new UserTokens(b.auth, b.clock, b.sharedKeys);
    Authenticator authenticator = new Authenticator(b.auth, tokens);
    Permissions permissions = b.permissions != null
        ? b.permissions
        : Permissions.create(PermissionSettings.disabled(), b.index, b.clock);
    List<Plugin> plugins = new ArrayList<>();
    if (b.index != null) {
      plugins.add(new CatalogPlugin(b.index, b.entities, b.locations, json, settings.maxRefsPerRequest(), permissions));
      plugins.add(new SearchPlugin(b.index, b.search, json, permissions));
    }
    CatalogUsers users = b.index == null ? null : new CatalogUsers(b.index);
    OidcSignIn oidc = null;
    if (b.oidc != null && !b.oidc.environments().isEmpty()) {
      if (b.pendingSignIns == null || users == null) {
        throw new IllegalStateException("OIDC sign-in needs the catalog and a pending sign-in store");
      }
      oidc = new OidcSignIn(b.oidc, b.pendingSignIns, users, tokens, b.clock);
    }
    plugins.add(new AuthPlugin(tokens, new GuestSignIn(b.auth, tokens, users), oidc, json, b.clock));
    plugins.add(new PermissionPlugin(json, permissions));
    plugins.addAll(b.extraPlugins);
    for (java.util.function.Function<Permissions, Plugin> factory : b.pluginFactories) {
      plugins.add(factory.apply(permissions));
    }
    AuditLog audit = b.audit;

    Set<String> openRoutes = Collections.synchronizedSet(new HashSet<>());
    Map<String, byte[]> specs = new LinkedHashMap<>();
    for (Plugin plugin : plugins) {
      specs.put(plugin.id(), OpenApiSpecs.json(plugin.id(), json));
    }
    Cors cors = b.cors == null ? null : new Cors(b.cors);
    AppBundle bundle = b.app == null ? null : new AppBundle(b.app, settings.backendBaseUrl(), json, permissions.enabled());

    this.app = Javalin.create(config -> {
      config.showJavalinBanner = false;
      config.startupWatcherEnabled = false;
      // Jetty's own pool of platform threads: handing every request to a new virtual thread
      // halved the request rate of short reads under load on this server's 2-core target.
      config.useVirtualThreads = false;
      // Every fetch-based client asks for gzip. Level 6 (the default) costs more CPU than a single
      // entity read; level 1 keeps most of the size win for the large lists, and single entities
      // and small pages are sent as they are.
      CompressionStrategy compression = new CompressionStrategy(null, new Gzip(1));
      compression.setDefaultMinSizeForCompression(Json.MIN_COMPRESSED_BYTES);
      config.http.customCompression(compression);
      // Json.rawBody reads this limit too, so chunked bodies (no Content-Length) are bounded alike.
      config.http.maxRequestSize = settings.maxRequestBodyBytes();
      config.jetty.defaultHost = settings.host();
      config.jetty.defaultPort = settings.port();
      // Jetty's per-connection header cache matches values case-insensitively by default, which
      // would hand a handler a previously seen token differing only in letter case.
      config.jetty.modifyHttpConfiguration(http -> http.setHeaderCacheCaseSensitive(true));
      config.jetty.modifyServer(server -> server.setErrorHandler(new BadRequestBodies(json)));
      RequestMetrics metrics = b.metrics;
      if (metrics != null) {
        config.requestLogger.http((ctx, ms) ->
            metrics.record(ctx.method().name(), routeOf(ctx), ctx.statusCode(), (long) (ms * 1_000_000)));
      }
      config.events(events -> events.handlerAdded(info -> {
        if (info.getHttpMethod().isHttpMethod()) {
          routes.add(info.getHttpMethod() + " " + info.getPath());
        }
      }));
      config.router.mount(routing -> {
        routing.before(ctx -> {
          if (cors != null && cors.handle(ctx)) {
            ctx.skipRemainingHandlers();
          }
        });
        routing.before("/api/*", ctx -> {
          // Until the catalog has started (e.g. while the index is rebuilt from the store) an
          // answer would show an empty or partial catalog; say so instead, as Backstage does.
          if (readiness.get() == Readiness.STARTING) {
            throw new ServiceUnavailableException("Backend has not started yet");
          }
          authenticate(ctx, authenticator, openRoutes);
        });
        if (audit != null) {
          routing.after("/api/*", ctx -> Audits.write(ctx, audit));
        }
        routing.get(LIVENESS, ctx -> json.write(ctx, 200, Map.of("status", "ok")));
        routing.get(READINESS, this::readiness);
        if (b.metrics != null) {
          // Outside /api like the health probes: scrapers hold no Backstage token.
          routing.get(METRICS, ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
              .result(b.metrics.scrape()));
        }
        for (Plugin plugin : plugins) {
          PluginRoutes pluginRoutes = new PluginRoutes(plugin.id(), routing, openRoutes);
          byte[] spec = specs.get(plugin.id());
          pluginRoutes.get("/openapi.json", ctx -> json.writeBytes(ctx, 200, spec));
          plugin.addRoutes(pluginRoutes);
        }
        if (bundle != null) {
          routing.get("/*", bundle::serve);
        }
      });
    });
    new ErrorMapping(json).register(app);
  }

  private static void authenticate(Context ctx, Authenticator authenticator, Set<String> openRoutes) {
    if (ctx.method() == HandlerType.OPTIONS || openRoutes.contains(ctx.method() + " " + ctx.path())) {
      return;
    }
    Principal principal = authenticator.authenticate(ctx.header("Authorization"));
    ctx.attribute(PRINCIPAL, principal);
  }

  /** The route template a request matched, or {@code UNMATCHED}; never the raw path (unbounded series). */
  private static String routeOf(Context ctx) {
    try {
      String path = ctx.endpointHandlerPath();
      return path == null || path.isEmpty() || path.equals("*") ? "UNMATCHED" : path;
    } catch (RuntimeException e) {
      return "UNMATCHED";
    }
  }

  private void readiness(Context ctx) {
    Readiness state = readiness.get();
    String message = state == Readiness.READY ? notReady.get() : state.message;
    Map<String, String> body = new LinkedHashMap<>();
    if (message == null) {
      body.put("status", "ok");
    } else {
      body.put("message", message);
      body.put("status", "error");
    }
    json.write(ctx, message == null ? 200 : 503, body);
  }

  public static Builder builder(HttpSettings settings, AuthSettings auth) {
    return new Builder(settings, auth);
  }

  /** Starts listening; readiness answers 503 until {@link #markReady()}. */
  public HttpServer start() {
    app.start();
    return this;
  }

  /** The bound port (useful with port 0). */
  public int port() {
    return app.port();
  }

  /** Reports the backend as started on the readiness probe. */
  public void markReady() {
    readiness.compareAndSet(Readiness.STARTING, Readiness.READY);
  }

  /** Reports "shutting down" on the readiness probe, without stopping yet. */
  public void beginShutdown() {
    readiness.set(Readiness.STOPPING);
  }

  /** Every registered route as {@code "METHOD /path"}, in registration order. */
  public List<String> routes() {
    return List.copyOf(routes);
  }

  @Override
  public void close() {
    beginShutdown();
    app.stop();
  }

  /** Assembles the server; catalog and search are mounted when an index is given. */
  public static final class Builder {
    private java.util.function.Supplier<String> notReady = () -> null;
    private final HttpSettings settings;
    private final AuthSettings auth;
    private Clock clock = Clock.systemUTC();
    private EntityIndex index;
    private EntityService entities;
    private LocationService locations;
    private SearchSettings search = SearchSettings.defaults();
    private CorsSettings cors;
    private AppSettings app;
    private RequestMetrics metrics;
    private PublicKeyStore sharedKeys;
    private OidcSettings oidc;
    private PendingSignIns pendingSignIns;
    private final List<Plugin> extraPlugins = new ArrayList<>();
    private final List<java.util.function.Function<Permissions, Plugin>> pluginFactories = new ArrayList<>();
    private Permissions permissions;
    private AuditLog audit;

    private Builder(HttpSettings settings, AuthSettings auth) {
      this.settings = Objects.requireNonNull(settings, "settings");
      this.auth = Objects.requireNonNull(auth, "auth");
    }

    /** Mounts {@code /api/catalog} and {@code /api/search}. */
    public Builder catalog(EntityIndex index, EntityService entities, LocationService locations) {
      this.index = Objects.requireNonNull(index, "index");
      this.entities = Objects.requireNonNull(entities, "entities");
      this.locations = Objects.requireNonNull(locations, "locations");
      return this;
    }

    public Builder search(SearchSettings search) {
      this.search = Objects.requireNonNull(search, "search");
      return this;
    }

    /** {@code backend.cors}; without it no CORS headers are sent. */
    public Builder cors(CorsSettings cors) {
      this.cors = cors;
      return this;
    }

    /** Serves the frontend bundle at {@code /}. */
    public Builder app(AppSettings app) {
      this.app = app;
      return this;
    }

    /**
     * Public signing keys shared by replicas on one database: user tokens are then signed with a
     * rotating in-memory key and verified against every replica's; null keeps one key on disk.
     */
    public Builder sharedSigningKeys(PublicKeyStore keys) {
      this.sharedKeys = keys;
      return this;
    }

    /**
     * Sign-in through an OIDC provider ({@code /api/auth/oidc/*}); needs {@link #catalog} for the
     * sign-in resolvers. Without it those routes answer 404.
     *
     * @param pending where sign-ins wait between start and callback (the database)
     */
    public Builder oidc(OidcSettings oidc, PendingSignIns pending) {
      this.oidc = oidc;
      this.pendingSignIns = pending;
      return this;
    }

    /** Records every request and serves {@code GET /metrics}; without it there is no such route. */
    /** A check the readiness probe asks once started: a reason to answer 503, or null. */
    public Builder readinessCheck(java.util.function.Supplier<String> notReady) {
      this.notReady = java.util.Objects.requireNonNull(notReady);
      return this;
    }

    public Builder metrics(RequestMetrics metrics) {
      this.metrics = metrics;
      return this;
    }

    /** The clock for issuing and checking tokens. */
    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** Hook for further plugin routers (Git sync). */
    Builder plugin(Plugin plugin) {
      extraPlugins.add(plugin);
      return this;
    }

    /** Hook for further plugin routers that check permissions (the scaffolder). */
    Builder plugin(java.util.function.Function<Permissions, Plugin> factory) {
      pluginFactories.add(factory);
      return this;
    }

    /**
     * The permission policy every route obeys; without it every caller is allowed everything
     * ({@code permission.enabled} off).
     */
    public Builder permissions(Permissions permissions) {
      this.permissions = permissions;
      return this;
    }

    /** Where audit events are written; without it none are. */
    public Builder audit(AuditLog audit) {
      this.audit = audit;
      return this;
    }

    public HttpServer build() {
      return new HttpServer(this);
    }
  }
}
