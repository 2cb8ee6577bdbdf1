package org.meshportal.catalog.permission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.meshportal.catalog.testing.AccessChecks.assertFields;
import static org.meshportal.catalog.testing.AccessChecks.assertNotAllowed;
import static org.meshportal.catalog.testing.AccessChecks.auditLines;
import static org.meshportal.catalog.testing.AccessChecks.basic;
import static org.meshportal.catalog.testing.AccessChecks.decisions;
import static org.meshportal.catalog.testing.AccessChecks.resource;
import static org.meshportal.catalog.testing.LoopbackHttp.ref;
import static org.meshportal.catalog.testing.TemplateYaml.template;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.meshportal.catalog.app.Application;
import org.meshportal.catalog.testing.LoopbackHttp;

/**
 * The RBAC policy over HTTP against the started server: two guest users with different
 * userEntityRefs (alice in team-a with an owner-only conditional read, bob a reader), an admin,
 * a CSV and a conditional policy file. Every user's token is issued by a real server sharing the
 * signing key.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PermissionsHttpTest {
  private static final String CSV = """
      # developers: team-a
      p, role:default/developer, catalog-entity, read, allow
      p, role:default/developer, scaffolder.task.create, create, allow
      p, role:default/developer, scaffolder-template, read, allow
      p, role:default/developer, scaffolder-action, use, allow
      p, role:default/developer, catalog.location.read, read, deny
      p, role:default/developer, catalog.location.create, create, deny
      g, group:default/team-a, role:default/developer
      # readers
      p, role:default/reader, catalog-entity, read, allow
      p, role:default/reader, catalog.entity.delete, delete, deny
      p, role:default/reader, catalog.location.read, read, allow
      g, user:default/bob, role:default/reader
      this line is not a policy line
      """;
  private static final String CONDITIONS = """
      ---
      result: CONDITIONAL
      roleEntityRef: role:default/developer
      pluginId: catalog
      resourceType: catalog-entity
      permissionMapping: [read]
      conditions:
        anyOf:
          - rule: IS_ENTITY_OWNER
            resourceType: catalog-entity
            params: { claims: [$ownerRefs] }
          - rule: IS_ENTITY_KIND
            resourceType: catalog-entity
            params: { kinds: [API] }
      ---
      result: CONDITIONAL
      roleEntityRef: role:default/developer
      pluginId: catalog
      resourceType: catalog-entity
      permissionMapping: [delete, update]
      conditions: { rule: IS_ENTITY_OWNER, resourceType: catalog-entity, params: { claims: [$ownerRefs] } }
      ---
      result: CONDITIONAL
      roleEntityRef: role:default/developer
      pluginId: scaffolder
      resourceType: scaffolder-template
      permissionMapping: [{ name: scaffolder.template.parameter.read, action: read }]
      conditions:
        not: { rule: HAS_TAG, resourceType: scaffolder-template, params: { tag: restricted } }
      ---
      result: CONDITIONAL
      roleEntityRef: role:default/developer
      pluginId: scaffolder
      resourceType: scaffolder-action
      permissionMapping: [use]
      conditions: { rule: HAS_ACTION_ID, resourceType: scaffolder-action, params: { actionId: debug:log } }
      """;

  @TempDir static Path tmp;
  @AutoClose private Application app;
  private LoopbackHttp http;
  private Path policyCsv;
  private Path auditFile;
  private String alice;
  private String bob;
  private String admin;

  @BeforeAll
  void start() throws IOException {
    Path catalog = Files.writeString(tmp.resolve("catalog-info.yaml"), catalogYaml());
    policyCsv = Files.writeString(tmp.resolve("rbac-policy.csv"), CSV);
    Path conditions = Files.writeString(tmp.resolve("rbac-conditional-policies.yaml"), CONDITIONS);
    auditFile = tmp.resolve("audit").resolve("audit.log");
    app = Application.start(config("main", """
        auth:
          providers:
            guest:
              userEntityRef: user:default/alice
              ownershipEntityRefs: [user:default/alice, group:default/team-a]
        backend:
          auditor:
            file: %s
        catalog:
          locations:
            - { type: file, target: %s }
        permission:
          enabled: true
          decisionCacheTtl: { milliseconds: 50 }
          rbac:
            policies-csv-file: %s
            conditionalPoliciesFile: %s
            admin:
              users: [{ name: user:default/admin }]
        """.formatted(auditFile, catalog, policyCsv, conditions)), false, name -> null);
    http = new LoopbackHttp("http://127.0.0.1:" + app.port());
    alice = guestToken(http);
    bob = mint("user:default/bob", "[user:default/bob, group:default/team-b]");
    admin = mint("user:default/admin", "[user:default/admin]");
    LoopbackHttp.awaitTrue(() -> http.get("/api/catalog/entities/by-name/component/default/b-4", "Authorization", bob)
        .status() == 200, "the catalog file is ingested");
  }

  /** A base config (free port, own data folder) and {@code yaml} layered over it. */
  private List<Path> config(String name, String yaml) throws IOException {
    Path base = Files.writeString(tmp.resolve(name + "-base.yaml"), """
        backend:
          listen:
            port: 0
          dataDir: %s
        """.formatted(tmp.resolve(name + "-data")));
    return List.of(base, Files.writeString(tmp.resolve(name + "-config.yaml"), yaml));
  }

  /**
   * A user token from a second server that signs with the same key: how a user other than the
   * configured guest gets a real token without an identity provider.
   */
  private String mint(String userRef, String ownership) throws IOException {
    String name = userRef.replaceAll("[^a-z]", "");
    Path keys = tmp.resolve(name + "-data").resolve("auth");
    Files.createDirectories(keys);
    try (var files = Files.list(tmp.resolve("main-data").resolve("auth"))) {
      for (Path f : files.toList()) {
        Files.copy(f, keys.resolve(f.getFileName()));
      }
    }
    try (Application minter = Application.start(config(name, """
        auth:
          providers:
            guest:
              userEntityRef: %s
              ownershipEntityRefs: %s
        """.formatted(userRef, ownership)), false, n -> null)) {
      return guestToken(new LoopbackHttp("http://127.0.0.1:" + minter.port()));
    }
  }

  /** The configured guest's token on the server {@code h}. */
  private static String guestToken(LoopbackHttp h) {
    LoopbackHttp.Response r = h.get("/api/auth/guest/refresh");
    assertEquals(200, r.status(), r.body());
    return "Bearer " + r.json().at("/backstageIdentity/token").asText();
  }

  private static String catalogYaml() {
    StringBuilder y = new StringBuilder();
    for (String team : List.of("team-a", "team-b")) {
      y.append("""
          apiVersion: backstage.io/v1alpha1
          kind: Group
          metadata: { name: %s }
          spec: { type: team, children: [] }
          ---
          """.formatted(team));
    }
    for (String[] user : List.of(new String[] {"alice", "team-a"}, new String[] {"bob", "team-b"},
        new String[] {"admin", "team-b"})) {
      y.append("""
          apiVersion: backstage.io/v1alpha1
          kind: User
          metadata: { name: %s }
          spec: { memberOf: [%s] }
          ---
          """.formatted(user[0], user[1]));
    }
    for (int i = 0; i < 7; i++) {
      y.append(component("a-" + i, "team-a", i % 2 == 0 ? "service" : "website"));
    }
    for (int i = 0; i < 5; i++) {
      y.append(component("b-" + i, "team-b", "service"));
    }
    // not an entity (a label key Backstage refuses): a processing error naming team-b's component
    y.append("""
        apiVersion: backstage.io/v1alpha1
        kind: Component
        metadata: { name: b-broken, labels: { "not a key!": x } }
        spec: { type: service, lifecycle: production, owner: team-b }
        ---
        """);
    for (String team : List.of("a", "b")) {
      y.append("""
          apiVersion: backstage.io/v1alpha1
          kind: API
          metadata: { name: api-%s, description: payments api }
          spec: { type: openapi, lifecycle: production, owner: team-%s, definition: "openapi: 3.0.0" }
          ---
          """.formatted(team, team));
    }
    y.append("""
        apiVersion: scaffolder.backstage.io/v1beta3
        kind: Template
        metadata: { name: tpl-a }
        spec:
          owner: group:default/team-a
          type: service
          parameters:
            - title: Basics
              properties: { name: { type: string } }
            - title: Restricted
              backstage:permissions: { tags: [restricted] }
              properties: { secretish: { type: string } }
          steps:
            - { id: log, name: Log, action: debug:log, input: { message: hello } }
        ---
        """);
    y.append(template("tpl-wait", "- { id: wait, name: Wait, action: debug:wait, input: { milliseconds: 1 } }"));
    y.append("---\n");
    y.append(template("tpl-b", "group:default/team-b",
        "- { id: log, name: Log, action: debug:log, input: { message: hello } }"));
    return y.toString();
  }

  private static String component(String name, String owner, String type) {
    return """
        apiVersion: backstage.io/v1alpha1
        kind: Component
        metadata: { name: %s, description: payments component %s }
        spec: { type: %s, lifecycle: production, owner: %s }
        ---
        """.formatted(name, name, type, owner);
  }

  // ---- helpers ------------------------------------------------------------------------------------

  private LoopbackHttp.Response get(String path, String token) {
    return http.get(path, "Authorization", token);
  }

  private LoopbackHttp.Response post(String path, String body, String token) {
    return http.post(path, body, "Authorization", token);
  }

  /** Every entity ref the caller sees, by paging through by-query three at a time. */
  private List<String> pagedRefs(String token, String query) {
    return http.byQueryPages(token, 3, query).refs();
  }

  /** What alice's read conditions allow, computed from bob's unrestricted view. */
  private Set<String> aliceVisible() {
    Set<String> out = new TreeSet<>();
    for (JsonNode e : get("/api/catalog/entities", bob).json()) {
      boolean owned = false;
      for (JsonNode rel : e.path("relations")) {
        String target = rel.path("targetRef").asText();
        owned |= rel.path("type").asText().equals("ownedBy")
            && (target.equals("user:default/alice") || target.equals("group:default/team-a"));
      }
      if (owned || e.path("kind").asText().equals("API")) {
        out.add(ref(e));
      }
    }
    return out;
  }

  // ---- reads --------------------------------------------------------------------------------------

  @Test
  void a_conditional_read_gives_exact_totals_pages_and_cursors() {
    Set<String> expected = aliceVisible();
    assertEquals(11, expected.size(), expected.toString()); // 7 team-a components, 2 templates, both APIs
    assertEquals(expected, new TreeSet<>(pagedRefs(alice, "")));
    List<String> all = pagedRefs(bob, "");
    assertTrue(all.size() > expected.size() + 8, "bob reads the whole catalog: " + all.size());
    // with a filter of the caller's own, the permission filter still applies before counting
    List<String> services = pagedRefs(alice, "&filter=kind=component,spec.type=service");
    assertEquals(List.of("component:default/a-0", "component:default/a-2", "component:default/a-4",
        "component:default/a-6"), services);
    // GET /entities lists the same part
    assertEquals(expected.size(), get("/api/catalog/entities", alice).json().size());
  }

  @Test
  void facets_count_only_what_the_caller_may_read() {
    JsonNode facets = get("/api/catalog/entity-facets?facet=kind&facet=spec.type", alice).json().path("facets");
    Map<String, Integer> kinds = new TreeMap<>();
    facets.path("kind").forEach(f -> kinds.put(f.path("value").asText(), f.path("count").asInt()));
    assertEquals(Map.of("API", 2, "Component", 7, "Template", 2), kinds);
    Map<String, Integer> types = new TreeMap<>();
    facets.path("spec.type").forEach(f -> types.put(f.path("value").asText(), f.path("count").asInt()));
    assertEquals(Map.of("openapi", 2, "service", 6, "website", 3), types);
    JsonNode bobKinds = get("/api/catalog/entity-facets?facet=kind", bob).json().at("/facets/kind");
    int bobComponents = 0;
    for (JsonNode f : bobKinds) {
      bobComponents += f.path("value").asText().equals("Component") ? f.path("count").asInt() : 0;
    }
    assertEquals(12, bobComponents);
  }

  @Test
  void search_results_and_counts_are_the_callers_own() {
    JsonNode counted = get("/api/search/query?term=payments&pageLimit=0", alice).json();
    assertEquals(9, counted.path("numberOfResults").asInt(), counted.toString()); // 7 components + 2 APIs
    JsonNode page = get("/api/search/query?term=payments&pageLimit=100", alice).json();
    assertEquals(9, page.path("results").size());
    page.path("results").forEach(r -> assertFalse(r.at("/document/location").asText().contains("/b-"), r.toString()));
    assertEquals(14, get("/api/search/query?term=payments&pageLimit=0", bob).json().path("numberOfResults").asInt());
  }

  @Test
  void a_hidden_entity_is_never_returned_by_name_uid_refs_or_ancestry() {
    String uid = get("/api/catalog/entities/by-name/component/default/b-1", bob).json().at("/metadata/uid").asText();
    assertEquals(404, get("/api/catalog/entities/by-name/component/default/b-1", alice).status());
    assertEquals(404, get("/api/catalog/entities/by-uid/" + uid, alice).status());
    assertEquals(200, get("/api/catalog/entities/by-uid/" + uid, bob).status());
    assertEquals(200, get("/api/catalog/entities/by-name/component/default/a-1", alice).status());
    assertEquals(200, get("/api/catalog/entities/by-name/api/default/api-b", alice).status());
    JsonNode refs = post("/api/catalog/entities/by-refs",
        "{\"entityRefs\":[\"component:default/a-1\",\"component:default/b-1\",\"api:default/api-b\"]}", alice)
        .json().path("items");
    assertEquals(3, refs.size());
    assertEquals("a-1", refs.get(0).at("/metadata/name").asText());
    assertTrue(refs.get(1).isNull(), "a hidden entity is a null slot");
    assertEquals("api-b", refs.get(2).at("/metadata/name").asText());
    assertNotAllowed(get("/api/catalog/entities/by-name/component/default/b-1/ancestry", alice));
    assertEquals(200, get("/api/catalog/entities/by-name/component/default/a-1/ancestry", alice).status());
  }

  @Test
  void processing_errors_show_a_restricted_caller_only_what_it_may_read() {
    JsonNode all = get("/api/catalog/processing-errors", bob).json().path("items");
    assertTrue(all.toString().contains("component:default/b-broken"), all.toString());
    JsonNode mine = get("/api/catalog/processing-errors", alice).json().path("items");
    assertFalse(mine.toString().contains("b-broken"), "an error about team-b's entity is not alice's to see: " + mine);
    assertTrue(mine.size() < all.size());
  }

  // ---- authorize ----------------------------------------------------------------------------------

  @Test
  void authorize_answers_the_policy_and_resolves_conditions_against_the_entity() {
    Map<String, String> a = decisions(http, alice,
        resource("del-own", "catalog.entity.delete", "delete", "component:default/a-1"),
        resource("del-other", "catalog.entity.delete", "delete", "component:default/b-1"),
        resource("read-api", "catalog.entity.read", "read", "api:default/api-b"),
        resource("refresh-own", "catalog.entity.refresh", "update", "component:default/a-1"),
        basic("create", "catalog.entity.create", "create"),
        basic("task", "scaffolder.task.create", "create"));
    assertEquals(Map.of("del-own", "ALLOW", "del-other", "DENY", "read-api", "ALLOW", "refresh-own", "ALLOW",
        "create", "DENY", "task", "ALLOW"), a);
    Map<String, String> b = decisions(http, bob,
        resource("del", "catalog.entity.delete", "delete", "component:default/b-1"),
        resource("read", "catalog.entity.read", "read", "component:default/a-1"),
        basic("task", "scaffolder.task.create", "create"));
    assertEquals(Map.of("del", "DENY", "read", "ALLOW", "task", "DENY"), b);
    LoopbackHttp.Response noRef = post("/api/permission/authorize",
        "{\"items\":[" + resource("x", "catalog.entity.read", "read", null) + "]}", alice);
    assertEquals(400, noRef.status(), noRef.body());
    assertEquals("InputError", noRef.json().at("/error/name").asText());
  }

  @Test
  void admin_users_read_the_whole_catalog_and_nothing_more() {
    Map<String, String> d = decisions(http, admin,
        resource("read", "catalog.entity.read", "read", "component:default/b-1"),
        resource("delete", "catalog.entity.delete", "delete", "component:default/b-1"));
    assertEquals(Map.of("read", "ALLOW", "delete", "DENY"), d);
    assertEquals(get("/api/catalog/entities", bob).json().size(), get("/api/catalog/entities", admin).json().size());
  }

  // ---- writes and the audit trail -----------------------------------------------------------------

  @Test
  void a_denied_delete_answers_403_and_writes_exactly_one_audit_line() {
    String uid = get("/api/catalog/entities/by-name/component/default/b-2", bob).json().at("/metadata/uid").asText();
    int before = auditLines(auditFile).size();
    LoopbackHttp.Response r = http.send("DELETE", "/api/catalog/entities/by-uid/" + uid, null,
        "Authorization", alice, "User-Agent", "permission-test");
    assertNotAllowed(r);
    assertEquals("", r.json().at("/error/message").asText());
    List<String> lines = auditLines(auditFile);
    assertEquals(before + 1, lines.size(), lines.toString());
    JsonNode line = LoopbackHttp.json(lines.get(lines.size() - 1));
    assertFields(line, "/eventId", "entity-mutate", "/plugin", "catalog", "/severityLevel", "medium",
        "/status", "failed", "/actor/actorId", "user:default/alice", "/actor/ip", "127.0.0.1",
        "/request/method", "DELETE", "/request/url", "/api/catalog/entities/by-uid/" + uid, "/meta/uid", uid);
    assertFalse(String.join("\n", lines).contains(alice.substring(7)), "no token in the audit trail");
    // bob's delete is denied by a deny line
    assertNotAllowed(http.send("DELETE", "/api/catalog/entities/by-uid/" + uid, null, "Authorization", bob));
    // the owner may refresh its own entity, not another team's
    assertEquals(200, post("/api/catalog/refresh", "{\"entityRef\":\"component:default/a-3\"}", alice).status());
    assertNotAllowed(post("/api/catalog/refresh", "{\"entityRef\":\"component:default/b-3\"}", alice));
    List<String> after = auditLines(auditFile);
    assertEquals("succeeded", LoopbackHttp.json(after.get(after.size() - 2)).path("status").asText());
  }

  @Test
  void location_permissions_hide_and_refuse() {
    assertEquals(200, get("/api/catalog/locations", alice).status());
    assertEquals(0, get("/api/catalog/locations", alice).json().size());
    JsonNode byQuery = post("/api/catalog/locations/by-query", "{}", alice).json();
    assertEquals(0, byQuery.path("totalItems").asInt());
    String id = "7b4f3f6e-0000-4000-8000-000000000000";
    LoopbackHttp.Response hidden = get("/api/catalog/locations/" + id, alice);
    assertEquals(404, hidden.status());
    assertEquals("Found no location with ID " + id, hidden.json().at("/error/message").asText());
    assertEquals(200, post("/api/catalog/locations/by-query", "{}", bob).status());
    int before = auditLines(auditFile).size();
    assertNotAllowed(post("/api/catalog/locations", "{\"type\":\"url\",\"target\":\"https://example.com/c.yaml\"}",
        alice));
    assertEquals(before + 1, auditLines(auditFile).size());
    JsonNode line = LoopbackHttp.json(auditLines(auditFile).get(before));
    assertFields(line, "/eventId", "location-mutate", "/status", "failed");
    assertNotAllowed(http.send("DELETE", "/api/catalog/locations/" + id, null, "Authorization", alice));
  }

  @Test
  void in_readonly_mode_location_writes_say_so_before_the_permission_is_checked() throws IOException {
    Path conditions = tmp.resolve("rbac-conditional-policies.yaml");
    try (Application readonly = Application.start(config("readonly", """
        auth:
          providers:
            guest:
              userEntityRef: user:default/alice
              ownershipEntityRefs: [user:default/alice, group:default/team-a]
        catalog:
          readonly: true
        permission:
          enabled: true
          rbac:
            policies-csv-file: %s
            conditionalPoliciesFile: %s
        """.formatted(policyCsv, conditions)), false, n -> null)) {
      LoopbackHttp h = new LoopbackHttp("http://127.0.0.1:" + readonly.port());
      String token = guestToken(h);
      String location = "{\"type\":\"url\",\"target\":\"https://example.com/c.yaml\"}";
      String id = "7b4f3f6e-0000-4000-8000-000000000000";
      // alice's role denies catalog.location.create and has no catalog.location.delete line
      for (LoopbackHttp.Response r : List.of(h.post("/api/catalog/locations", location, "Authorization", token),
          h.send("PUT", "/api/catalog/locations/" + id, location, "Authorization", token),
          h.send("DELETE", "/api/catalog/locations/" + id, null, "Authorization", token))) {
        assertNotAllowed(r);
        assertEquals("This operation not allowed in readonly mode", r.json().at("/error/message").asText());
      }
      // a dry run is allowed in readonly mode, so the permission answers
      LoopbackHttp.Response dryRun = h.post("/api/catalog/locations?dryRun=true", location, "Authorization", token);
      assertNotAllowed(dryRun);
      assertEquals("", dryRun.json().at("/error/message").asText());
    }
  }

  // ---- scaffolder ---------------------------------------------------------------------------------

  @Test
  void templates_the_caller_cannot_read_are_not_listed_and_cannot_run() {
    JsonNode templates = get("/api/catalog/entities/by-query?filter=kind=template", alice).json();
    List<String> names = new ArrayList<>();
    templates.path("items").forEach(t -> names.add(t.at("/metadata/name").asText()));
    assertEquals(List.of("tpl-a", "tpl-wait"), names.stream().sorted().toList());
    assertEquals(2, templates.path("totalItems").asInt());
    assertEquals(404, get("/api/scaffolder/v2/templates/default/template/tpl-b/parameter-schema", alice).status());
    assertEquals(404, post("/api/scaffolder/v2/tasks", "{\"templateRef\":\"template:default/tpl-b\",\"values\":{}}",
        alice).status());
    // a parameter page tagged "restricted" is not shown to alice
    JsonNode schema = get("/api/scaffolder/v2/templates/default/template/tpl-a/parameter-schema", alice).json();
    assertEquals(1, schema.path("steps").size(), schema.toString());
    assertEquals("Basics", schema.at("/steps/0/title").asText());
    // bob may not create tasks at all
    assertNotAllowed(post("/api/scaffolder/v2/tasks", "{\"templateRef\":\"template:default/tpl-a\",\"values\":{}}", bob));
  }

  @Test
  void a_task_is_read_and_cancelled_by_its_creator_and_actions_are_checked_per_step() {
    int before = auditLines(auditFile).size();
    LoopbackHttp.Response created = post("/api/scaffolder/v2/tasks",
        "{\"templateRef\":\"template:default/tpl-a\",\"values\":{\"name\":\"x\"},\"secrets\":{\"pat\":\"s3cr3t-value\"}}",
        alice);
    assertEquals(201, created.status(), created.body());
    String id = created.json().path("id").asText();
    JsonNode task = LoopbackHttp.await(() -> {
      JsonNode t = get("/api/scaffolder/v2/tasks/" + id, alice).json();
      return t.path("status").asText().matches("completed|failed") ? t : null;
    }, "the task finishes");
    assertEquals("completed", task.path("status").asText(), task.toString());
    assertNotAllowed(get("/api/scaffolder/v2/tasks/" + id, bob));
    assertNotAllowed(get("/api/scaffolder/v2/tasks/" + id + "/events", bob));
    assertNotAllowed(get("/api/scaffolder/v2/tasks/" + id + "/eventstream", bob));
    assertNotAllowed(post("/api/scaffolder/v2/tasks/" + id + "/cancel", "{}", bob));
    assertEquals(200, get("/api/scaffolder/v2/tasks/" + id + "/events", alice).status());
    assertEquals(200, post("/api/scaffolder/v2/tasks/" + id + "/cancel", "{}", alice).status());
    assertEquals(0, get("/api/scaffolder/v2/tasks", bob).json().path("totalTasks").asInt());
    assertTrue(get("/api/scaffolder/v2/tasks", alice).json().path("totalTasks").asInt() >= 1);
    // debug:wait is not among alice's allowed actions: its step fails as it is about to run
    String waitId = post("/api/scaffolder/v2/tasks", "{\"templateRef\":\"template:default/tpl-wait\",\"values\":{}}",
        alice).json().path("id").asText();
    JsonNode waited = LoopbackHttp.await(() -> {
      JsonNode t = get("/api/scaffolder/v2/tasks/" + waitId, alice).json();
      return t.path("status").asText().matches("completed|failed") ? t : null;
    }, "the second task finishes");
    assertEquals("failed", waited.path("status").asText());
    String events = get("/api/scaffolder/v2/tasks/" + waitId + "/events", alice).body();
    assertTrue(events.contains("Unauthorized action: debug:wait"), events);
    // task actions are audited, and no secret reaches the trail
    List<String> lines = auditLines(auditFile).subList(before, auditLines(auditFile).size());
    assertTrue(lines.stream().map(LoopbackHttp::json).anyMatch(l -> l.path("eventId").asText().equals("task")
        && l.at("/meta/actionType").asText().equals("create") && l.at("/meta/taskId").asText().equals(id)), lines.toString());
    assertFalse(String.join("\n", lines).contains("s3cr3t-value"));
  }

  // ---- policy reload ------------------------------------------------------------------------------

  @Test
  void a_changed_policy_file_is_in_effect_without_a_restart() throws IOException {
    String create = basic("create", "catalog.entity.create", "create");
    assertEquals("DENY", decisions(http, alice, create).get("create"));
    Files.writeString(policyCsv, CSV + "p, role:default/developer, catalog.entity.create, create, allow\n");
    try {
      LoopbackHttp.awaitTrue(() -> "ALLOW".equals(decisions(http, alice, create).get("create")),
          "the new line applies");
    } finally {
      Files.writeString(policyCsv, CSV);
    }
    LoopbackHttp.awaitTrue(() -> "DENY".equals(decisions(http, alice, create).get("create")), "the old policy is back");
  }

  // ---- permissions off ----------------------------------------------------------------------------

  @Test
  void with_permissions_off_every_user_reads_and_may_everything() throws IOException {
    Path catalog = tmp.resolve("catalog-info.yaml");
    try (Application off = Application.start(config("off", """
        auth:
          providers:
            guest:
              userEntityRef: user:default/alice
        catalog:
          locations:
            - { type: file, target: %s }
        permission:
          rbac:
            policies-csv-file: %s
        """.formatted(catalog, policyCsv)), false, n -> null)) {
      LoopbackHttp h = new LoopbackHttp("http://127.0.0.1:" + off.port());
      String token = guestToken(h);
      LoopbackHttp.awaitTrue(() -> h.get("/api/catalog/entities/by-name/component/default/b-4", "Authorization", token)
          .status() == 200, "ingested");
      assertEquals(get("/api/catalog/entities", bob).json().size(),
          h.get("/api/catalog/entities", "Authorization", token).json().size());
      assertEquals("ALLOW",
          decisions(h, token, resource("x", "catalog.entity.delete", "delete", "component:default/b-1")).get("x"));
      String uid = h.get("/api/catalog/entities/by-name/component/default/b-1", "Authorization", token).json()
          .at("/metadata/uid").asText();
      assertEquals(204, h.send("DELETE", "/api/catalog/entities/by-uid/" + uid, null, "Authorization", token).status());
    }
  }
}
