package org.meshportal.catalog.permission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.meshportal.catalog.testing.AccessChecks.assertNotAllowed;
import static org.meshportal.catalog.testing.AccessChecks.basic;
import static org.meshportal.catalog.testing.AccessChecks.decisions;
import static org.meshportal.catalog.testing.AccessChecks.resource;
import static org.meshportal.catalog.testing.LoopbackHttp.ref;
import static org.meshportal.catalog.testing.OidcPopup.environment;
import static org.meshportal.catalog.testing.OidcPopup.serverYaml;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.meshportal.catalog.app.Application;
import org.meshportal.catalog.testing.Browser;
import org.meshportal.catalog.testing.LoopbackHttp;
import org.meshportal.catalog.testing.OidcPopup;
import org.meshportal.testfixtures.GitCli;

/**
 * The README's policy for the three Platform Mesh personas, read from the README itself (its CSV,
 * conditional-policies and app-config blocks), so the example cannot drift from what the server
 * does. Users sign in through OIDC; the catalog has the mesh shapes the policy is written for:
 * provider Groups owning a System and an API, accounts as Groups under an org, an account's
 * workspace Resource, and a binding template running {@code mesh:apibinding:create} against a
 * real Git repository.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PersonaPolicyHttpTest {
  @TempDir static Path tmp;
  @AutoClose("shutdown") private MockOAuth2Server idp;
  @AutoClose private Application app;
  private LoopbackHttp http;
  private Path upstream;
  private String owner;
  private String provider;
  private String consumer;

  @BeforeAll
  void start() throws IOException {
    String readme = readme();
    Path csv = Files.writeString(tmp.resolve("rbac-policy.csv"), block(readme, "```csv\n# rbac-policy.csv\n"));
    Path conditions = Files.writeString(tmp.resolve("rbac-conditional-policies.yaml"),
        block(readme, "```yaml\n# rbac-conditional-policies.yaml\n"));
    String permissionConfig = block(readme, "```yaml\n# app-config: platform owners are super users\n")
        .replace("./rbac-policy.csv", "'" + csv + "'")
        .replace("./rbac-conditional-policies.yaml", "'" + conditions + "'");
    assertTrue(permissionConfig.contains("superUsers"), permissionConfig);

    upstream = meshRepository();
    idp = OidcPopup.startProvider();
    Path catalog = Files.writeString(tmp.resolve("catalog-info.yaml"), catalogYaml());
    int port = LoopbackHttp.freePort();
    String base = "http://127.0.0.1:" + port;
    Path server = Files.writeString(tmp.resolve("server.yaml"), serverYaml(base, port, tmp.resolve("data"), catalog,
        environment(idp, "development", "{resolver: emailLocalPartMatchingUserEntityName}")));
    Path scaffolder = Files.writeString(tmp.resolve("scaffolder.yaml"), """
        scaffolder:
          mesh: { repoUrl: '%s', kcpRoot: kcp, baseBranch: main }
        """.formatted(fileUrl(upstream)));
    Path permission = Files.writeString(tmp.resolve("permission.yaml"), permissionConfig);
    app = Application.start(List.of(server, scaffolder, permission), false, name -> null);
    http = new LoopbackHttp(base);
    owner = signIn(base, "olivia");
    provider = signIn(base, "pat");
    consumer = signIn(base, "cara");
    LoopbackHttp.awaitTrue(() -> http.get("/api/catalog/entities/by-name/template/default/create-api-binding",
        "Authorization", owner).status() == 200, "the catalog file is ingested");
  }

  /** The README of the repository, found from the module's folder upwards. */
  private static String readme() throws IOException {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path readme = dir.resolve("README.md");
      if (Files.exists(readme) && Files.readString(readme).contains("## Sign-in and permissions")) {
        return Files.readString(readme);
      }
    }
    throw new IllegalStateException("the repository's README.md is not above " + Path.of("").toAbsolutePath());
  }

  /** The fenced block that opens with {@code opening}, without its fences. */
  private static String block(String readme, String opening) {
    int start = readme.indexOf(opening);
    assertTrue(start >= 0, "README has no block starting " + opening);
    int end = readme.indexOf("\n```", start + opening.length() - 1);
    return readme.substring(start + opening.indexOf('\n') + 1, end + 1);
  }

  private static String fileUrl(Path p) {
    return p.toUri().toString().replaceFirst("^file:/+", "file:///").replaceAll("/+$", "");
  }

  /** A bare repository with one commit on main, where the binding action pushes. */
  private static Path meshRepository() throws IOException {
    Path work = Files.createDirectories(tmp.resolve("mesh-work"));
    Files.writeString(work.resolve("README.md"), "mesh\n");
    GitCli.git(work, "init", "-q", "-b", "main");
    GitCli.git(work, "add", "-A");
    GitCli.git(work, "commit", "-q", "-m", "start");
    Path bare = tmp.resolve("mesh.git");
    GitCli.git(tmp, "clone", "-q", "--bare", work.toString(), bare.toString());
    return bare;
  }

  private String signIn(String base, String user) {
    return OidcPopup.bearer(OidcPopup.signIn(new Browser(), idp, base, "development", user + "-sub",
        user + "@example.com"));
  }

  private static String catalogYaml() {
    return """
        apiVersion: backstage.io/v1alpha1
        kind: Domain
        metadata: { name: platform-mesh, namespace: platform-mesh }
        spec: { owner: 'group:platform-mesh/platform-owners' }
        ---
        apiVersion: backstage.io/v1alpha1
        kind: Group
        metadata: { name: platform-owners, namespace: platform-mesh }
        spec: { type: team, children: [] }
        ---
        apiVersion: backstage.io/v1alpha1
        kind: User
        metadata: { name: olivia }
        spec: { memberOf: ['group:platform-mesh/platform-owners'] }
        ---
        apiVersion: backstage.io/v1alpha1
        kind: User
        metadata: { name: pat }
        spec: { memberOf: ['group:platform-mesh/provider-postgres'] }
        ---
        apiVersion: backstage.io/v1alpha1
        kind: User
        metadata: { name: cara }
        spec: { memberOf: ['group:platform-mesh/acme.team-payments'] }
        ---
        """ + provider("postgres", "databases") + provider("redis", "caches") + """
        apiVersion: backstage.io/v1alpha1
        kind: Group
        metadata: { name: acme, namespace: platform-mesh, annotations: { kcp.io/path: 'root:orgs:acme' } }
        spec: { type: platform-mesh-org, children: [] }
        ---
        """ + account("team-payments") + account("team-orders") + """
        apiVersion: scaffolder.backstage.io/v1beta3
        kind: Template
        metadata: { name: create-api-binding, title: Bind an API to your account }
        spec:
          owner: 'group:platform-mesh/platform-owners'
          type: platform-mesh
          parameters:
            - title: Binding
              required: [workspacePath, exportPath, exportName]
              properties:
                workspacePath: { type: string }
                exportPath: { type: string }
                exportName: { type: string }
          steps:
            - id: bind
              name: Bind
              action: mesh:apibinding:create
              input:
                workspacePath: ${{ parameters.workspacePath }}
                exportPath: ${{ parameters.exportPath }}
                exportName: ${{ parameters.exportName }}
        """;
  }

  /** A provider workspace as the mesh module derives it: its Group, a System and one API. */
  private static String provider(String name, String export) {
    return """
        apiVersion: backstage.io/v1alpha1
        kind: Group
        metadata: { name: provider-%1$s, namespace: platform-mesh }
        spec: { type: platform-mesh-provider, children: [] }
        ---
        apiVersion: backstage.io/v1alpha1
        kind: System
        metadata: { name: %1$s, namespace: platform-mesh, annotations: { kcp.io/path: 'root:providers:%1$s' } }
        spec: { owner: 'group:platform-mesh/provider-%1$s', domain: 'platform-mesh/platform-mesh' }
        ---
        apiVersion: backstage.io/v1alpha1
        kind: API
        metadata: { name: %1$s_%2$s, namespace: platform-mesh }
        spec: { type: openapi, lifecycle: production, owner: 'group:platform-mesh/provider-%1$s',
                system: 'platform-mesh/%1$s', definition: "openapi: 3.0.0" }
        ---
        """.formatted(name, export);
  }

  /** An account under the org acme, and its workspace Resource. */
  private static String account(String name) {
    return """
        apiVersion: backstage.io/v1alpha1
        kind: Group
        metadata: { name: acme.%1$s, namespace: platform-mesh, annotations: { kcp.io/path: 'root:orgs:acme:%1$s' } }
        spec: { type: platform-mesh-account, parent: 'group:platform-mesh/acme', children: [] }
        ---
        apiVersion: backstage.io/v1alpha1
        kind: Resource
        metadata: { name: acme.%1$s-workspace, namespace: platform-mesh }
        spec: { type: kcp-workspace, owner: 'group:platform-mesh/acme.%1$s' }
        ---
        """.formatted(name);
  }

  // ---- helpers ------------------------------------------------------------------------------------

  private LoopbackHttp.Response get(String path, String token) {
    return http.get(path, "Authorization", token);
  }

  private LoopbackHttp.Response post(String path, String body, String token) {
    return http.post(path, body, "Authorization", token);
  }

  /** Everything the caller reads except Location entities, paging two at a time. */
  private Set<String> readable(String token) {
    Set<String> refs = new TreeSet<>();
    for (JsonNode e : http.byQueryPages(token, 2, "").items()) {
      if (!e.path("kind").asText().equals("Location")) {
        refs.add(ref(e));
      }
    }
    return refs;
  }

  /** Runs the binding template as {@code token} into {@code workspacePath}; the finished task. */
  private JsonNode bind(String token, String workspacePath) {
    LoopbackHttp.Response created = post("/api/scaffolder/v2/tasks", """
        {"templateRef":"template:default/create-api-binding","values":{"workspacePath":"%s",
         "exportPath":"root:providers:postgres","exportName":"databases"}}""".formatted(workspacePath), token);
    assertEquals(201, created.status(), created.body());
    String id = created.json().path("id").asText();
    return LoopbackHttp.await(() -> {
      JsonNode t = get("/api/scaffolder/v2/tasks/" + id, token).json();
      return t.path("status").asText().matches("completed|failed|cancelled") ? t : null;
    }, "task " + id + " ends");
  }

  private String events(String token, JsonNode task) {
    return get("/api/scaffolder/v2/tasks/" + task.path("id").asText() + "/events", token).body();
  }

  private static final Set<String> EVERYTHING = Set.of(
      "domain:platform-mesh/platform-mesh", "group:platform-mesh/platform-owners", "user:default/olivia",
      "user:default/pat", "user:default/cara", "group:platform-mesh/provider-postgres", "system:platform-mesh/postgres",
      "api:platform-mesh/postgres_databases", "group:platform-mesh/provider-redis", "system:platform-mesh/redis",
      "api:platform-mesh/redis_caches", "group:platform-mesh/acme", "group:platform-mesh/acme.team-payments",
      "resource:platform-mesh/acme.team-payments-workspace", "group:platform-mesh/acme.team-orders",
      "resource:platform-mesh/acme.team-orders-workspace", "template:default/create-api-binding");

  // ---- platform owner -----------------------------------------------------------------------------

  @Test
  void the_platform_owner_may_do_everything() {
    assertEquals(new TreeSet<>(EVERYTHING), readable(owner));
    assertEquals(Map.of("delete", "ALLOW", "refresh", "ALLOW", "create", "ALLOW", "location", "ALLOW", "task", "ALLOW"),
        decisions(http, owner,
            resource("delete", "catalog.entity.delete", "delete", "api:platform-mesh/redis_caches"),
            resource("refresh", "catalog.entity.refresh", "update", "resource:platform-mesh/acme.team-orders-workspace"),
            basic("create", "catalog.entity.create", "create"),
            basic("location", "catalog.location.create", "create"),
            basic("task", "scaffolder.task.create", "create")));
    assertEquals(200, post("/api/catalog/refresh", "{\"entityRef\":\"api:platform-mesh/redis_caches\"}", owner).status());
    // a binding into any workspace (here the org's own)
    JsonNode task = bind(owner, "root:orgs:acme");
    assertEquals("completed", task.path("status").asText(), () -> events(owner, task));
  }

  // ---- provider -----------------------------------------------------------------------------------

  @Test
  void a_provider_sees_and_manages_its_own_system_and_apis_only() {
    assertEquals(Set.of("domain:platform-mesh/platform-mesh", "system:platform-mesh/postgres",
        "api:platform-mesh/postgres_databases"), readable(provider));
    assertEquals(404, get("/api/catalog/entities/by-name/api/platform-mesh/redis_caches", provider).status());
    assertEquals(200, post("/api/catalog/refresh", "{\"entityRef\":\"api:platform-mesh/postgres_databases\"}", provider)
        .status());
    assertNotAllowed(post("/api/catalog/refresh", "{\"entityRef\":\"api:platform-mesh/redis_caches\"}", provider));
    String redisUid = get("/api/catalog/entities/by-name/api/platform-mesh/redis_caches", owner).json()
        .at("/metadata/uid").asText();
    assertNotAllowed(http.send("DELETE", "/api/catalog/entities/by-uid/" + redisUid, null, "Authorization", provider));
    assertEquals(Map.of("del-own", "ALLOW", "del-system", "ALLOW", "del-other", "DENY", "read-other", "DENY",
        "task", "DENY"), decisions(http, provider,
        resource("del-own", "catalog.entity.delete", "delete", "api:platform-mesh/postgres_databases"),
        resource("del-system", "catalog.entity.delete", "delete", "system:platform-mesh/postgres"),
        resource("del-other", "catalog.entity.delete", "delete", "api:platform-mesh/redis_caches"),
        resource("read-other", "catalog.entity.read", "read", "system:platform-mesh/redis"),
        basic("task", "scaffolder.task.create", "create")));
    assertNotAllowed(post("/api/scaffolder/v2/tasks", "{\"templateRef\":\"template:default/create-api-binding\","
        + "\"values\":{}}", provider));
  }

  // ---- consumer -----------------------------------------------------------------------------------

  @Test
  void a_consumer_reads_every_api_and_binds_them_into_its_own_account_only() {
    assertEquals(Set.of("domain:platform-mesh/platform-mesh", "system:platform-mesh/postgres",
        "system:platform-mesh/redis", "api:platform-mesh/postgres_databases", "api:platform-mesh/redis_caches",
        "resource:platform-mesh/acme.team-payments-workspace", "template:default/create-api-binding"),
        readable(consumer));
    assertEquals(404, get("/api/catalog/entities/by-name/resource/platform-mesh/acme.team-orders-workspace", consumer)
        .status());
    String apiUid = get("/api/catalog/entities/by-name/api/platform-mesh/postgres_databases", consumer).json()
        .at("/metadata/uid").asText();
    assertNotAllowed(http.send("DELETE", "/api/catalog/entities/by-uid/" + apiUid, null, "Authorization", consumer));
    assertEquals(Map.of("delete", "DENY", "read", "ALLOW", "task", "ALLOW", "location", "DENY"),
        decisions(http, consumer,
            resource("delete", "catalog.entity.delete", "delete", "api:platform-mesh/redis_caches"),
            resource("read", "catalog.entity.read", "read", "api:platform-mesh/redis_caches"),
            basic("task", "scaffolder.task.create", "create"),
            basic("location", "catalog.location.create", "create")));

    JsonNode own = bind(consumer, "root:orgs:acme:team-payments");
    assertEquals("completed", own.path("status").asText(), () -> events(consumer, own));
    String log = GitCli.git(upstream, "--git-dir", upstream.toString(), "log", "--all", "--format=%s");
    assertTrue(log.contains("Bind databases in root:orgs:acme:team-payments"), log);

    JsonNode other = bind(consumer, "root:orgs:acme:team-orders");
    assertEquals("failed", other.path("status").asText(), () -> events(consumer, other));
    String events = events(consumer, other);
    assertTrue(events.contains("Unauthorized action: mesh:apibinding:create"), events);
    assertTrue(!GitCli.git(upstream, "--git-dir", upstream.toString(), "log", "--all", "--format=%s")
        .contains("Bind databases in root:orgs:acme:team-orders"), "nothing was pushed");
  }
}
