package org.meshportal.catalog.app;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.meshportal.catalog.access.AccessPolicy;
import org.meshportal.catalog.access.HostRule;
import org.meshportal.catalog.auth.AccessRestriction;
import org.meshportal.catalog.auth.AuthSettings;
import org.meshportal.catalog.auth.OidcSettings;
import org.meshportal.catalog.auth.SignInResolver;
import org.meshportal.catalog.config.AppConfig;
import org.meshportal.catalog.config.ConfigException;
import org.meshportal.catalog.git.GitProviderConfig;
import org.meshportal.catalog.http.AppSettings;
import org.meshportal.catalog.http.CorsSettings;
import org.meshportal.catalog.http.HttpSettings;
import org.meshportal.catalog.http.SearchSettings;
import org.meshportal.catalog.permission.PermissionSettings;
import org.meshportal.catalog.processing.ConfigLocation;
import org.meshportal.catalog.processing.OrphanStrategy;
import org.meshportal.catalog.processing.ProcessingSettings;
import org.meshportal.catalog.scaffolder.forge.ForgeHosts;
import org.meshportal.catalog.store.DatabaseSettings;
import org.meshportal.gitsync.GitCredentials;
import org.meshportal.gitsync.HostIntegration;
import org.meshportal.gitsync.HostKind;
import org.meshportal.gitsync.Integrations;
import org.meshportal.templates.builtin.MeshRepoSettings;

/** Turns the validated configuration into the typed settings each component takes. */
final class Settings {
  /** Every kind the catalog knows; the default of {@code catalog.rules}, as in a new Backstage app. */
  static final Set<String> ALL_KINDS = Set.of(
      "Component", "API", "Resource", "System", "Domain", "Group", "User", "Location", "Template");

  private static final List<String> INTEGRATION_KINDS =
      List.of("github", "gitlab", "gitea", "bitbucketCloud", "bitbucketServer", "git");

  private final AppConfig config;

  Settings(AppConfig config) {
    this.config = config;
  }

  Path dataDir() {
    return Application.ensureDirectory(Path.of(config.string("backend.dataDir", "./data")).toAbsolutePath().normalize());
  }

  HttpSettings http() {
    int port = config.integer("backend.listen.port", 7007);
    String host = config.string("backend.listen.host", "127.0.0.1");
    JsonNode maxBody = config.at("backend.maxRequestBodyBytes");
    try {
      return new HttpSettings(host, port, baseUrl(),
          maxBody.isMissingNode() ? HttpSettings.DEFAULT_MAX_REQUEST_BODY_BYTES : maxBody.asLong(),
          config.integer("catalog.maxRefsPerRequest", HttpSettings.DEFAULT_MAX_REFS_PER_REQUEST));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage());
    }
  }

  String baseUrl() {
    String url = config.string("backend.baseUrl", "http://localhost:" + config.integer("backend.listen.port", 7007));
    return url.replaceAll("/+$", "");
  }

  AuthSettings auth() {
    List<AuthSettings.StaticToken> tokens = new ArrayList<>();
    List<AuthSettings.JwksAccess> jwks = new ArrayList<>();
    JsonNode access = config.at("backend.auth.externalAccess");
    for (int i = 0; i < access.size(); i++) {
      JsonNode entry = access.get(i);
      String key = "backend.auth.externalAccess[" + i + "]";
      String type = entry.path("type").asText("");
      JsonNode options = entry.path("options");
      try {
        switch (type) {
          case "static" -> tokens.add(new AuthSettings.StaticToken(
              required(options.path("token"), key + ".options.token"),
              required(options.path("subject"), key + ".options.subject"),
              accessRestrictions(entry.path("accessRestrictions"), key + ".accessRestrictions")));
          case "jwks" -> jwks.add(new AuthSettings.JwksAccess(
              uri(required(options.path("url"), key + ".options.url"), key + ".options.url"),
              stringList(options.path("issuer")),
              stringList(options.path("algorithm")),
              stringList(options.path("audience")),
              text(options.path("subjectPrefix")),
              accessRestrictions(entry.path("accessRestrictions"), key + ".accessRestrictions")));
          default -> throw new ConfigException("Unknown type '" + type + "' in backend.auth.externalAccess ("
              + key + ".type), expected one of 'static', 'jwks'");
        }
      } catch (IllegalArgumentException e) {
        throw new ConfigException(key + ": " + e.getMessage());
      }
      if (type.equals("static") && (options.has("url") || options.has("issuer"))
          || type.equals("jwks") && (options.has("token") || options.has("subject"))) {
        throw new ConfigException(key + ".options: keys of another type given for type '" + type + "'");
      }
    }
    // Backstage: the guest provider exists only when configured (an empty object turns it on).
    AuthSettings.GuestSettings guest = null;
    if (!config.at("auth.providers.guest").isMissingNode()) {
      List<String> ownership = config.strings("auth.providers.guest.ownershipEntityRefs");
      guest = new AuthSettings.GuestSettings(
          config.string("auth.providers.guest.userEntityRef").orElse(null),
          ownership.isEmpty() ? null : ownership,
          null,
          config.bool("auth.providers.guest.dangerouslyAllowOutsideDevelopment", false));
    }
    String environment = config.string("auth.environment", AuthSettings.DEVELOPMENT);
    if (environment.isBlank()) {
      throw new ConfigException("auth.environment must not be empty");
    }
    return new AuthSettings(
        baseUrl() + "/api/auth",
        dataDir().resolve("auth"),
        guest,
        tokens,
        config.bool("backend.auth.dangerouslyDisableDefaultAuthPolicy", false),
        null,
        environment,
        jwks);
  }

  /**
   * {@code auth.providers.oidc.<environment>}; null when not configured.
   *
   * @throws ConfigException naming the key for missing or bad values, the removed {@code scope}
   *     option (Backstage's wording) and unknown sign-in resolvers
   */
  OidcSettings oidc() {
    JsonNode envs = config.at("auth.providers.oidc");
    if (envs.isMissingNode() || envs.isEmpty()) {
      return null;
    }
    Map<String, OidcSettings.Provider> providers = new LinkedHashMap<>();
    String defaultCallback = baseUrl() + "/api/auth/oidc/handler/frame";
    for (Iterator<String> names = envs.fieldNames(); names.hasNext(); ) {
      String env = names.next();
      JsonNode p = envs.path(env);
      String key = "auth.providers.oidc." + env;
      if (p.has("scope")) {
        throw new ConfigException(key + ".scope: The oidc provider no longer supports the \"scope\" configuration "
            + "option. Please use the \"additionalScopes\" option instead.");
      }
      List<OidcSettings.SignInResolverSettings> resolvers = new ArrayList<>();
      JsonNode list = p.path("signIn").path("resolvers");
      for (int i = 0; i < list.size(); i++) {
        JsonNode r = list.get(i);
        String rkey = key + ".signIn.resolvers[" + i + "]";
        String name = required(r.path("resolver"), rkey + ".resolver");
        if (!SignInResolver.NAMES.contains(name)) {
          throw new ConfigException(rkey + ".resolver: Sign-in resolver '" + name + "' is not available (known: "
              + String.join(", ", SignInResolver.NAMES) + ")");
        }
        resolvers.add(new OidcSettings.SignInResolverSettings(name,
            r.has("allowedDomains") ? stringList(r.path("allowedDomains")) : null,
            r.path("dangerouslyAllowSignInWithoutUserInCatalog").asBoolean(false)));
      }
      Map<String, String> startParams = new LinkedHashMap<>();
      p.path("startUrlSearchParams").fields().forEachRemaining(e -> startParams.put(e.getKey(), e.getValue().asText()));
      String prompt = config.string(key + ".prompt", "none");
      try {
        providers.put(env, new OidcSettings.Provider(
            env,
            uri(required(p.path("metadataUrl"), key + ".metadataUrl"), key + ".metadataUrl"),
            required(p.path("clientId"), key + ".clientId"),
            required(p.path("clientSecret"), key + ".clientSecret"),
            uri(config.string(key + ".callbackUrl", defaultCallback), key + ".callbackUrl"),
            text(p.path("tokenEndpointAuthMethod")),
            text(p.path("tokenSignedResponseAlg")),
            // Backstage: "auto" sends no prompt at all; the default is "none"
            prompt.equals("auto") ? null : prompt,
            stringList(p.path("additionalScopes")),
            duration(p.path("timeout"), key + ".timeout"),
            startParams,
            duration(p.path("sessionDuration"), key + ".sessionDuration"),
            resolvers));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(key + ": " + e.getMessage());
      }
    }
    String appBaseUrl = config.string("app.baseUrl", baseUrl());
    return new OidcSettings(providers, uri(appBaseUrl, "app.baseUrl"),
        config.strings("auth.experimentalExtraAllowedOrigins"));
  }

  private static java.net.URI uri(String value, String key) {
    try {
      java.net.URI uri = new java.net.URI(value);
      if (uri.getScheme() == null || uri.getHost() == null
          || !(uri.getScheme().equalsIgnoreCase("http") || uri.getScheme().equalsIgnoreCase("https"))) {
        throw new ConfigException(key + " must be an http(s) URL, got '" + value + "'");
      }
      return uri;
    } catch (java.net.URISyntaxException e) {
      throw new ConfigException(key + " must be an http(s) URL, got '" + value + "'");
    }
  }

  /** A string or a list of strings; empty when absent. */
  private static List<String> stringList(JsonNode node) {
    List<String> out = new ArrayList<>();
    if (node.isArray()) {
      node.forEach(n -> out.add(n.asText()));
    } else if (!node.isMissingNode() && !node.isNull()) {
      out.add(node.asText());
    }
    return out;
  }

  /** A {@code {days, hours, minutes, seconds, milliseconds}} object; null when absent. */
  private static java.time.Duration duration(JsonNode d, String key) {
    if (d.isMissingNode()) {
      return null;
    }
    long ms = d.path("milliseconds").asLong(0) + d.path("seconds").asLong(0) * 1000
        + d.path("minutes").asLong(0) * 60_000 + d.path("hours").asLong(0) * 3_600_000
        + d.path("days").asLong(0) * 86_400_000;
    if (ms <= 0) {
      throw new ConfigException(key + " must be positive");
    }
    return java.time.Duration.ofMillis(ms);
  }

  /** {@code accessRestrictions} of one external-access entry; every problem names its key. */
  private static List<AccessRestriction> accessRestrictions(JsonNode list, String key) {
    List<AccessRestriction> out = new ArrayList<>();
    Set<String> plugins = new LinkedHashSet<>();
    if (list.isArray() && list.isEmpty()) {
      // An empty list would read as "unrestricted", the opposite of what its author meant.
      throw new ConfigException(key + " must list at least one plugin (omit the key for an unrestricted token)");
    }
    for (int j = 0; j < list.size(); j++) {
      JsonNode r = list.get(j);
      String at = key + "[" + j + "]";
      String plugin = required(r.path("plugin"), at + ".plugin");
      if (!plugins.add(plugin)) {
        throw new ConfigException(at + ".plugin: plugin '" + plugin + "' is listed twice");
      }
      Set<String> permissions = words(r.path("permission"), at + ".permission");
      Set<String> actions = words(r.path("permissionAttribute").path("action"), at + ".permissionAttribute.action");
      try {
        out.add(new AccessRestriction(plugin, permissions, actions));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(at + ": " + e.getMessage());
      }
    }
    return out;
  }

  /** A string or list of strings, each split at commas and spaces (Backstage's "a,b c"); null when absent. */
  private static Set<String> words(JsonNode node, String key) {
    if (node.isMissingNode()) {
      return null;
    }
    Set<String> out = new LinkedHashSet<>();
    List<JsonNode> items = new ArrayList<>();
    if (node.isArray()) {
      node.forEach(items::add);
    } else {
      items.add(node);
    }
    for (JsonNode item : items) {
      for (String w : item.asText().split("[,\\s]+")) {
        if (!w.isEmpty()) {
          out.add(w);
        }
      }
    }
    if (out.isEmpty()) {
      throw new ConfigException(key + " must not be empty");
    }
    return out;
  }

  /** {@code permission.*}: the switch, the RBAC policy files, admins and the decision cache. */
  PermissionSettings permission() {
    boolean enabled = config.bool("permission.enabled", false);
    String precedence = config.string("permission.rbac.policyDecisionPrecedence", "conditional");
    if (!precedence.equals("conditional") && !precedence.equals("basic")) {
      throw new ConfigException("permission.rbac.policyDecisionPrecedence must be conditional or basic, got '"
          + precedence + "'");
    }
    JsonNode ttl = config.at("permission.decisionCacheTtl");
    java.time.Duration cacheTtl = ttl.isMissingNode() ? null : java.time.Duration.ofMillis(
        ttl.path("milliseconds").asLong(0) + ttl.path("seconds").asLong(0) * 1000
            + ttl.path("minutes").asLong(0) * 60_000 + ttl.path("hours").asLong(0) * 3_600_000);
    JsonNode depth = config.at("permission.rbac.maxDepth");
    try {
      return new PermissionSettings(enabled,
          config.string("permission.rbac.policies-csv-file").map(Path::of).orElse(null),
          config.string("permission.rbac.conditionalPoliciesFile").map(Path::of).orElse(null),
          config.bool("permission.rbac.policyFileReload", true),
          names("permission.rbac.admin.users"),
          names("permission.rbac.admin.superUsers"),
          depth.isMissingNode() ? null : depth.asInt(),
          precedence.equals("basic"),
          cacheTtl);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage());
    }
  }

  private List<String> names(String key) {
    List<String> out = new ArrayList<>();
    JsonNode list = config.at(key);
    for (int i = 0; i < list.size(); i++) {
      out.add(required(list.get(i).path("name"), key + "[" + i + "].name"));
    }
    return out;
  }

  /** {@code backend.auditor.file}: where audit lines go; default {@code <dataDir>/audit/audit.log}. */
  Path auditFile() {
    return config.string("backend.auditor.file").map(Path::of)
        .orElseGet(() -> dataDir().resolve("audit").resolve("audit.log"));
  }

  CorsSettings cors() {
    if (config.at("backend.cors").isMissingNode()) {
      return null;
    }
    JsonNode maxAge = config.at("backend.cors.maxAge");
    try {
      return new CorsSettings(
          config.strings("backend.cors.origin"),
          config.strings("backend.cors.methods"),
          config.at("backend.cors.allowedHeaders").isMissingNode() ? null : config.strings("backend.cors.allowedHeaders"),
          config.strings("backend.cors.exposedHeaders"),
          config.bool("backend.cors.credentials", false),
          maxAge.isMissingNode() ? null : maxAge.asInt());
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage());
    }
  }

  AppSettings app() {
    return config.string("app.distDir")
        .map(dir -> new AppSettings(Path.of(dir).toAbsolutePath().normalize(), config.string("app.baseUrl", baseUrl())))
        .orElse(null);
  }

  SearchSettings search() {
    SearchSettings d = SearchSettings.defaults();
    return new SearchSettings(
        config.integer("search.maxTermLength", d.maxTermLength()),
        config.integer("search.maxPageLimit", d.maxPageLimit()),
        d.defaultPageLimit(), d.highlight(), d.preTag(), d.postTag(), d.fragmentDelimiterLength());
  }

  ProcessingSettings processing(List<ConfigLocation> extraLocations) {
    Set<String> kinds = new LinkedHashSet<>();
    JsonNode rules = config.at("catalog.rules");
    for (JsonNode rule : rules) {
      rule.path("allow").forEach(k -> kinds.add(k.asText()));
    }
    if (rules.isMissingNode()) {
      kinds.addAll(ALL_KINDS);
    }
    String orphans = config.string("catalog.orphanStrategy", "delete").toLowerCase(Locale.ROOT);
    OrphanStrategy strategy = switch (orphans) {
      case "delete" -> OrphanStrategy.DELETE;
      case "keep" -> OrphanStrategy.KEEP;
      default -> throw new ConfigException("catalog.orphanStrategy must be 'delete' or 'keep', got '" + orphans + "'");
    };
    List<ConfigLocation> locations = new ArrayList<>();
    JsonNode configured = config.at("catalog.locations");
    for (int i = 0; i < configured.size(); i++) {
      JsonNode l = configured.get(i);
      String type = l.path("type").asText("");
      String target = required(l.path("target"), "catalog.locations[" + i + "].target");
      if (type.equals("file")) {
        target = Path.of(target).toAbsolutePath().normalize().toString();
      } else if (!type.equals("url")) {
        throw new ConfigException("catalog.locations[" + i + "].type must be 'file' or 'url', got '" + type + "'");
      }
      locations.add(new ConfigLocation(type, target));
    }
    locations.addAll(extraLocations);
    int maxBytes = config.integer("catalog.maxFileSizeBytes", ProcessingSettings.DEFAULT_MAX_FILE_BYTES);
    if (maxBytes <= 0) {
      throw new ConfigException("catalog.maxFileSizeBytes must be positive, got " + maxBytes);
    }
    return new ProcessingSettings(Set.of("file", "url"), kinds, strategy, maxBytes, locations);
  }

  /** Backstage's {@code integrations} block: credentials per Git host. */
  Integrations integrations() {
    List<HostIntegration> entries = new ArrayList<>();
    String[][] kinds = {
        {"github", "GITHUB"}, {"gitlab", "GITLAB"}, {"gitea", "GITEA"},
        {"bitbucketCloud", "BITBUCKET"}, {"bitbucketServer", "BITBUCKET"}, {"git", "GITHUB"}};
    for (String[] kind : kinds) {
      JsonNode list = config.at("integrations." + kind[0]);
      for (int i = 0; i < list.size(); i++) {
        JsonNode entry = list.get(i);
        String key = "integrations." + kind[0] + "[" + i + "]";
        String host = required(entry.path("host"), key + ".host");
        entries.add(new HostIntegration(HostKind.valueOf(kind[1]), host, credentials(entry, key)));
      }
    }
    return new Integrations(entries);
  }

  /**
   * The {@code integrations.github} and {@code .gitlab} hosts with their {@code apiBaseUrl}: where
   * the publish:github / publish:gitlab actions call the forge's REST API for that host.
   */
  List<ForgeHosts.Endpoint> forgeEndpoints() {
    List<ForgeHosts.Endpoint> out = new ArrayList<>();
    for (String kind : List.of("github", "gitlab")) {
      JsonNode list = config.at("integrations." + kind);
      for (int i = 0; i < list.size(); i++) {
        String host = required(list.get(i).path("host"), "integrations." + kind + "[" + i + "].host");
        String url = text(list.get(i).path("apiBaseUrl"));
        if (url != null && !url.matches("(?i)https?://[^/?#\\s]+(/[^?#\\s]*)?")) {
          throw new ConfigException("integrations." + kind + "[" + i + "].apiBaseUrl must be an http(s) URL, got '"
              + url + "'");
        }
        out.add(new ForgeHosts.Endpoint(HostKind.valueOf(kind.toUpperCase(Locale.ROOT)), host, url));
      }
    }
    return out;
  }

  static GitCredentials credentials(JsonNode entry, String key) {
    String token = text(entry.path("token"));
    String username = text(entry.path("username"));
    String password = text(entry.path("password"));
    if (password == null) {
      password = text(entry.path("appPassword"));
    }
    if (token != null) {
      return username == null ? GitCredentials.token(token) : GitCredentials.token(token, username);
    }
    if (username != null && password != null) {
      return GitCredentials.password(username, password);
    }
    String sshKey = text(entry.path("sshPrivateKey"));
    if (sshKey != null) {
      return GitCredentials.sshKey(sshKey, text(entry.path("knownHosts")), text(entry.path("sshPassphrase")));
    }
    if (username != null || password != null) {
      throw new ConfigException(key + ": username and password go together");
    }
    return GitCredentials.NONE;
  }

  /**
   * Backstage's {@code backend.database}: absent (or {@code client: better-sqlite3}'s place taken
   * by nothing) means the embedded H2 store; {@code client: pg} with {@code connection} as a
   * {@code postgresql://user:password@host:port/database} string or as
   * {@code {host, port, user, password, database, ssl}}.
   *
   * @return null for the embedded store
   */
  DatabaseSettings database() {
    JsonNode db = config.at("backend.database");
    if (db.isMissingNode()) {
      return null;
    }
    String client = required(db.path("client"), "backend.database.client");
    if (!client.equals("pg")) {
      throw new ConfigException("backend.database.client must be 'pg' (or leave backend.database out for the "
          + "embedded store), got '" + client + "'");
    }
    JsonNode connection = db.path("connection");
    try {
      if (connection.isTextual()) {
        return PostgresConnection.fromUrl(connection.asText());
      }
      if (connection.isObject()) {
        return PostgresConnection.fromObject(connection);
      }
    } catch (IllegalArgumentException e) {
      throw new ConfigException("backend.database.connection: " + e.getMessage());
    }
    throw new ConfigException("backend.database.connection is required: a postgresql:// URL or "
        + "{host, port, user, password, database}");
  }

  /** Backstage's default lies between 100 and 150 s; url locations are re-read this often. */
  static final java.time.Duration DEFAULT_PROCESSING_INTERVAL = java.time.Duration.ofSeconds(120);

  /** {@code catalog.processingInterval}: how often url locations are re-read (webhooks re-read them at once). */
  java.time.Duration processingInterval() {
    JsonNode d = config.at("catalog.processingInterval");
    if (d.isMissingNode()) {
      return DEFAULT_PROCESSING_INTERVAL;
    }
    long ms = d.path("milliseconds").asLong(0) + d.path("seconds").asLong(0) * 1000
        + d.path("minutes").asLong(0) * 60_000 + d.path("hours").asLong(0) * 3_600_000;
    if (ms < 1000) {
      throw new ConfigException("catalog.processingInterval must be at least one second");
    }
    return java.time.Duration.ofMillis(ms);
  }

  /**
   * {@code catalog.leaderLeaseSeconds} (default 6): how long the replica that runs Git sync holds
   * its lease without renewing it; another replica takes over at most about this long (plus a
   * third of it) after the leader died.
   */
  java.time.Duration leaderLease() {
    int seconds = config.integer("catalog.leaderLeaseSeconds", 6);
    if (seconds < 3) {
      throw new ConfigException("catalog.leaderLeaseSeconds must be at least 3, got " + seconds);
    }
    return java.time.Duration.ofSeconds(seconds);
  }

  /**
   * {@code catalog.followerPollSeconds} (default 2): how often a replica looks for other replicas'
   * commits when no notification woke it.
   */
  java.time.Duration followerPoll() {
    int seconds = config.integer("catalog.followerPollSeconds", 2);
    if (seconds < 1) {
      throw new ConfigException("catalog.followerPollSeconds must be at least 1, got " + seconds);
    }
    return java.time.Duration.ofSeconds(seconds);
  }

  /** {@code catalog.readonly}: location writes answer 403. */
  boolean catalogReadonly() {
    return config.bool("catalog.readonly", false);
  }

  /**
   * What the server may read and write for requests and input files: {@code backend.reading.directories}
   * and the directories of static file locations (the configured ones and {@code extraLocations}),
   * {@code backend.reading.allow} and integration hosts, {@code backend.writing.directories}, and the
   * repositories the operator named (Git providers, the mesh repository).
   */
  AccessPolicy access(List<GitProviderConfig> gitProviders, MeshRepoSettings meshRepo,
      List<ConfigLocation> extraLocations) {
    List<Path> readable = new ArrayList<>(directories("backend.reading.directories"));
    for (ConfigLocation location : processing(extraLocations).configLocations()) {
      if (location.type().equals("file")) {
        readable.add(locationDirectory(location.target()));
      }
    }
    List<HostRule> allow = new ArrayList<>();
    JsonNode entries = config.at("backend.reading.allow");
    for (int i = 0; i < entries.size(); i++) {
      String key = "backend.reading.allow[" + i + "]";
      try {
        allow.add(HostRule.parse(required(entries.get(i).path("host"), key + ".host"),
            config.strings(key + ".paths")));
      } catch (IllegalArgumentException e) {
        throw new ConfigException(key + ": " + e.getMessage());
      }
    }
    List<String> hosts = new ArrayList<>();
    for (String kind : INTEGRATION_KINDS) {
      config.at("integrations." + kind).forEach(entry -> hosts.add(entry.path("host").asText()));
    }
    List<String> repositories = new ArrayList<>();
    gitProviders.forEach(p -> repositories.add(p.url()));
    if (meshRepo != null) {
      repositories.add(meshRepo.repoUrl());
    }
    return new AccessPolicy(readable, directories("backend.writing.directories"), allow, hosts, repositories);
  }

  private List<Path> directories(String key) {
    List<Path> dirs = new ArrayList<>();
    for (String dir : config.strings(key)) {
      if (dir.isBlank()) {
        throw new ConfigException(key + " must not contain an empty path");
      }
      dirs.add(Path.of(dir).toAbsolutePath().normalize());
    }
    return dirs;
  }

  /** The directory a static file location may read below: its file's folder, or the folder its glob walks. */
  private static Path locationDirectory(String target) {
    Path dir = Path.of(target).toAbsolutePath().normalize();
    Path walked = dir.getRoot();
    for (Path part : dir) {
      String s = part.toString();
      if (s.contains("*") || s.contains("?") || s.contains("[") || s.contains("{")) {
        return walked;
      }
      walked = walked.resolve(part);
    }
    return dir.getParent();
  }

  /** {@code scaffolder.mesh}: where the Platform Mesh actions write manifests; null when unset. */
  MeshRepoSettings scaffolderMesh() {
    if (config.at("scaffolder.mesh").isMissingNode()) {
      return null;
    }
    try {
      return new MeshRepoSettings(
          required(config.at("scaffolder.mesh.repoUrl"), "scaffolder.mesh.repoUrl"),
          config.string("scaffolder.mesh.kcpRoot", null),
          config.string("scaffolder.mesh.baseBranch", null),
          config.string("scaffolder.mesh.branchPrefix", null));
    } catch (IllegalArgumentException e) {
      throw new ConfigException(e.getMessage());
    }
  }

  /**
   * {@code scaffolder.taskHeartbeatSeconds} (default 5): how often a replica renews the claims of
   * the tasks it runs, and notices cancels made on other replicas. PostgreSQL only.
   */
  java.time.Duration scaffolderTaskHeartbeat() {
    int seconds = config.integer("scaffolder.taskHeartbeatSeconds", 5);
    if (seconds < 1) {
      throw new ConfigException("scaffolder.taskHeartbeatSeconds must be at least 1, got " + seconds);
    }
    return java.time.Duration.ofSeconds(seconds);
  }

  /**
   * {@code scaffolder.taskTakeoverSeconds} (default 20, so that with the default heartbeat a task
   * of a dead replica is taken over within 25 s): how old a task's last heartbeat must be before
   * another replica takes it over. Must exceed the heartbeat.
   */
  java.time.Duration scaffolderTaskTakeover() {
    int seconds = config.integer("scaffolder.taskTakeoverSeconds", 20);
    if (seconds <= scaffolderTaskHeartbeat().toSeconds()) {
      throw new ConfigException("scaffolder.taskTakeoverSeconds must be greater than scaffolder.taskHeartbeatSeconds ("
          + scaffolderTaskHeartbeat().toSeconds() + "), got " + seconds);
    }
    return java.time.Duration.ofSeconds(seconds);
  }

  java.time.Duration scaffolderMaxWait() {
    return java.time.Duration.ofSeconds(config.integer("scaffolder.maxWaitSeconds", 600));
  }

  private static String text(JsonNode node) {
    return node.isMissingNode() || node.isNull() || node.asText().isEmpty() ? null : node.asText();
  }

  List<org.meshportal.catalog.git.GitProviderConfig> gitProviders() {
    return org.meshportal.catalog.git.GitConfig.providers(config.at("catalog.providers.git"));
  }

  List<org.meshportal.catalog.git.GitConfig.Integration> gitIntegrations() {
    return org.meshportal.catalog.git.GitConfig.integrations(config.at("integrations"));
  }

  private static String required(JsonNode node, String key) {
    if (node.isMissingNode() || node.isNull() || node.asText().isBlank()) {
      throw new ConfigException(key + " is required");
    }
    return node.asText();
  }
}
