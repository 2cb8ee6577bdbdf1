package org.meshportal.testfixtures;

import static org.meshportal.testfixtures.PyFormat.list;
import static org.meshportal.testfixtures.PyFormat.map;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A synthetic Platform Mesh GitOps repository, deterministic for (seed, scale, withBad): {@code kcp/}
 * manifests laid out by logical-cluster path (provider workspaces with APIExports, their
 * APIResourceSchemas, ProviderMetadata, ContentConfiguration, api-syncagent PublishedResources and
 * CRDs; WorkspaceTypes; org and account workspaces with Accounts, APIExportPolicies, APIBindings and
 * instances of bound APIs), Backstage descriptor files under {@code catalog/} reached from the root
 * {@code catalog-info.yaml} through Locations, scaffolder templates under {@code templates/}, and
 * with {@code withBad} deliberately broken files. {@code gen-manifest.json} at the root says what
 * was written and which entities a reader should derive (counts, the bad files).
 *
 * <p>Same layout, draws and bytes as the project's earlier Python generator for the same seed (the
 * manifest's {@code generator} field names this class), so the judged search queries recorded on
 * seed 42 stay valid.
 */
public final class MeshRepoGenerator {

  private static final List<String> ORG_WORDS = List.of("acme", "globex", "initech", "umbrella", "hooli", "vandelay",
      "wayne", "stark", "tyrell", "cyberdyne", "soylent", "wonka", "oscorp", "aperture", "monarch", "nakatomi",
      "gringotts", "duff", "krusty", "dunder", "pied", "massive", "virtucon", "zorg", "octan", "blueth", "prestige",
      "sterling", "lacroix", "bluebook");
  private static final List<String> TEAM_WORDS = List.of("payments", "checkout", "search", "identity", "billing",
      "ledger", "fraud", "catalog", "pricing", "shipping", "inventory", "analytics", "mobile", "web", "data", "ml",
      "platform", "security", "observability", "messaging", "notifications", "onboarding", "growth", "support", "crm",
      "hr", "finance", "risk", "compliance", "edge", "storage", "network", "devex", "docs", "media", "maps", "ads",
      "reviews");
  private static final List<String> ENV_WORDS = List.of("dev", "test", "staging", "prod", "sandbox", "qa", "perf", "demo");
  private static final List<String> REGION_WORDS = List.of("eu", "us", "apac", "latam");
  private static final String[][] SERVICE_DOMAINS = {
      {"postgres", "Managed PostgreSQL", "dbaas"}, {"mysql", "Managed MySQL", "dbaas"},
      {"redis", "Managed Redis cache", "cache"}, {"kafka", "Event streaming", "streaming"},
      {"rabbitmq", "Message broker", "messaging"}, {"objectstore", "S3-compatible object storage", "storage"},
      {"blockstore", "Block volumes", "storage"}, {"dns", "Managed DNS zones", "network"},
      {"certs", "TLS certificates", "security"}, {"secrets", "Secret vault", "security"},
      {"gateway", "API gateway routes", "network"}, {"loadbalancer", "L4/L7 load balancers", "network"},
      {"k8s", "Kubernetes clusters", "compute"}, {"vm", "Virtual machines", "compute"},
      {"functions", "Serverless functions", "compute"}, {"search", "Managed search engine", "data"},
      {"warehouse", "Data warehouse", "data"}, {"ml", "Model serving", "ai"}, {"llm", "LLM inference endpoints", "ai"},
      {"monitoring", "Metrics and dashboards", "observability"}, {"logging", "Log pipelines", "observability"},
      {"cdn", "Content delivery", "network"}, {"email", "Transactional email", "comms"},
      {"identity", "Identity and SSO", "security"}, {"backup", "Backup and restore", "storage"},
      {"gitrepo", "Git repositories", "devtools"}, {"ci", "CI pipelines", "devtools"},
      {"registry", "Container registry", "devtools"}, {"httpbin", "HTTP echo service", "demo"},
      {"wildwest", "Cowboys as a service", "demo"}};
  private static final Map<String, List<String>> KIND_WORDS = Map.ofEntries(
      Map.entry("postgres", List.of("Cluster", "Database", "User", "Backup")),
      Map.entry("mysql", List.of("Instance", "Database", "Grant")), Map.entry("redis", List.of("Cache", "Replica")),
      Map.entry("kafka", List.of("Cluster", "Topic", "ACL", "Connector")),
      Map.entry("rabbitmq", List.of("Broker", "Queue", "Exchange")),
      Map.entry("objectstore", List.of("Bucket", "AccessKey", "LifecycleRule")),
      Map.entry("blockstore", List.of("Volume", "Snapshot")), Map.entry("dns", List.of("Zone", "Record")),
      Map.entry("certs", List.of("Certificate", "Issuer")),
      Map.entry("secrets", List.of("Vault", "SecretStore", "Policy")),
      Map.entry("gateway", List.of("Route", "Plan", "Consumer")),
      Map.entry("loadbalancer", List.of("LoadBalancer", "Listener", "Pool")),
      Map.entry("k8s", List.of("Cluster", "NodePool", "Addon")), Map.entry("vm", List.of("VirtualMachine", "Image", "Disk")),
      Map.entry("functions", List.of("Function", "Trigger")), Map.entry("search", List.of("Index", "Pipeline")),
      Map.entry("warehouse", List.of("Warehouse", "Schema", "Share")), Map.entry("ml", List.of("Model", "Endpoint")),
      Map.entry("llm", List.of("Deployment", "Quota")), Map.entry("monitoring", List.of("Dashboard", "AlertRule", "Probe")),
      Map.entry("logging", List.of("Pipeline", "Sink")), Map.entry("cdn", List.of("Distribution", "Origin")),
      Map.entry("email", List.of("Domain", "Template", "Sender")), Map.entry("identity", List.of("Realm", "Client", "Role")),
      Map.entry("backup", List.of("BackupPlan", "RestoreJob")), Map.entry("gitrepo", List.of("Repository", "Webhook")),
      Map.entry("ci", List.of("Pipeline", "Runner")), Map.entry("registry", List.of("Repository", "Robot")),
      Map.entry("httpbin", List.of("HttpBin", "HttpBinDeployment")), Map.entry("wildwest", List.of("Cowboy", "Armament")));
  private static final List<String> VENDOR_WORDS = List.of("abc-msp", "northwind", "contoso", "fabrikam", "tailspin",
      "adatum", "litware", "proseware", "wingtip", "fourthcoffee", "alpine", "bluesky", "redpoint", "ironclad", "quantum",
      "helix", "nimbus", "stratus", "cirrus", "zephyr");
  private static final List<String> FIRST = List.of("ada", "alan", "grace", "linus", "margaret", "dennis", "barbara",
      "ken", "radia", "tim", "frances", "edsger", "donald", "shafi", "leslie", "john", "sophie", "karen", "mary", "guido",
      "bjarne", "james", "anita", "hedy", "katherine", "dorothy", "joan", "niklaus", "robin", "yukihiro", "rasmus",
      "brendan", "lars", "ines", "mei", "omar", "priya", "kofi", "lena", "mateo", "noor", "yara", "tariq", "elena", "hiro",
      "zane");
  private static final List<String> LAST = List.of("lovelace", "turing", "hopper", "torvalds", "hamilton", "ritchie",
      "liskov", "thompson", "perlman", "berners", "allen", "dijkstra", "knuth", "goldwasser", "lamport", "backus",
      "wilson", "spaerck", "keller", "rossum", "stroustrup", "gosling", "borg", "lamarr", "johnson", "vaughan", "clarke",
      "wirth", "milner", "matsumoto", "lerdorf", "eich", "bak", "moreno", "chen", "haddad", "iyer", "mensah", "vogel",
      "ortiz", "rahman", "saleh", "aziz", "petrova", "tanaka", "kowalski");
  private static final List<String> LIFECYCLES = List.of("production", "experimental", "deprecated");

  /** Schema fields a generated resource kind picks from; built fresh for each use (they are edited). */
  private static List<Map.Entry<String, Map<String, Object>>> fieldPool() {
    return List.of(
        Map.entry("size", map("type", "string", "enum", list("small", "medium", "large", "xlarge"))),
        Map.entry("replicas", map("type", "integer", "minimum", 1, "maximum", 9)),
        Map.entry("version", map("type", "string")),
        Map.entry("region", map("type", "string", "enum", list("eu-central", "eu-west", "us-east", "ap-south"))),
        Map.entry("storageGi", map("type", "integer", "minimum", 1)),
        Map.entry("highAvailability", map("type", "boolean")),
        Map.entry("retentionDays", map("type", "integer", "minimum", 1, "maximum", 3650)),
        Map.entry("tier", map("type", "string", "enum", list("free", "standard", "premium"))),
        Map.entry("displayName", map("type", "string", "maxLength", 255)),
        Map.entry("labelsToPropagate", map("type", "array", "items", map("type", "string"))),
        Map.entry("maintenanceWindow", map("type", "object", "properties",
            map("day", map("type", "string"), "startHour", map("type", "integer")))),
        Map.entry("secretRef", map("type", "object", "properties",
            map("name", map("type", "string"), "namespace", map("type", "string")), "required", list("name"))),
        Map.entry("allowedCIDRs", map("type", "array", "items", map("type", "string"))),
        Map.entry("encryption", map("type", "object", "properties",
            map("enabled", map("type", "boolean"), "keyRef", map("type", "string")))),
        Map.entry("deletionPolicy", map("type", "string", "enum", list("Delete", "Retain", "Snapshot"))),
        Map.entry("parameters", map("type", "object", "x-kubernetes-preserve-unknown-fields", true)),
        Map.entry("endpointType", map("type", "string", "enum", list("public", "private"))),
        Map.entry("intent", map("type", "string")));
  }

  /** What {@link #write} produced: the folder and the manifest's figures a test needs. */
  public record Result(Path root, int orgs, int accounts, int apiExports, int providers, List<String> badFiles) {}

  private record Resource(String plural, String kind, String schema, String group, List<String> versions, String scope) {}

  private record Export(String provider, String name, String group, String path, List<Resource> resources,
      List<String> claims, String apiRef) {}

  private static final class Provider {
    final String name;
    final List<Export> exports = new ArrayList<>();

    Provider(String name) {
      this.name = name;
    }
  }

  private record Account(String path, String name, String type, String org, List<Export> bindings) {}

  private final int seed;
  private final double scale;
  private final boolean withBad;
  private final PyRandom rnd;
  private final int day;
  private final Map<String, byte[]> files = new LinkedHashMap<>();
  private final Map<String, Integer> kinds = new LinkedHashMap<>();
  private final List<Map<String, Object>> bad = new ArrayList<>();
  private final Set<String> usedNames = new HashSet<>();
  private final Map<String, List<String>> locations = new LinkedHashMap<>();
  private final List<String> teams = new ArrayList<>();
  private final List<String> users = new ArrayList<>();
  private final List<String> domains = new ArrayList<>();
  private final List<String> systems = new ArrayList<>();
  private final List<Provider> providers = new ArrayList<>();
  private final List<Export> exports = new ArrayList<>();
  private final List<Account> accounts = new ArrayList<>();
  private final Map<String, List<String>> exportAllowed = new LinkedHashMap<>();
  private final List<String[]> components = new ArrayList<>(); // name, provided API or null
  private static final String PLATFORM_TEAM = "platform-owners";

  private MeshRepoGenerator(int seed, double scale, boolean withBad) {
    this.seed = seed;
    this.scale = scale;
    this.withBad = withBad;
    this.rnd = new PyRandom("mesh-" + seed);
    this.day = 1 + Math.floorMod(seed, 27);
  }

  /**
   * Writes the repository for (seed, scale, withBad) into {@code out} (created; must be empty or
   * absent). Scale 1 gives about 200 files; larger scales multiply providers, orgs and components.
   */
  public static Result write(Path out, int seed, double scale, boolean withBad) {
    if (scale <= 0) {
      throw new IllegalArgumentException("scale must be > 0");
    }
    MeshRepoGenerator g = new MeshRepoGenerator(seed, scale, withBad);
    g.run();
    try {
      Files.createDirectories(out);
      for (Map.Entry<String, byte[]> f : new TreeMap<>(g.files).entrySet()) {
        Path file = out.resolve(f.getKey());
        Files.createDirectories(file.getParent());
        Files.write(file, f.getValue());
      }
      Files.writeString(out.resolve("gen-manifest.json"), PyFormat.json(g.manifest()) + "\n", StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new Result(out, (int) g.accounts.stream().filter(a -> a.type.equals("org")).count(), g.accounts.size(),
        g.exports.size(), g.providers.size(), g.bad.stream().map(b -> (String) b.get("path")).toList());
  }

  // ---- naming rules (the mesh reader derives entity names the same way) ----------------------

  /** The name of the API entity derived from APIExport {@code exportName} in provider workspace {@code providerWs}. */
  public static String derivedApiName(String providerWs, String exportName) {
    String raw = providerWs + "_" + exportName;
    String s = raw.replaceAll("[^A-Za-z0-9._-]+", "-");
    s = strip(s.replaceAll("[-_.]{2,}", "-"), "-_.");
    if (s.length() > 63) {
      s = rstrip(s.substring(0, 55), "-_.") + "-" + shortHash(raw, 7);
    }
    return s;
  }

  /** {@code root:orgs:acme:team-a} → {@code acme.team-a}: the Group entity name of an org or account. */
  public static String derivedAccountGroupName(String path) {
    String rel = path.startsWith("root:orgs:") ? path.substring("root:orgs:".length()) : path;
    String s = rel.replace(':', '.');
    if (s.length() > 63) {
      s = rstrip(s.substring(0, 55), "-_.") + "-" + shortHash(path, 7);
    }
    return s;
  }

  static String shortHash(String text, int n) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8));
      String hex = HexFormat.of().formatHex(d);
      return hex.substring(0, Math.min(n, hex.length())); // a slice, as in Python: 64 gives all 40
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String bsName(String raw) {
    String s = strip(raw.replaceAll("[^A-Za-z0-9]+", "-"), "-_.");
    if (s.length() > 63) {
      s = rstrip(s.substring(0, 55), "-_.") + "-" + shortHash(raw, 7);
    }
    return s.isEmpty() ? "x" : s;
  }

  private static String strip(String s, String chars) {
    int a = 0;
    int b = s.length();
    while (a < b && chars.indexOf(s.charAt(a)) >= 0) {
      a++;
    }
    while (b > a && chars.indexOf(s.charAt(b - 1)) >= 0) {
      b--;
    }
    return s.substring(a, b);
  }

  private static String rstrip(String s, String chars) {
    int b = s.length();
    while (b > 0 && chars.indexOf(s.charAt(b - 1)) >= 0) {
      b--;
    }
    return s.substring(0, b);
  }

  /** Python's str.title(): a letter after a non-letter is upper case, other letters lower case. */
  private static String title(String s) {
    StringBuilder out = new StringBuilder(s.length());
    boolean prevLetter = false;
    for (char c : s.toCharArray()) {
      boolean letter = Character.isLetter(c);
      out.append(letter ? (prevLetter ? Character.toLowerCase(c) : Character.toUpperCase(c)) : c);
      prevLetter = letter;
    }
    return out.toString();
  }

  // ---- helpers ----------------------------------------------------------------------------------

  private int n(int base) {
    return Math.max(1, (int) Math.rint(base * scale)); // half to even, as Python's round
  }

  private String uniq(String base) {
    String name = base;
    int i = 2;
    while (usedNames.contains(name)) {
      name = base + "-" + i;
      i++;
    }
    usedNames.add(name);
    return name;
  }

  private void count(Object doc) {
    if (doc instanceof Map<?, ?> m && m.containsKey("kind")) {
      Object av = m.get("apiVersion");
      kinds.merge((av == null ? "" : av) + "|" + m.get("kind"), 1, Integer::sum);
    }
  }

  private void write(String rel, Object docs, String header) {
    List<?> list = docs instanceof Map<?, ?> ? List.of(docs) : (List<?>) docs;
    list.forEach(this::count);
    files.put(rel, PyFormat.yamlDocs(list, header).getBytes(StandardCharsets.UTF_8));
  }

  private void write(String rel, Object docs) {
    write(rel, docs, null);
  }

  private void writeRaw(String rel, String data) {
    files.put(rel, data.getBytes(StandardCharsets.UTF_8));
  }

  private void addLocationTarget(String locFile, String target) {
    locations.computeIfAbsent(locFile, k -> new ArrayList<>()).add(target);
  }

  private static String email(String user) {
    return user + "@example.com";
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> m(Object o) {
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> l(Object o) {
    return (List<Object>) o;
  }

  // ---- people & groups --------------------------------------------------------------------------

  private void genOrgData() {
    int nBu = n(2);
    List<Object> groups = new ArrayList<>();
    Map<String, Object> root = map("apiVersion", "backstage.io/v1alpha1", "kind", "Group",
        "metadata", map("name", "engineering", "title", "Engineering", "description", "All of engineering."),
        "spec", map("type", "root", "profile", map("displayName", "Engineering", "email", "engineering@example.com"),
            "children", list()));
    groups.add(root);
    for (int b = 0; b < nBu; b++) {
      String bu = uniq("bu-" + ORG_WORDS.get(b % ORG_WORDS.size()));
      Map<String, Object> buDoc = map("apiVersion", "backstage.io/v1alpha1", "kind", "Group",
          "metadata", map("name", bu, "title", "Business unit " + title(bu.substring(3))),
          "spec", map("type", "business-unit", "parent", "engineering", "children", list()));
      l(m(root.get("spec")).get("children")).add(bu);
      groups.add(buDoc);
      for (int d = 0; d < 2; d++) {
        String dept = uniq(bu.substring(3) + "-" + TEAM_WORDS.get((b * 7 + d) % TEAM_WORDS.size()));
        Map<String, Object> deptDoc = map("apiVersion", "backstage.io/v1alpha1", "kind", "Group",
            "metadata", map("name", dept, "title", title(dept.replace("-", " "))),
            "spec", map("type", "department", "parent", bu, "children", list()));
        l(m(buDoc.get("spec")).get("children")).add(dept);
        groups.add(deptDoc);
        for (int t = 0; t < 3; t++) {
          String word = TEAM_WORDS.get(rnd.randbelow(TEAM_WORDS.size()));
          String team = uniq("team-" + word);
          groups.add(map("apiVersion", "backstage.io/v1alpha1", "kind", "Group",
              "metadata", map("name", team, "title", "Team " + title(word), "description", "Owns the " + word + " capabilities."),
              "spec", map("type", "team", "parent", dept, "children", list(),
                  "profile", map("displayName", "Team " + title(word), "email", team + "@example.com"))));
          l(m(deptDoc.get("spec")).get("children")).add(team);
          teams.add(team);
        }
      }
    }
    l(m(root.get("spec")).get("children")).add(PLATFORM_TEAM);
    groups.add(map("apiVersion", "backstage.io/v1alpha1", "kind", "Group",
        "metadata", map("name", PLATFORM_TEAM, "title", "Platform owners",
            "description", "Operate the Platform Mesh: account hierarchy, identity, provider onboarding."),
        "spec", map("type", "team", "parent", "engineering", "children", list())));
    teams.add(PLATFORM_TEAM);
    write("catalog/org/groups.yaml", groups, "Organisation structure (Backstage Groups).");
    addLocationTarget("catalog/locations/org.yaml", "../org/groups.yaml");
    for (String team : teams) {
      List<Object> docs = new ArrayList<>();
      for (int i = 0; i < 9; i++) {
        String f = rnd.choice(FIRST);
        String last = rnd.choice(LAST);
        String uname = uniq(f + "." + last);
        users.add(uname);
        docs.add(map("apiVersion", "backstage.io/v1alpha1", "kind", "User", "metadata", map("name", uname),
            "spec", map("profile", map("displayName", title(f) + " " + title(last), "email", email(uname)),
                "memberOf", list(team))));
      }
      write("catalog/org/users/" + team + ".yaml", docs);
      addLocationTarget("catalog/locations/org.yaml", "../org/users/" + team + ".yaml");
    }
  }

  // ---- domains & systems ------------------------------------------------------------------------

  private void genDomainsSystems() {
    List<String> baseDomains = List.of("commerce", "finance", "customer", "data", "infrastructure", "developer-experience");
    int nDom = Math.min(baseDomains.size(), 3) + n(1) - 1;
    List<Object> docs = new ArrayList<>();
    for (int i = 0; i < nDom; i++) {
      String name = i < baseDomains.size() ? baseDomains.get(i) : uniq("domain-" + TEAM_WORDS.get(i % TEAM_WORDS.size()));
      usedNames.add(name);
      domains.add(name);
      docs.add(map("apiVersion", "backstage.io/v1alpha1", "kind", "Domain",
          "metadata", map("name", name, "title", title(name.replace("-", " "))),
          "spec", map("owner", "group:default/" + rnd.choice(teams))));
    }
    docs.add(map("apiVersion", "backstage.io/v1alpha1", "kind", "Domain",
        "metadata", map("name", "platform-mesh", "title", "Platform Mesh",
            "description", "Service providers and consumers connected through kcp."),
        "spec", map("owner", "group:default/" + PLATFORM_TEAM)));
    write("catalog/domains.yaml", docs);
    addLocationTarget("catalog/locations/org.yaml", "../domains.yaml");
    for (int i = 0; i < n(5); i++) {
      String word = TEAM_WORDS.get((i * 5) % TEAM_WORDS.size());
      String name = uniq(word + "-system");
      systems.add(name);
      write("catalog/systems/" + name + ".yaml", map("apiVersion", "backstage.io/v1alpha1", "kind", "System",
          "metadata", map("name", name, "title", title(word) + " system", "tags", list(word)),
          "spec", map("owner", rnd.choice(teams), "domain", rnd.choice(domains))));
      addLocationTarget("catalog/locations/components.yaml", "../systems/" + name + ".yaml");
    }
  }

  // ---- providers --------------------------------------------------------------------------------

  private Map<String, Object> schemaProps(String kind) {
    int nFields = rnd.randint(3, 7);
    List<Map.Entry<String, Map<String, Object>>> fields = rnd.sample(fieldPool(), nFields);
    Map<String, Object> props = new LinkedHashMap<>();
    for (Map.Entry<String, Map<String, Object>> f : fields) {
      Map<String, Object> fs = f.getValue();
      fs.put("description", f.getKey() + " of the " + kind + ".");
      props.put(f.getKey(), fs);
    }
    List<String> keys = new ArrayList<>(props.keySet());
    List<String> required = new ArrayList<>(rnd.sample(keys, rnd.randint(0, Math.min(2, props.size()))));
    required.sort(null);
    Map<String, Object> spec = map("description", kind + "Spec is the desired state of a " + kind + ".",
        "type", "object", "properties", props);
    if (!required.isEmpty()) {
      spec.put("required", new ArrayList<Object>(required));
    }
    Map<String, Object> status = map("description", kind + "Status is the observed state of a " + kind + ".",
        "type", "object",
        "properties", map(
            "phase", map("type", "string", "description", "Lifecycle phase."),
            "endpoint", map("type", "string", "description", "Connection endpoint, once ready."),
            "conditions", map("type", "array", "items", map("type", "object",
                "properties", map("type", map("type", "string"), "status", map("type", "string"),
                    "reason", map("type", "string"), "message", map("type", "string"),
                    "lastTransitionTime", map("type", "string", "format", "date-time")),
                "required", list("type", "status")))));
    return map("description", kind + " is the Schema for the " + kind.toLowerCase() + "s API.", "type", "object",
        "properties", map("apiVersion", map("type", "string"), "kind", map("type", "string"),
            "metadata", map("type", "object"), "spec", spec, "status", status));
  }

  private void genProviders() {
    int nProv = n(6);
    String provRoot = "kcp/root/providers";
    List<Object> wsDocs = new ArrayList<>();
    for (int i = 0; i < nProv; i++) {
      String[] sd = SERVICE_DOMAINS[i % SERVICE_DOMAINS.length];
      String key = sd[0];
      String desc = sd[1];
      String area = sd[2];
      String vendor = VENDOR_WORDS.get((i / SERVICE_DOMAINS.length + i) % VENDOR_WORDS.size());
      int cycle = i / SERVICE_DOMAINS.length;
      String pname = uniq(cycle == 0 ? key + "-provider" : key + "-provider-" + vendor);
      String path = "root:providers:" + pname;
      String baseDomain = cycle != 0 ? vendor + ".example.io" : "platform-mesh.example.io";
      String integration = rnd.choice(List.of("api-syncagent", "api-syncagent", "multicluster-runtime", "manual"));
      String ownerTeam = rnd.choice(teams);
      Provider prov = new Provider(pname);
      providers.add(prov);
      String pdir = provRoot + "/" + pname;
      wsDocs.add(map("apiVersion", "tenancy.kcp.io/v1alpha1", "kind", "Workspace",
          "metadata", map("name", pname, "labels", map("platform-mesh.io/provider", pname)),
          "spec", map("type", map("name", "provider", "path", "root"))));
      List<Object> kust = new ArrayList<>();
      int nExp = rnd.choice(List.of(1, 1, 1, 2, 2, 3));
      List<Object> pmDocs = new ArrayList<>();
      List<Object> ccDocs = new ArrayList<>();
      for (int e = 0; e < nExp; e++) {
        String group = e == 0 ? key + "." + baseDomain
            : key + "-" + List.of("ops", "admin", "extras").get(e - 1) + "." + baseDomain;
        String exportName = integration.equals("api-syncagent") && e == 0 && rnd.random() < 0.35 ? "api-syncagent" : group;
        List<String> kindList = KIND_WORDS.getOrDefault(key, List.of("Instance"));
        if (e > 0) {
          kindList = kindList.subList(0, Math.min(2, kindList.size())).stream().map(k -> k + "Policy").toList();
        }
        int nRes = rnd.randint(1, kindList.size());
        boolean useV2 = rnd.random() < 0.6;
        List<Resource> resources = new ArrayList<>();
        List<Object> arsDocs = new ArrayList<>();
        for (String kind : kindList.subList(0, nRes)) {
          String lower = kind.toLowerCase();
          String plural = lower + (lower.endsWith("s") || lower.endsWith("x") ? "es" : "s");
          List<String> versions = rnd.random() < 0.7 ? List.of("v1alpha1") : List.of("v1alpha1", "v1beta1");
          String last = versions.get(versions.size() - 1);
          String prefix = rnd.random() < 0.5
              ? String.format("v2603%02d-%s", day, shortHash(group + plural + seed, 7)) : last;
          String schemaName = prefix + "." + plural + "." + group;
          String scope = rnd.choice(List.of("Namespaced", "Namespaced", "Cluster"));
          List<Object> verDocs = new ArrayList<>();
          for (String v : versions) {
            verDocs.add(map("name", v, "served", true, "storage", v.equals(last), "schema", schemaProps(kind),
                "subresources", map("status", map()),
                "additionalPrinterColumns", list(
                    map("name", "Phase", "type", "string", "jsonPath", ".status.phase"),
                    map("name", "Age", "type", "date", "jsonPath", ".metadata.creationTimestamp"))));
          }
          Map<String, Object> ars = map("apiVersion", "apis.kcp.io/v1alpha1", "kind", "APIResourceSchema",
              "metadata", map("name", schemaName),
              "spec", map("group", group,
                  "names", map("kind", kind, "listKind", kind + "List", "plural", plural, "singular", lower),
                  "scope", scope, "versions", verDocs));
          if (integration.equals("api-syncagent")) {
            m(ars.get("metadata")).put("labels", map("syncagent.kcp.io/agent-name", pname + "-agent"));
          }
          arsDocs.add(ars);
          resources.add(new Resource(plural, kind, schemaName, group, versions, scope));
          if (integration.equals("api-syncagent")) {
            String internal = key + ".internal." + vendor + ".io";
            Map<String, Object> pr = map("apiVersion", "syncagent.kcp.io/v1alpha1", "kind", "PublishedResource",
                "metadata", map("name", "publish-" + plural),
                "spec", map("resource", map("apiGroup", internal, "kind", kind, "versions", new ArrayList<Object>(versions)),
                    "projection", map("group", group)));
            if (rnd.random() < 0.5) {
              m(pr.get("spec")).put("related", list(map("identifier", "credentials", "origin", "service",
                  "group", "", "version", "v1", "resource", "secrets",
                  "object", map("template", map("template", "{{ .Object.metadata.name }}-credentials")))));
            }
            if (rnd.random() < 0.3) {
              m(pr.get("spec")).put("naming", map("name", "{{ .Object.metadata.name | sha3short }}",
                  "namespace", "{{ .ClusterName }}"));
            }
            write(pdir + "/_service-cluster/publishedresource-" + plural + ".yaml", pr);
            List<Object> crdVersions = new ArrayList<>();
            for (String v : versions) {
              crdVersions.add(map("name", v, "served", true, "storage", v.equals(last),
                  "schema", map("openAPIV3Schema", schemaProps(kind))));
            }
            write(pdir + "/_service-cluster/crds/" + internal + "_" + plural + ".yaml",
                map("apiVersion", "apiextensions.k8s.io/v1", "kind", "CustomResourceDefinition",
                    "metadata", map("name", plural + "." + internal),
                    "spec", map("group", internal,
                        "names", map("kind", kind, "listKind", kind + "List", "plural", plural, "singular", lower),
                        "scope", scope, "versions", crdVersions)));
          }
        }
        if (rnd.random() < 0.25 && arsDocs.size() > 1) {
          String fn = "apiresourceschemas-" + group + ".yaml";
          write(pdir + "/" + fn, arsDocs);
          kust.add(fn);
        } else {
          for (Object a : arsDocs) {
            String fn = "apiresourceschema-" + m(m(m(a).get("spec")).get("names")).get("plural") + "." + group + ".yaml";
            write(pdir + "/" + fn, a);
            kust.add(fn);
          }
        }
        List<String> claims = rnd.sample(List.of("secrets", "configmaps", "events", "namespaces"), rnd.randint(0, 2));
        Map<String, Object> export = map("apiVersion", useV2 ? "apis.kcp.io/v1alpha2" : "apis.kcp.io/v1alpha1",
            "kind", "APIExport",
            "metadata", map("name", exportName, "labels", map("ui.platform-mesh.io/content-for", exportName)),
            "spec", map());
        Map<String, Object> exportSpec = m(export.get("spec"));
        if (useV2) {
          List<Object> res = new ArrayList<>();
          for (Resource r : resources) {
            res.add(map("group", r.group, "name", r.plural, "schema", r.schema, "storage", map("crd", map())));
          }
          exportSpec.put("resources", res);
          if (!claims.isEmpty()) {
            List<Object> pc = new ArrayList<>();
            for (String c : claims) {
              pc.add(map("group", "", "resource", c, "verbs", list("get", "list", "watch", "create", "update")));
            }
            exportSpec.put("permissionClaims", pc);
          }
        } else {
          exportSpec.put("latestResourceSchemas", new ArrayList<Object>(resources.stream().map(Resource::schema).toList()));
          if (!claims.isEmpty()) {
            List<Object> pc = new ArrayList<>();
            for (String c : claims) {
              pc.add(map("group", "", "resource", c));
            }
            exportSpec.put("permissionClaims", pc);
          }
        }
        String fn = "apiexport-" + exportName + ".yaml";
        write(pdir + "/" + fn, export);
        kust.add(fn);
        Export exp = new Export(pname, exportName, group, path, resources, claims,
            "api:platform-mesh/" + derivedApiName(pname, exportName));
        exports.add(exp);
        prov.exports.add(exp);
        String contact = rnd.choice(users);
        pmDocs.add(map("apiVersion", "ui.platform-mesh.io/v1alpha1", "kind", "ProviderMetadata",
            "metadata", map("name", exportName),
            "spec", map(
                "displayName", title(vendor.replace("-", " ")) + " " + desc + (e == 0 ? "" : " (" + group.split("\\.")[0] + ")"),
                "description", desc + " offered by " + vendor + " through Platform Mesh.\nBind the " + exportName
                    + " APIExport from " + path + " to order resources declaratively.\n",
                "tags", new ArrayList<Object>(new TreeSet<>(List.of(area, key, integration))),
                "contacts", list(map("displayName", title(contact.replace(".", " ")), "email", email(contact),
                    "role", list("Maintainer"))),
                "documentation", list(map("displayName", "User guide", "url", "https://docs." + baseDomain + "/" + key)),
                "links", list(map("displayName", "Status page", "url", "https://status." + baseDomain)),
                "preferredSupportChannels", list(map("displayName", "#" + key + "-support",
                    "url", "https://chat.example.com/channels/" + key + "-support")),
                "icon", map("light", map("url", "https://cdn." + baseDomain + "/icons/" + key + "-light.svg"),
                    "dark", map("url", "https://cdn." + baseDomain + "/icons/" + key + "-dark.svg")))));
        if (rnd.random() < 0.7) {
          Resource r0 = resources.get(0);
          Map<String, Object> content = map("name", r0.plural,
              "luigiConfigFragment", map("data", map("nodes", list(map(
                  "pathSegment", r0.plural,
                  "label", r0.kind + "s",
                  "entityType", "main.core_platform-mesh_io_account",
                  "url", "/assets/platform-mesh-portal-ui-wc.js#generic-list-view",
                  "webcomponent", map("selfRegistered", true),
                  "context", map("resourceDefinition", map("group", group, "version", r0.versions.get(r0.versions.size() - 1),
                      "kind", r0.kind, "plural", r0.plural, "scope", r0.scope)))))));
          ccDocs.add(map("apiVersion", "ui.platform-mesh.io/v1alpha1", "kind", "ContentConfiguration",
              "metadata", map("name", r0.plural + "-ui",
                  "labels", map("ui.platform-mesh.io/entity", "core_platform-mesh_io_account",
                      "ui.platform-mesh.io/content-for", exportName)),
              "spec", map("inlineConfiguration", map("contentType", "json", "content", PyFormat.json(content)))));
        }
        if (rnd.random() < 0.5) {
          writeRaw(pdir + "/_openapi/" + exportName + ".openapi.json", PyFormat.json(openapiFor(exp, desc)) + "\n");
        }
      }
      write(pdir + "/providermetadata.yaml", pmDocs);
      kust.add("providermetadata.yaml");
      if (!ccDocs.isEmpty()) {
        write(pdir + "/contentconfiguration.yaml", ccDocs);
        kust.add("contentconfiguration.yaml");
      }
      List<Object> exportNames = new ArrayList<>(prov.exports.stream().map(Export::name).toList());
      write(pdir + "/rbac.yaml", list(
          map("apiVersion", "rbac.authorization.k8s.io/v1", "kind", "ClusterRole",
              "metadata", map("name", pname + "-apiexport-bind"),
              "rules", list(map("apiGroups", list("apis.kcp.io"), "resources", list("apiexports"),
                  "verbs", list("bind"), "resourceNames", exportNames))),
          map("apiVersion", "rbac.authorization.k8s.io/v1", "kind", "ClusterRoleBinding",
              "metadata", map("name", pname + "-apiexport-bind"),
              "subjects", list(map("apiGroup", "rbac.authorization.k8s.io", "kind", "Group",
                  "name", "system:authenticated")),
              "roleRef", map("apiGroup", "rbac.authorization.k8s.io", "kind", "ClusterRole",
                  "name", pname + "-apiexport-bind"))));
      kust.add("rbac.yaml");
      write(pdir + "/kustomization.yaml", map("apiVersion", "kustomize.config.k8s.io/v1beta1",
          "kind", "Kustomization", "resources", kust));
      String compName = uniq(pname + "-controller");
      String sysName = uniq(pname + "-system");
      String kindsReconciled = prov.exports.stream().flatMap(x -> x.resources.stream()).map(Resource::kind)
          .collect(Collectors.joining(", "));
      List<Object> docs = list(
          map("apiVersion", "backstage.io/v1alpha1", "kind", "System",
              "metadata", map("name", sysName, "title", desc + " (" + vendor + ")",
                  "annotations", map("kcp.io/path", path), "tags", list(area, "platform-mesh-provider")),
              "spec", map("owner", ownerTeam, "domain", "platform-mesh")),
          map("apiVersion", "backstage.io/v1alpha1", "kind", "Component",
              "metadata", map("name", compName, "title", desc + " controller",
                  "description", "Reconciles " + kindsReconciled + " objects bound from " + path + ".",
                  "annotations", map("kcp.io/path", path, "platform-mesh.io/integration", integration,
                      "backstage.io/techdocs-ref", "dir:."),
                  "tags", list(area, integration)),
              "spec", map("type", "service", "lifecycle", rnd.choice(LIFECYCLES.subList(0, 2)),
                  "owner", ownerTeam, "system", sysName,
                  "providesApis", new ArrayList<Object>(prov.exports.stream().map(Export::apiRef).toList()))));
      write(pdir + "/catalog-info.yaml", docs);
      addLocationTarget("catalog/locations/providers.yaml", "../../" + pdir + "/catalog-info.yaml");
      writeRaw(pdir + "/README.md", "# " + pname + "\n\n" + desc + " provider. Applied into `" + path + "`.\n"
          + "Integration path: " + integration + ".\n");
    }
    write(provRoot + "/workspaces.yaml", wsDocs, "Provider workspaces, applied in root:providers.");
  }

  private Map<String, Object> openapiFor(Export exp, String desc) {
    Map<String, Object> paths = new LinkedHashMap<>();
    Map<String, Object> schemas = new LinkedHashMap<>();
    for (Resource r : exp.resources) {
      String v = r.versions.get(r.versions.size() - 1);
      String base = "/apis/" + r.group + "/" + v;
      String coll = r.scope.equals("Namespaced") ? base + "/namespaces/{namespace}/" + r.plural : base + "/" + r.plural;
      paths.put(coll, map(
          "get", map("operationId", "list" + r.kind, "responses", map("200", map("description", "OK"))),
          "post", map("operationId", "create" + r.kind,
              "requestBody", map("content", map("application/json", map("schema", ref(r.kind)))),
              "responses", map("201", map("description", "Created")))));
      paths.put(coll + "/{name}", map(
          "get", map("operationId", "read" + r.kind, "responses", map("200", map("description", "OK",
              "content", map("application/json", map("schema", ref(r.kind)))))),
          "delete", map("operationId", "delete" + r.kind, "responses", map("200", map("description", "OK")))));
      schemas.put(r.kind, schemaProps(r.kind));
    }
    List<String> firstVersions = exp.resources.get(0).versions;
    return map("openapi", "3.0.3",
        "info", map("title", exp.name + " (" + exp.provider + ")", "version", firstVersions.get(firstVersions.size() - 1),
            "description", desc),
        "paths", paths, "components", map("schemas", schemas));
  }

  private static Map<String, Object> ref(String kind) {
    return map("$ref", "#/components/schemas/" + kind);
  }

  // ---- platform-level kcp objects ---------------------------------------------------------------

  private void genPlatform() {
    List<Object> wst = new ArrayList<>();
    Object[][] types = {
        {"orgs", null, List.of("org"), List.of(List.of("core.platform-mesh.io", "root:platform-mesh-system"))},
        {"org", List.of("orgs"), List.of("account"), List.of(List.of("core.platform-mesh.io", "root:platform-mesh-system"),
            List.of("tenancy.kcp.io", "root"))},
        {"account", List.of("org", "account"), List.of("account"), List.of(
            List.of("core.platform-mesh.io", "root:platform-mesh-system"), List.of("tenancy.kcp.io", "root"))},
        {"providers", null, List.of("provider"), List.of()},
        {"provider", List.of("providers"), null, List.of(List.of("tenancy.kcp.io", "root"))}};
    for (Object[] t : types) {
      @SuppressWarnings("unchecked")
      List<String> parents = (List<String>) t[1];
      @SuppressWarnings("unchecked")
      List<String> children = (List<String>) t[2];
      @SuppressWarnings("unchecked")
      List<List<String>> binds = (List<List<String>>) t[3];
      Map<String, Object> spec = map();
      if (!binds.isEmpty()) {
        List<Object> b = new ArrayList<>();
        binds.forEach(x -> b.add(map("export", x.get(0), "path", x.get(1))));
        spec.put("defaultAPIBindings", b);
      }
      if (children != null) {
        spec.put("defaultChildWorkspaceType", map("name", children.get(0), "path", "root"));
        List<Object> c = new ArrayList<>();
        children.forEach(x -> c.add(map("name", x, "path", "root")));
        spec.put("limitAllowedChildren", map("types", c));
      }
      if (parents != null) {
        List<Object> p = new ArrayList<>();
        parents.forEach(x -> p.add(map("name", x, "path", "root")));
        spec.put("limitAllowedParents", map("types", p));
      }
      wst.add(map("apiVersion", "tenancy.kcp.io/v1alpha1", "kind", "WorkspaceType", "metadata", map("name", t[0]),
          "spec", spec));
    }
    write("kcp/root/workspacetypes.yaml", wst, "Workspace types, applied in root.");
    write("kcp/root/workspaces.yaml", list(
        map("apiVersion", "tenancy.kcp.io/v1alpha1", "kind", "Workspace", "metadata", map("name", "platform-mesh-system"),
            "spec", map("type", map("name", "universal", "path", "root"))),
        map("apiVersion", "tenancy.kcp.io/v1alpha1", "kind", "Workspace", "metadata", map("name", "orgs"),
            "spec", map("type", map("name", "orgs", "path", "root"))),
        map("apiVersion", "tenancy.kcp.io/v1alpha1", "kind", "Workspace", "metadata", map("name", "providers"),
            "spec", map("type", map("name", "providers", "path", "root")))));
  }

  // ---- orgs and accounts ------------------------------------------------------------------------

  private void genAccounts() {
    int nOrg = n(2);
    String orgsDir = "kcp/root/orgs";
    List<Map<String, Object>> policies = new ArrayList<>();
    List<String> orgNames = new ArrayList<>();
    for (int i = 0; i < nOrg; i++) {
      String base = ORG_WORDS.get(i % ORG_WORDS.size());
      orgNames.add(uniq(i < ORG_WORDS.size() ? base : base + "-" + i / ORG_WORDS.size()));
    }
    for (Export exp : exports) {
      List<String> allowed;
      List<Object> exprs;
      if (rnd.random() < 0.8) {
        allowed = List.of("*");
        exprs = list(":root:orgs:*");
      } else {
        allowed = new ArrayList<>(rnd.sample(orgNames, Math.max(1, orgNames.size() / 3)));
        allowed.sort(null);
        exprs = new ArrayList<>();
        for (String o : allowed) {
          exprs.add(":root:orgs:" + o + ":*");
        }
        for (String o : allowed) {
          exprs.add(":root:orgs:" + o);
        }
      }
      exportAllowed.put(exp.provider + "\u0000" + exp.name, allowed);
      policies.add(map("apiVersion", "core.platform-mesh.io/v1alpha1", "kind", "APIExportPolicy",
          "metadata", map("name", bsName(exp.provider + "-" + exp.name)),
          "spec", map("apiExportRef", map("name", exp.name, "clusterPath", exp.path), "allowPathExpressions", exprs)));
    }
    Map<String, List<Object>> byProv = new TreeMap<>();
    for (Map<String, Object> p : policies) {
      String clusterPath = (String) m(m(p.get("spec")).get("apiExportRef")).get("clusterPath");
      byProv.computeIfAbsent(clusterPath.substring(clusterPath.lastIndexOf(':') + 1), k -> new ArrayList<>()).add(p);
    }
    byProv.forEach((prov, docs) -> write(orgsDir + "/apiexportpolicy-" + prov + ".yaml", docs));
    for (String org : orgNames) {
      makeAccount(orgsDir, "root:orgs", org, "org", 0, org);
    }
  }

  private void makeAccount(String parentDir, String parentPath, String name, String atype, int depth, String org) {
    String path = parentPath + ":" + name;
    String creator = rnd.choice(users);
    Map<String, Object> acc = map("apiVersion", "core.platform-mesh.io/v1alpha1", "kind", "Account",
        "metadata", map("name", name),
        "spec", map("type", atype,
            "displayName", atype.equals("account") ? title(name.replace("-", " ")) : title(name) + " Inc.",
            "creator", email(creator)));
    Map<String, Object> spec = m(acc.get("spec"));
    if (rnd.random() < 0.5) {
      spec.put("description", (atype.equals("org") ? "Organisation" : "Account") + " " + name + " in " + parentPath + ".");
    }
    if (rnd.random() < 0.3) {
      spec.put("data", map("costCenter", "CC-" + rnd.randint(1000, 9999), "environment", rnd.choice(ENV_WORDS)));
    }
    String ownerTeam = rnd.choice(teams);
    m(acc.get("metadata")).put("labels", map("example.com/owner-team", ownerTeam));
    write(parentDir + "/account-" + name + ".yaml", acc);
    Account rec = new Account(path, name, atype, org, new ArrayList<>());
    accounts.add(rec);
    String adir = parentDir + "/" + name;
    List<Export> allowedExports = exports.stream().filter(e -> {
      List<String> allowed = exportAllowed.get(e.provider + "\u0000" + e.name);
      return allowed.equals(List.of("*")) || allowed.contains(org);
    }).toList();
    int k = atype.equals("org") && rnd.random() < 0.5 ? 0 : rnd.randint(0, Math.min(4, allowedExports.size()));
    List<Export> chosen = allowedExports.isEmpty() ? List.of() : rnd.sample(allowedExports, k);
    Set<String> used = new HashSet<>();
    for (Export exp : chosen) {
      String bname = !used.contains(exp.name) ? exp.name : exp.name + "-" + shortHash(exp.path, 5);
      used.add(bname);
      boolean v2 = rnd.random() < 0.7;
      Map<String, Object> b = map("apiVersion", v2 ? "apis.kcp.io/v1alpha2" : "apis.kcp.io/v1alpha1",
          "kind", "APIBinding", "metadata", map("name", bname),
          "spec", map("reference", map("export", map("path", exp.path, "name", exp.name))));
      if (!exp.claims.isEmpty()) {
        List<Object> pc = new ArrayList<>();
        for (String c : exp.claims) {
          if (v2) {
            pc.add(map("group", "", "resource", c, "verbs", list("get", "list", "watch", "create", "update"),
                "selector", map("matchAll", true), "state", rnd.random() < 0.9 ? "Accepted" : "Rejected"));
          } else {
            pc.add(map("group", "", "resource", c, "all", true, "state", "Accepted"));
          }
        }
        m(b.get("spec")).put("permissionClaims", pc);
      }
      if (rnd.random() < 0.15) { // a snapshot exported from a live cluster, with status
        List<Object> bound = new ArrayList<>();
        for (Resource r : exp.resources) {
          bound.add(map("group", r.group, "resource", r.plural,
              "schema", map("name", r.schema, "UID", shortHash(r.schema, 32), "identityHash", shortHash(exp.path + exp.name, 64)),
              "storageVersions", list(r.versions.get(r.versions.size() - 1))));
        }
        b.put("status", map("phase", "Bound", "apiExportClusterName", shortHash(exp.path, 16), "boundResources", bound));
      }
      write(adir + "/apibinding-" + bname + ".yaml", b);
      rec.bindings.add(exp);
    }
    for (Export exp : chosen.subList(0, Math.min(1, chosen.size()))) {
      if (rnd.random() < 0.4) {
        Resource r = exp.resources.get(0);
        String lowerKind = r.kind.toLowerCase();
        Map<String, Object> inst = map("apiVersion", r.group + "/" + r.versions.get(r.versions.size() - 1), "kind", r.kind,
            "metadata", map("name", name + "-" + lowerKind + "-1"),
            "spec", map("displayName", r.kind + " for " + name));
        if (r.scope.equals("Namespaced")) {
          m(inst.get("metadata")).put("namespace", "default");
        }
        write(adir + "/" + lowerKind + "-" + name + "-1.yaml", inst);
      }
    }
    List<String> pool;
    int nChildren;
    if (depth == 0) {
      pool = new ArrayList<>();
      TEAM_WORDS.forEach(w -> pool.add("team-" + w));
      TEAM_WORDS.subList(0, 8).forEach(w -> pool.add("project-" + w));
      nChildren = rnd.randint(2, 3);
    } else if (depth == 1) {
      pool = ENV_WORDS;
      nChildren = rnd.choice(List.of(0, 1, 1, 2, 3));
    } else if (depth == 2) {
      pool = REGION_WORDS;
      nChildren = rnd.choice(List.of(0, 0, 0, 0, 1, 2));
    } else {
      pool = List.of();
      nChildren = 0;
    }
    List<String> children = new ArrayList<>(rnd.sample(pool, Math.min(nChildren, pool.size())));
    children.sort(null);
    for (String cname : children) {
      makeAccount(adir, path, cname, "account", depth + 1, org);
    }
  }

  // ---- ordinary Backstage components ------------------------------------------------------------

  private void genComponents() {
    int nComp = n(16);
    for (int i = 0; i < nComp; i++) {
      String word = TEAM_WORDS.get(rnd.randbelow(TEAM_WORDS.size()));
      String kind = rnd.choice(List.of("api", "service", "worker", "ui", "gateway", "lib"));
      String name = uniq(word + "-" + kind);
      String ctype = kind.equals("ui") ? "website" : kind.equals("lib") ? "library" : "service";
      String owner = rnd.choice(teams);
      String system = rnd.choice(systems);
      String cdir = "catalog/components/" + name;
      List<Object> docs = new ArrayList<>();
      Map<String, Object> comp = map("apiVersion", "backstage.io/v1alpha1", "kind", "Component",
          "metadata", map("name", name, "title", title(name.replace("-", " ")),
              "description", "The " + word + " " + kind + " of the " + system + ".",
              "tags", new ArrayList<Object>(new TreeSet<>(List.of(word, kind).stream().distinct().toList())),
              "annotations", map("github.com/project-slug", "example/" + name, "backstage.io/techdocs-ref", "dir:."),
              "links", list(map("url", "https://" + name + ".internal.example.com", "title", "Dashboard"))),
          "spec", map("type", ctype, "lifecycle", rnd.choice(LIFECYCLES), "owner", owner, "system", system));
      Map<String, Object> cspec = m(comp.get("spec"));
      List<String> provides = new ArrayList<>();
      if (ctype.equals("service") && rnd.random() < 0.6) {
        String apiName = uniq(name + "-api");
        provides.add(apiName);
        docs.add(map("apiVersion", "backstage.io/v1alpha1", "kind", "API",
            "metadata", map("name", apiName, "title", name + " REST API", "description", "REST interface of " + name + ".",
                "tags", list("rest", word)),
            "spec", map("type", "openapi", "lifecycle", cspec.get("lifecycle"), "owner", owner, "system", system,
                "definition", map("$text", "./openapi.yaml"))));
        writeRaw(cdir + "/openapi.yaml", simpleOpenapi(name, word));
      }
      if (!provides.isEmpty()) {
        cspec.put("providesApis", new ArrayList<Object>(provides));
      }
      List<String> consumes = new ArrayList<>();
      if (!exports.isEmpty() && rnd.random() < 0.5) {
        for (Export exp : rnd.sample(exports, Math.min(exports.size(), rnd.randint(1, 2)))) {
          consumes.add(exp.apiRef);
        }
      }
      if (!components.isEmpty() && rnd.random() < 0.4) {
        String[] prev = rnd.choice(components);
        if (prev[1] != null) {
          consumes.add(prev[1]);
        }
      }
      if (!consumes.isEmpty()) {
        cspec.put("consumesApis", new ArrayList<Object>(new TreeSet<>(consumes)));
      }
      if (!components.isEmpty() && rnd.random() < 0.3) {
        cspec.put("dependsOn", list("component:" + rnd.choice(components)[0]));
      }
      docs.add(0, comp);
      write(cdir + "/catalog-info.yaml", docs);
      addLocationTarget("catalog/locations/components.yaml", "../components/" + name + "/catalog-info.yaml");
      writeRaw(cdir + "/README.md", "# " + name + "\n\nOwned by " + owner + ". Part of " + system + ".\n");
      if (rnd.random() < 0.3) {
        writeRaw(cdir + "/mkdocs.yml", "site_name: " + name + "\nnav:\n  - Home: index.md\n");
        writeRaw(cdir + "/docs/index.md", "# " + name + "\n\nOperational notes for " + name + ".\n");
      }
      components.add(new String[] {name, provides.isEmpty() ? null : provides.get(0)});
    }
  }

  private static String simpleOpenapi(String name, String word) {
    return PyFormat.yaml(map("openapi", "3.0.3", "info", map("title", name + " API", "version", "1.0.0"),
        "paths", map(
            "/" + word, map("get", map("summary", "List " + word + " items",
                "responses", map("200", map("description", "OK")))),
            "/" + word + "/{id}", map("get", map("summary", "Get one " + word + " item",
                "parameters", list(map("name", "id", "in", "path", "required", true, "schema", map("type", "string"))),
                "responses", map("200", map("description", "OK"), "404", map("description", "Not found")))))));
  }

  // ---- scaffolder templates ---------------------------------------------------------------------

  private static Map<String, Object> ownerPicker(String title) {
    return map("title", title, "type", "string", "ui:field", "OwnerPicker",
        "ui:options", map("catalogFilter", map("kind", "Group")));
  }

  private void genTemplates() {
    String tdir = "templates";
    List<String> orgs = accounts.stream().map(Account::org).distinct().sorted().toList();
    List<Object> parentEnum = new ArrayList<>();
    orgs.stream().limit(20).forEach(o -> parentEnum.add("root:orgs:" + o));
    if (parentEnum.isEmpty()) {
      parentEnum.add("root:orgs:acme");
    }
    Map<String, Object> t1 = map("apiVersion", "scaffolder.backstage.io/v1beta3", "kind", "Template",
        "metadata", map("name", "create-account-workspace", "title", "Create a new account workspace",
            "description", "Opens a pull request that adds an Account (core.platform-mesh.io) below an existing org or account; the account-operator then creates the kcp workspace.",
            "tags", list("platform-mesh", "kcp", "account")),
        "spec", map("owner", "group:default/" + PLATFORM_TEAM, "type", "platform-mesh-account",
            "parameters", list(
                map("title", "Account", "required", list("parentPath", "name", "displayName"),
                    "properties", map(
                        "parentPath", map("title", "Parent workspace path", "type", "string",
                            "description", "Logical cluster path of the parent org or account, e.g. root:orgs:acme",
                            "pattern", "^root:orgs:[a-z0-9]([-a-z0-9]*[a-z0-9])?(:[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$",
                            "enum", parentEnum),
                        "name", map("title", "Account name", "type", "string",
                            "pattern", "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", "maxLength", 63),
                        "displayName", map("title", "Display name", "type", "string", "maxLength", 255),
                        "description", map("title", "Description", "type", "string"),
                        "owner", ownerPicker("Owning team"))),
                map("title", "APIs to bind",
                    "properties", map("exports", map("title", "Provider APIs", "type", "array", "items", map("type", "string"),
                        "ui:field", "MultiEntityPicker",
                        "ui:options", map("catalogFilter", map("kind", "API", "metadata.namespace", "platform-mesh")))))),
            "steps", list(
                map("id", "apis", "name", "Look up the chosen APIs", "action", "catalog:fetch",
                    "if", "${{ parameters.exports and parameters.exports.length > 0 }}",
                    "input", map("entityRefs", "${{ parameters.exports }}", "optional", true)),
                map("id", "fetch", "name", "Render account manifests", "action", "fetch:template",
                    "input", map("url", "./skeleton", "targetPath", "./out",
                        "values", map("name", "${{ parameters.name }}",
                            "displayName", "${{ parameters.displayName }}",
                            "description", "${{ parameters.description }}",
                            "parentPath", "${{ parameters.parentPath }}",
                            "owner", "${{ parameters.owner }}",
                            "creator", "${{ user.entity.spec.profile.email }}",
                            "apis", "${{ steps.apis.output.entities or [] }}"))),
                map("id", "pr", "name", "Open pull request", "action", "publish:github:pull-request",
                    "input", map("repoUrl", "github.com?owner=example&repo=mesh-gitops",
                        "branchName", "account-${{ parameters.name }}",
                        "title", "Add account ${{ parameters.name }} under ${{ parameters.parentPath }}",
                        "description", "Created from the portal.",
                        "sourcePath", "./out",
                        "targetPath", "kcp/${{ parameters.parentPath | replace(':', '/') }}"))),
            "output", map("links", list(map("title", "Pull request", "url", "${{ steps.pr.output.remoteUrl }}")))));
    write(tdir + "/create-account-workspace/template.yaml", t1);
    writeRaw(tdir + "/create-account-workspace/skeleton/${{values.name}}/apibindings.yaml",
        "{%- for api in values.apis %}\n---\napiVersion: apis.kcp.io/v1alpha2\nkind: APIBinding\nmetadata:\n"
            + "  name: ${{ api.metadata.annotations['platform-mesh.io/apiexport-name'] }}\nspec:\n  reference:\n"
            + "    export:\n      path: ${{ api.metadata.annotations['kcp.io/path'] }}\n"
            + "      name: ${{ api.metadata.annotations['platform-mesh.io/apiexport-name'] }}\n{%- endfor %}\n");
    writeRaw(tdir + "/create-account-workspace/skeleton/account-${{values.name}}.yaml",
        "apiVersion: core.platform-mesh.io/v1alpha1\nkind: Account\nmetadata:\n"
            + "  name: ${{ values.name }}\n  labels:\n    example.com/owner-team: ${{ values.owner | parseEntityRef | pick('name') }}\n"
            + "spec:\n  type: account\n  displayName: ${{ values.displayName | dump }}\n"
            + "  description: ${{ values.description | dump }}\n  creator: ${{ values.creator }}\n");
    writeRaw(tdir + "/create-account-workspace/skeleton/README.md", "Rendered by the create-account-workspace template.\n");

    Map<String, Object> t2 = map("apiVersion", "scaffolder.backstage.io/v1beta3", "kind", "Template",
        "metadata", map("name", "onboard-provider-api", "title", "Onboard a new provider API",
            "description", "Scaffolds a provider workspace folder with APIExport, APIResourceSchema, ProviderMetadata and an APIExportPolicy, and registers the provider's catalog entities.",
            "tags", list("platform-mesh", "kcp", "provider", "apiexport")),
        "spec", map("owner", "group:default/" + PLATFORM_TEAM, "type", "platform-mesh-provider",
            "parameters", list(
                map("title", "Provider", "required", list("provider", "group", "kind", "owner"),
                    "properties", map(
                        "provider", map("title", "Provider workspace name", "type", "string",
                            "pattern", "^[a-z0-9]([-a-z0-9]*[a-z0-9])?$"),
                        "displayName", map("title", "Display name", "type", "string"),
                        "group", map("title", "API group (also the APIExport name)", "type", "string",
                            "pattern", "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)+$"),
                        "kind", map("title", "First resource kind", "type", "string", "pattern", "^[A-Z][A-Za-z0-9]*$"),
                        "scope", map("title", "Scope", "type", "string", "enum", list("Namespaced", "Cluster"),
                            "default", "Namespaced"),
                        "integration", map("title", "Integration path", "type", "string",
                            "enum", list("api-syncagent", "multicluster-runtime", "manual")),
                        "owner", ownerPicker("Owning team"))),
                map("title", "Visibility",
                    "properties", map("allowPathExpressions", map("title", "Who may bind", "type", "array",
                        "items", map("type", "string"), "default", list(":root:orgs:*"))))),
            "steps", list(
                map("id", "fetch", "name", "Render provider folder", "action", "fetch:template",
                    "input", map("url", "./skeleton", "targetPath", "./out/kcp/root/providers/${{ parameters.provider }}",
                        "values", map("provider", "${{ parameters.provider }}",
                            "displayName", "${{ parameters.displayName }}",
                            "group", "${{ parameters.group }}",
                            "kind", "${{ parameters.kind }}",
                            "plural", "${{ parameters.kind | lower }}s",
                            "scope", "${{ parameters.scope }}",
                            "owner", "${{ parameters.owner }}",
                            "allow", "${{ parameters.allowPathExpressions }}"))),
                map("id", "pr", "name", "Open pull request", "action", "publish:github:pull-request",
                    "input", map("repoUrl", "github.com?owner=example&repo=mesh-gitops",
                        "branchName", "provider-${{ parameters.provider }}",
                        "title", "Onboard provider ${{ parameters.provider }} (${{ parameters.group }})",
                        "description", "Created from the portal.", "sourcePath", "./out")),
                map("id", "register", "name", "Register in catalog", "action", "catalog:register",
                    "input", map("catalogInfoUrl", "https://github.com/example/mesh-gitops/blob/main/kcp/root/providers/${{ parameters.provider }}/catalog-info.yaml",
                        "optional", true))),
            "output", map("links", list(map("title", "Pull request", "url", "${{ steps.pr.output.remoteUrl }}")))));
    write(tdir + "/onboard-provider-api/template.yaml", t2);
    String sk = tdir + "/onboard-provider-api/skeleton";
    writeRaw(sk + "/apiexport.yaml",
        "apiVersion: apis.kcp.io/v1alpha2\nkind: APIExport\nmetadata:\n  name: ${{ values.group }}\n"
            + "  labels:\n    ui.platform-mesh.io/content-for: ${{ values.group }}\nspec:\n  resources:\n"
            + "    - group: ${{ values.group }}\n      name: ${{ values.plural }}\n"
            + "      schema: v1alpha1.${{ values.plural }}.${{ values.group }}\n      storage:\n        crd: {}\n");
    writeRaw(sk + "/apiresourceschema.yaml",
        "apiVersion: apis.kcp.io/v1alpha1\nkind: APIResourceSchema\nmetadata:\n"
            + "  name: v1alpha1.${{ values.plural }}.${{ values.group }}\nspec:\n  group: ${{ values.group }}\n"
            + "  names:\n    kind: ${{ values.kind }}\n    listKind: ${{ values.kind }}List\n"
            + "    plural: ${{ values.plural }}\n    singular: ${{ values.kind | lower }}\n"
            + "  scope: ${{ values.scope }}\n  versions:\n    - name: v1alpha1\n      served: true\n"
            + "      storage: true\n      schema:\n        type: object\n"
            + "        x-kubernetes-preserve-unknown-fields: true\n");
    writeRaw(sk + "/providermetadata.yaml",
        "apiVersion: ui.platform-mesh.io/v1alpha1\nkind: ProviderMetadata\nmetadata:\n"
            + "  name: ${{ values.group }}\nspec:\n  displayName: ${{ values.displayName | dump }}\n");
    writeRaw(sk + "/catalog-info.yaml",
        "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n"
            + "  name: ${{ values.provider }}-controller\n  annotations:\n"
            + "    kcp.io/path: root:providers:${{ values.provider }}\nspec:\n  type: service\n"
            + "  lifecycle: experimental\n  owner: ${{ values.owner }}\n");

    // two ordinary templates so the scaffolder list is not mesh-only
    for (String[] t : new String[][] {{"new-go-service", "New Go service", "service"},
        {"new-docs-site", "New documentation site", "documentation"}}) {
      String tname = t[0];
      String ttype = t[2];
      write(tdir + "/" + tname + "/template.yaml", map("apiVersion", "scaffolder.backstage.io/v1beta3", "kind", "Template",
          "metadata", map("name", tname, "title", t[1], "tags", list(ttype)),
          "spec", map("owner", "group:default/" + teams.get(0), "type", ttype,
              "parameters", list(
                  map("title", "Basics", "required", list("name", "owner"),
                      "properties", map("name", map("title", "Name", "type", "string", "pattern", "^[a-z0-9-]+$"),
                          "owner", ownerPicker("Owner"))),
                  map("title", "Repository", "required", list("repoUrl"),
                      "properties", map("repoUrl", map("title", "Repository", "type", "string",
                          "ui:field", "RepoUrlPicker", "ui:options", map("allowedHosts", list("github.com")))))),
              "steps", list(
                  map("id", "fetch", "name", "Fetch skeleton", "action", "fetch:template",
                      "input", map("url", "./skeleton",
                          "values", map("name", "${{ parameters.name }}", "owner", "${{ parameters.owner }}"))),
                  map("id", "publish", "name", "Publish", "action", "publish:github",
                      "input", map("repoUrl", "${{ parameters.repoUrl }}")),
                  map("id", "register", "name", "Register", "action", "catalog:register",
                      "input", map("repoContentsUrl", "${{ steps.publish.output.repoContentsUrl }}",
                          "catalogInfoPath", "/catalog-info.yaml"))),
              "output", map("links", list(map("title", "Repository", "url", "${{ steps.publish.output.remoteUrl }}"))))));
      writeRaw(tdir + "/" + tname + "/skeleton/catalog-info.yaml",
          "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n"
              + "  name: ${{ values.name }}\nspec:\n  type: " + ttype + "\n  lifecycle: experimental\n"
              + "  owner: ${{ values.owner }}\n");
    }
    for (String t : List.of("create-account-workspace", "onboard-provider-api", "new-go-service", "new-docs-site")) {
      addLocationTarget("catalog/locations/templates.yaml", "../../templates/" + t + "/template.yaml");
    }
  }

  // ---- deliberately broken inputs ---------------------------------------------------------------

  private void bad(String rel, byte[] data, String problem) {
    files.put(rel, data);
    bad.add(map("path", rel, "problem", problem));
    if (rel.startsWith("catalog/")) {
      addLocationTarget("catalog/locations/bad.yaml", "../" + rel.substring("catalog/".length()));
    }
  }

  private void bad(String rel, String data, String problem) {
    bad(rel, data.getBytes(StandardCharsets.UTF_8), problem);
  }

  private void genBad() {
    bad("catalog/components/zz-broken-yaml/catalog-info.yaml",
        "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: broken-yaml\n"
            + "  tags: [unclosed, list\n\tdescription: \"tab indented and unterminated\nspec:\n  type: service\n",
        "invalid-yaml");
    bad("catalog/components/zz-invalid-name/catalog-info.yaml", PyFormat.yamlDocs(List.of(
            map("apiVersion", "backstage.io/v1alpha1", "kind", "Component",
                "metadata", map("name", "Invalid Name With Spaces!"),
                "spec", map("type", "service", "lifecycle", "production", "owner", teams.get(0))),
            map("apiVersion", "backstage.io/v1alpha1", "kind", "Component",
                "metadata", map("name", "x".repeat(70)),
                "spec", map("type", "service", "lifecycle", "production", "owner", teams.get(0))),
            map("apiVersion", "backstage.io/v1alpha1", "kind", "API",
                "metadata", map("name", "double--separator"),
                "spec", map("type", "openapi", "lifecycle", "production", "owner", teams.get(0),
                    "definition", "openapi: 3.0.3\n"))), null),
        "invalid-entity-name (spaces/!, 70 chars, consecutive separators)");
    String dup = components.get(0)[0];
    bad("catalog/components/zz-duplicate/catalog-info.yaml",
        PyFormat.yaml(map("apiVersion", "backstage.io/v1alpha1", "kind", "Component",
            "metadata", map("name", dup, "description", "Second definition of an existing entity ref."),
            "spec", map("type", "service", "lifecycle", "experimental", "owner", teams.get(teams.size() - 1)))),
        "duplicate-entity-ref component:default/" + dup);
    bad("catalog/components/zz-unknown-kind/catalog-info.yaml",
        PyFormat.yaml(map("apiVersion", "backstage.io/v1alpha1", "kind", "Widget",
            "metadata", map("name", "mystery-widget"), "spec", map("type", "gizmo"))),
        "unknown-kind Widget");
    bad("catalog/components/zz-missing-fields/catalog-info.yaml",
        PyFormat.yaml(map("apiVersion", "backstage.io/v1alpha1", "kind", "Component",
            "metadata", map("name", "no-spec-owner"), "spec", map("type", "service"))),
        "missing-required-fields (spec.lifecycle, spec.owner)");
    bad("catalog/components/zz-empty/catalog-info.yaml", "", "empty-file");
    byte[] latin1 = ("apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: latin1-caf\u00e9\n"
        + "  description: \"\u00ff\u00fe not utf-8\"\nspec:\n  type: service\n  lifecycle: production\n  owner: x\n")
        .getBytes(StandardCharsets.ISO_8859_1);
    bad("catalog/components/zz-not-utf8/catalog-info.yaml", latin1, "non-utf8-bytes");
    bad("catalog/components/zz-top-level-list/catalog-info.yaml",
        "- apiVersion: backstage.io/v1alpha1\n  kind: Component\n  metadata:\n    name: in-a-list\n",
        "top-level-is-a-list");
    addLocationTarget("catalog/locations/bad.yaml", "../components/zz-does-not-exist/catalog-info.yaml");
    bad.add(map("path", "catalog/locations/bad.yaml", "problem", "location-target-missing (zz-does-not-exist)"));
    Provider p0 = providers.get(0);
    Export e0 = p0.exports.get(0);
    String pdir = "kcp/root/providers/" + p0.name;
    bad(pdir + "/apiexport-duplicate.yaml",
        PyFormat.yaml(map("apiVersion", "apis.kcp.io/v1alpha1", "kind", "APIExport",
            "metadata", map("name", e0.name),
            "spec", map("latestResourceSchemas", list("v0.doesnotexist." + e0.group)))),
        "duplicate-apiexport-name-in-workspace and dangling schema reference");
    Account acc = accounts.stream().filter(a -> a.type.equals("account")).findFirst().orElse(accounts.get(0));
    String adir = "kcp/" + acc.path.replace(':', '/');
    bad(adir + "/apibinding-broken.yaml",
        PyFormat.yaml(map("apiVersion", "apis.kcp.io/v1alpha2", "kind", "APIBinding",
            "metadata", map("name", "broken"),
            "spec", map("reference", map("export", map("path", "root:providers:nowhere"))))),
        "apibinding-missing-export-name and unknown provider path");
    bad(adir + "/apibinding-Bad_Name.yaml",
        PyFormat.yaml(map("apiVersion", "apis.kcp.io/v1alpha2", "kind", "APIBinding",
            "metadata", map("name", "Bad_Name"),
            "spec", map("reference", map("export", map("path", "ROOT::Providers", "name", "x"))))),
        "invalid-kube-name and invalid logical-cluster path");
    // a syntactically valid APIResourceSchema over 5 MB, for the reader's size limit
    int target = 5 * 1024 * 1024;
    Map<String, Object> props = new LinkedHashMap<>();
    String chunk = "lorem ipsum dolor sit amet ".repeat(6);
    long est = 0;
    for (int i = 0; est < target; i++) {
      props.put(String.format("field%06d", i), map("type", "string", "description", chunk.strip()));
      est += chunk.length() + 80;
    }
    Map<String, Object> huge = map("apiVersion", "apis.kcp.io/v1alpha1", "kind", "APIResourceSchema",
        "metadata", map("name", "v0.hugethings." + e0.group),
        "spec", map("group", e0.group,
            "names", map("kind", "HugeThing", "listKind", "HugeThingList", "plural", "hugethings", "singular", "hugething"),
            "scope", "Namespaced",
            "versions", list(map("name", "v0", "served", true, "storage", true,
                "schema", map("type", "object", "properties", map("spec", map("type", "object", "properties", props)))))));
    String data = PyFormat.yaml(huge);
    bad(pdir + "/apiresourceschema-hugethings.yaml", data,
        "oversized-file (" + data.getBytes(StandardCharsets.UTF_8).length + " bytes)");
  }

  // ---- locations and output ---------------------------------------------------------------------

  private void genLocations() {
    List<Object> rootTargets = new ArrayList<>();
    for (Map.Entry<String, List<String>> loc : new TreeMap<>(locations).entrySet()) {
      String base = loc.getKey().substring(loc.getKey().lastIndexOf('/') + 1);
      String name = base.substring(0, base.lastIndexOf('.'));
      write(loc.getKey(), map("apiVersion", "backstage.io/v1alpha1", "kind", "Location",
          "metadata", map("name", "mesh-" + name, "description", "All " + name + " descriptor files."),
          "spec", map("targets", new ArrayList<Object>(loc.getValue()))));
      rootTargets.add("./" + loc.getKey());
    }
    write("catalog-info.yaml", map("apiVersion", "backstage.io/v1alpha1", "kind", "Location",
        "metadata", map("name", "mesh-gitops-root",
            "description", "Entry point: every Backstage descriptor in this repository."),
        "spec", map("targets", rootTargets)));
  }

  private void genReadme() {
    writeRaw("README.md", "# mesh-gitops (generated sample)\n\n"
        + "Synthetic Platform Mesh GitOps repository.\n\n"
        + "* `kcp/` - kcp manifests; the folder path is the logical cluster path "
        + "(`kcp/root/orgs/acme/team-a/` is applied in `root:orgs:acme:team-a`).\n"
        + "* `catalog/` - Backstage descriptor files, entry point `catalog-info.yaml` at the root.\n"
        + "* `templates/` - Backstage scaffolder templates; `skeleton/` folders are template input, "
        + "not catalog data.\n");
  }

  private void run() {
    genOrgData();
    genDomainsSystems();
    genPlatform();
    genProviders();
    genAccounts();
    genComponents();
    genTemplates();
    if (withBad) {
      genBad();
    }
    genLocations();
    genReadme();
  }

  private Map<String, Object> manifest() {
    long total = files.values().stream().mapToLong(b -> b.length).sum();
    Map<String, Object> backstage = new TreeMap<>();
    Map<String, Object> kcpSide = new TreeMap<>();
    for (Map.Entry<String, Integer> k : kinds.entrySet()) {
      if (k.getKey().startsWith("backstage.io/") || k.getKey().startsWith("scaffolder.backstage.io/")) {
        backstage.put(k.getKey().substring(k.getKey().indexOf('|') + 1), k.getValue());
      } else {
        kcpSide.put(k.getKey(), k.getValue());
      }
    }
    Map<String, Object> derived = map(
        "API (one per APIExport)", exports.size(),
        "System (one per provider)", providers.size(),
        "Group (one per org/account)", accounts.size(),
        "consumesApi relations (one per APIBinding)", accounts.stream().mapToInt(a -> a.bindings.size()).sum());
    int backstageTotal = backstage.values().stream().mapToInt(v -> (Integer) v).sum();
    List<Object> badFiles = new ArrayList<>(bad);
    return map("generator", "MeshRepoGenerator", "seed", seed, "scale", scale, "withBad", withBad,
        "files", files.size() + 1, "bytes", total,
        "backstageDocuments", backstage, "backstageDocumentsTotal", backstageTotal,
        "kcpAndOtherDocuments", kcpSide, "derivedEntitiesExpected", derived,
        "providers", providers.size(), "apiExports", exports.size(), "accounts", accounts.size(),
        "orgs", (int) accounts.stream().filter(a -> a.type.equals("org")).count(),
        "maxAccountDepth", accounts.stream().mapToInt(a -> a.path.split(":", -1).length - 3).max().orElse(0),
        "badFiles", badFiles);
  }
}
