package org.meshportal.catalog.permission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.meshportal.catalog.testing.AccessChecks.assertFields;
import static org.meshportal.catalog.testing.AccessChecks.assertNotAllowed;
import static org.meshportal.catalog.testing.AccessChecks.auditLines;
import static org.meshportal.catalog.testing.AccessChecks.basic;
import static org.meshportal.catalog.testing.AccessChecks.decisions;
import static org.meshportal.catalog.testing.AccessChecks.resource;
import static org.meshportal.catalog.testing.LoopbackHttp.ref;
import static org.meshportal.catalog.testing.OidcPopup.bearer;
import static org.meshportal.catalog.testing.OidcPopup.environment;
import static org.meshportal.catalog.testing.OidcPopup.serverYaml;
import static org.meshportal.catalog.testing.OidcPopup.signIn;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
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

/**
 * The RBAC policy over HTTP for users signed in through the real OIDC flow (mock-oauth2-server on
 * loopback, the popup flow, catalog sign-in resolvers), under a CSV and a conditional policy.
 * Roles come from catalog groups: jane is a member of a Platform Mesh account team whose parent
 * account holds her role (owner-only reads, writes on what she owns); omar's direct group holds an
 * operator role (reads everything, registers locations, never deletes); sam, signed in without a
 * catalog user, has no role at all.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class OidcPermissionsHttpTest {
  private static final String TEAM = "group:platform-mesh/acme.team-payments";
  private static final String ACCOUNT = "group:platform-mesh/acme";
  private static final String OTHER_TEAM = "group:platform-mesh/acme.team-orders";

  private static final String CSV = """
      # account members: the role is bound to the account, a parent of each team
      p, role:default/account-member, catalog-entity, read, allow
      p, role:default/account-member, catalog-entity, update, allow
      p, role:default/account-member, catalog-entity, delete, allow
      g, group:platform-mesh/acme, role:default/account-member
      # operators: a direct group
      p, role:default/operator, catalog-entity, read, allow
      p, role:default/operator, catalog.location.read, read, allow
      p, role:default/operator, catalog.location.create, create, allow
      p, role:default/operator, catalog.entity.delete, delete, deny
      g, group:default/operators, role:default/operator
      """;
  private static final String CONDITIONS = """
      ---
      result: CONDITIONAL
      roleEntityRef: role:default/account-member
      pluginId: catalog
      resourceType: catalog-entity
      permissionMapping: [read]
      conditions:
        anyOf:
          - { rule: IS_ENTITY_OWNER, resourceType: catalog-entity, params: { claims: [$ownerRefs] } }
          - { rule: IS_ENTITY_KIND, resourceType: catalog-entity, params: { kinds: [API] } }
      ---
      result: CONDITIONAL
      roleEntityRef: role:default/account-member
      pluginId: catalog
      resourceType: catalog-entity
      permissionMapping: [update, delete]
      conditions: { rule: IS_ENTITY_OWNER, resourceType: catalog-entity, params: { claims: [$ownerRefs] } }
      """;

  @TempDir static Path tmp;
  @AutoClose("shutdown") private MockOAuth2Server idp;
  @AutoClose private Application app;
  private String base;
  private LoopbackHttp http;
  private Path auditFile;
  private Browser janeBrowser;
  private JsonNode janeIdentity;
  private String jane;
  private String omar;
  private String sam;

  @BeforeAll
  void start() throws IOException {
    idp = OidcPopup.startProvider();
    Path catalog = Files.writeString(tmp.resolve("catalog-info.yaml"), catalogYaml());
    Path csv = Files.writeString(tmp.resolve("rbac-policy.csv"), CSV);
    Path conditions = Files.writeString(tmp.resolve("rbac-conditional-policies.yaml"), CONDITIONS);
    Files.createDirectories(tmp.resolve("extra"));
    Files.writeString(tmp.resolve("extra").resolve("extra.yaml"), """
        apiVersion: backstage.io/v1alpha1
        kind: Component
        metadata: { name: ops-console }
        spec: { type: website, lifecycle: experimental, owner: group:default/operators }
        """);
    auditFile = tmp.resolve("audit").resolve("audit.log");
    int port = LoopbackHttp.freePort();
    base = "http://127.0.0.1:" + port;
    Path server = Files.writeString(tmp.resolve("app-config.yaml"), serverYaml(base, port, tmp.resolve("data"), catalog,
        environment(idp, "development", "{resolver: emailMatchingUserEntityProfileEmail}"),
        environment(idp, "lenient",
            "{resolver: emailLocalPartMatchingUserEntityName, dangerouslyAllowSignInWithoutUserInCatalog: true}")));
    Path permission = Files.writeString(tmp.resolve("permission.yaml"), """
        backend:
          reading: { directories: ['%s'] }
          auditor: { file: '%s' }
        permission:
          enabled: true
          decisionCacheTtl: { milliseconds: 50 }
          rbac:
            policies-csv-file: '%s'
            conditionalPoliciesFile: '%s'
        """.formatted(tmp.resolve("extra"), auditFile, csv, conditions));
    app = Application.start(List.of(server, permission), false, name -> null);
    http = new LoopbackHttp(base);

    janeBrowser = new Browser();
    janeIdentity = signIn(janeBrowser, idp, base, "development", "jane-sub", "jane@example.com");
    jane = bearer(janeIdentity);
    omar = bearer(signIn(new Browser(), idp, base, "development", "omar-sub", "omar@example.com"));
    sam = bearer(signIn(new Browser(), idp, base, "lenient", "sam-sub", "sam@example.com"));
    LoopbackHttp.awaitTrue(() -> get("/api/catalog/entities/by-name/component/default/ord-4", omar).status() == 200,
        "the catalog file is ingested");
  }

  private static String catalogYaml() {
    StringBuilder y = new StringBuilder("""
        apiVersion: backstage.io/v1alpha1
        kind: Group
        metadata: { name: acme, namespace: platform-mesh, annotations: { kcp.io/path: 'root:orgs:acme' } }
        spec: { type: platform-mesh-account, children: [] }
        ---
        apiVersion: backstage.io/v1alpha1
        kind: Group
        metadata: { name: acme.team-payments, namespace: platform-mesh,
                    annotations: { kcp.io/path: 'root:orgs:acme:team-payments' } }
        spec: { type: platform-mesh-account, parent: 'group:platform-mesh/acme', children: [] }
        ---
        apiVersion: backstage.io/v1alpha1
        kind: Group
        metadata: { name: acme.team-orders, namespace: platform-mesh }
        spec: { type: platform-mesh-account, parent: 'group:platform-mesh/acme', children: [] }
        ---
        apiVersion: backstage.io/v1alpha1
        kind: Group
        metadata: { name: operators }
        spec: { type: team, children: [] }
        ---
        apiVersion: backstage.io/v1alpha1
        kind: User
        metadata: { name: jane }
        spec: { profile: { email: jane@example.com }, memberOf: ['group:platform-mesh/acme.team-payments'] }
        ---
        apiVersion: backstage.io/v1alpha1
        kind: User
        metadata: { name: omar }
        spec: { profile: { email: omar@example.com }, memberOf: [operators] }
        ---
        """);
    for (int i = 0; i < 7; i++) {
      y.append(component("pay-" + i, TEAM, i % 2 == 0 ? "service" : "website"));
    }
    y.append(component("acme-shared", ACCOUNT, "library"));
    for (int i = 0; i < 5; i++) {
      y.append(component("ord-" + i, OTHER_TEAM, "service"));
    }
    for (String[] api : List.of(new String[] {"api-payments", TEAM}, new String[] {"api-orders", OTHER_TEAM})) {
      y.append("""
          apiVersion: backstage.io/v1alpha1
          kind: API
          metadata: { name: %s }
          spec: { type: openapi, lifecycle: production, owner: '%s', definition: "openapi: 3.0.0" }
          ---
          """.formatted(api[0], api[1]));
    }
    return y.toString();
  }

  private static String component(String name, String owner, String type) {
    return """
        apiVersion: backstage.io/v1alpha1
        kind: Component
        metadata: { name: %s }
        spec: { type: %s, lifecycle: production, owner: '%s' }
        ---
        """.formatted(name, type, owner);
  }

  // ---- helpers ------------------------------------------------------------------------------------

  private LoopbackHttp.Response get(String path, String token) {
    return http.get(path, "Authorization", token);
  }

  private LoopbackHttp.Response post(String path, String body, String token) {
    return http.post(path, body, "Authorization", token);
  }

  /** Every entity ref the caller sees, paging through by-query three at a time. */
  private List<String> pagedRefs(String token, String query) {
    LoopbackHttp.Pages pages = http.byQueryPages(token, 3, query);
    assertEquals((pages.items().size() + 2) / 3, pages.pages(), "full pages of three, then the rest");
    return pages.refs();
  }

  /** What jane's owner-only read allows, computed from omar's unrestricted view of the catalog. */
  private Set<String> janeVisible() {
    Set<String> owners = Set.of("user:default/jane", TEAM, ACCOUNT);
    Set<String> out = new TreeSet<>();
    for (JsonNode e : get("/api/catalog/entities", omar).json()) {
      boolean owned = false;
      for (JsonNode rel : e.path("relations")) {
        owned |= rel.path("type").asText().equals("ownedBy") && owners.contains(rel.path("targetRef").asText());
      }
      if (owned || e.path("kind").asText().equals("API")) {
        out.add(ref(e));
      }
    }
    return out;
  }

  // ---- identity -----------------------------------------------------------------------------------

  @Test
  void the_tokens_carry_each_users_catalog_groups_up_the_tree() throws Exception {
    assertEquals("user:default/jane", janeIdentity.at("/identity/userEntityRef").asText());
    assertEquals(List.of("user:default/jane", TEAM, ACCOUNT),
        SignedJWT.parse(jane.substring(7)).getJWTClaimsSet().getStringListClaim("ent"));
    assertEquals(List.of("user:default/omar", "group:default/operators"),
        SignedJWT.parse(omar.substring(7)).getJWTClaimsSet().getStringListClaim("ent"));
    assertEquals(List.of("user:default/sam"), SignedJWT.parse(sam.substring(7)).getJWTClaimsSet().getStringListClaim("ent"));
  }

  // ---- reads --------------------------------------------------------------------------------------

  @Test
  void an_owner_only_read_through_the_parent_account_gives_exact_totals_and_pages() {
    Set<String> expected = janeVisible();
    // 7 of her team's components, the account's own component (a parent group she owns through), both APIs
    assertEquals(10, expected.size(), expected.toString());
    assertTrue(expected.contains("component:default/acme-shared"));
    assertEquals(expected, new TreeSet<>(pagedRefs(jane, "")));
    assertEquals(List.of("component:default/pay-0", "component:default/pay-2", "component:default/pay-4",
        "component:default/pay-6"), pagedRefs(jane, "&filter=kind=component,spec.type=service"));
    assertEquals(expected.size(), get("/api/catalog/entities", jane).json().size());
    Map<String, Integer> kinds = new TreeMap<>();
    get("/api/catalog/entity-facets?facet=kind", jane).json().at("/facets/kind")
        .forEach(f -> kinds.put(f.path("value").asText(), f.path("count").asInt()));
    assertEquals(Map.of("API", 2, "Component", 8), kinds);
    // omar's operator role reads everything: 13 components, 2 APIs, 4 groups, 2 users (the component
    // another test registers is experimental)
    List<String> all = pagedRefs(omar, "&filter=kind=component,spec.lifecycle=production&filter=kind=api"
        + "&filter=kind=group&filter=kind=user");
    assertEquals(21, all.size(), all.toString());
  }

  @Test
  void a_hidden_entity_is_404_by_name_and_uid_and_a_null_slot_by_refs() {
    String uid = get("/api/catalog/entities/by-name/component/default/ord-1", omar).json().at("/metadata/uid").asText();
    assertEquals(404, get("/api/catalog/entities/by-name/component/default/ord-1", jane).status());
    assertEquals(404, get("/api/catalog/entities/by-uid/" + uid, jane).status());
    assertEquals(200, get("/api/catalog/entities/by-uid/" + uid, omar).status());
    assertEquals(200, get("/api/catalog/entities/by-name/api/default/api-orders", jane).status());
    JsonNode items = post("/api/catalog/entities/by-refs", "{\"entityRefs\":[\"component:default/pay-1\","
        + "\"component:default/ord-1\",\"component:default/acme-shared\",\"api:default/api-orders\"]}", jane)
        .json().path("items");
    assertEquals(4, items.size());
    assertEquals("pay-1", items.get(0).at("/metadata/name").asText());
    assertTrue(items.get(1).isNull(), "a hidden entity is a null slot: " + items.get(1));
    assertEquals("acme-shared", items.get(2).at("/metadata/name").asText());
    assertEquals("api-orders", items.get(3).at("/metadata/name").asText());
  }

  @Test
  void a_signed_in_user_without_any_role_reads_nothing() {
    assertEquals(0, get("/api/catalog/entities", sam).json().size());
    JsonNode page = get("/api/catalog/entities/by-query", sam).json();
    assertEquals(0, page.path("totalItems").asInt());
    assertEquals(0, page.path("items").size());
    assertEquals(404, get("/api/catalog/entities/by-name/api/default/api-orders", sam).status());
    assertEquals(Map.of("read", "DENY", "create", "DENY"), decisions(http, sam,
        resource("read", "catalog.entity.read", "read", "api:default/api-orders"),
        basic("create", "catalog.location.create", "create")));
  }

  @Test
  void a_refreshed_session_keeps_the_users_permissions() {
    HttpResponse<String> refreshed = janeBrowser.get(base + "/api/auth/oidc/refresh?optional&env=development",
        "X-Requested-With", "XMLHttpRequest");
    assertEquals(200, refreshed.statusCode(), refreshed.body());
    String fresh = bearer(LoopbackHttp.json(refreshed.body()).path("backstageIdentity"));
    assertNotEquals(jane, fresh);
    assertEquals(10, get("/api/catalog/entities/by-query?limit=1", fresh).json().path("totalItems").asInt());
  }

  // ---- writes and the audit trail -----------------------------------------------------------------

  @Test
  void a_denied_delete_answers_403_and_writes_exactly_one_audit_line_naming_the_oidc_user() {
    String uid = get("/api/catalog/entities/by-name/component/default/ord-2", omar).json().at("/metadata/uid").asText();
    int before = auditLines(auditFile).size();
    LoopbackHttp.Response r = http.send("DELETE", "/api/catalog/entities/by-uid/" + uid, null,
        "Authorization", jane, "User-Agent", "oidc-permission-test");
    assertNotAllowed(r);
    assertEquals("", r.json().at("/error/message").asText());
    List<String> lines = auditLines(auditFile);
    assertEquals(before + 1, lines.size(), lines.toString());
    JsonNode line = LoopbackHttp.json(lines.get(before));
    assertFields(line, "/plugin", "catalog", "/eventId", "entity-mutate", "/status", "failed",
        "/error", "NotAllowedError", "/actor/actorId", "user:default/jane",
        "/actor/userAgent", "oidc-permission-test", "/request/url", "/api/catalog/entities/by-uid/" + uid);
    assertFalse(String.join("\n", lines).contains(jane.substring(7)), "no token in the audit trail");
    assertEquals(200, get("/api/catalog/entities/by-uid/" + uid, omar).status(), "nothing was deleted");
    // omar reads it but his role denies deletes
    assertNotAllowed(http.send("DELETE", "/api/catalog/entities/by-uid/" + uid, null, "Authorization", omar));
  }

  @Test
  void refresh_is_allowed_on_what_the_user_owns_through_its_groups_and_refused_elsewhere() {
    assertEquals(200, post("/api/catalog/refresh", "{\"entityRef\":\"component:default/pay-3\"}", jane).status());
    assertEquals(200, post("/api/catalog/refresh", "{\"entityRef\":\"component:default/acme-shared\"}", jane).status());
    int before = auditLines(auditFile).size();
    assertNotAllowed(post("/api/catalog/refresh", "{\"entityRef\":\"component:default/ord-3\"}", jane));
    assertEquals(before + 1, auditLines(auditFile).size());
    assertEquals("failed", LoopbackHttp.json(auditLines(auditFile).get(before)).path("status").asText());
  }

  @Test
  void registering_a_location_needs_catalog_location_create_only() {
    String location = "{\"type\":\"file\",\"target\":\"" + tmp.resolve("extra").resolve("extra.yaml") + "\"}";
    int before = auditLines(auditFile).size();
    LoopbackHttp.Response denied = post("/api/catalog/locations", location, jane);
    assertNotAllowed(denied);
    assertEquals(before + 1, auditLines(auditFile).size());
    assertEquals("location-mutate", LoopbackHttp.json(auditLines(auditFile).get(before)).path("eventId").asText());
    // omar has catalog.location.create and no catalog.entity.create line: Backstage's routes never check the latter
    assertEquals("DENY", decisions(http, omar, basic("c", "catalog.entity.create", "create")).get("c"));
    LoopbackHttp.Response created = post("/api/catalog/locations", location, omar);
    assertEquals(201, created.status(), created.body());
    assertEquals(200, get("/api/catalog/entities/by-name/component/default/ops-console", omar).status());
    assertEquals(404, get("/api/catalog/entities/by-name/component/default/ops-console", jane).status());
    List<String> after = auditLines(auditFile);
    assertEquals("succeeded", LoopbackHttp.json(after.get(after.size() - 1)).path("status").asText());
    // locations are hidden from jane (no catalog.location.read), listed for omar
    assertEquals(0, get("/api/catalog/locations", jane).json().size());
    assertTrue(get("/api/catalog/locations", omar).json().size() >= 1);
  }

  // ---- authorize ----------------------------------------------------------------------------------

  @Test
  void authorize_answers_for_oidc_users_from_their_catalog_groups() {
    assertEquals(Map.of("del-own", "ALLOW", "del-account", "ALLOW", "del-other", "DENY", "read-api", "ALLOW",
        "read-other", "DENY", "refresh-own", "ALLOW", "location", "DENY", "create", "DENY"), decisions(http, jane,
        resource("del-own", "catalog.entity.delete", "delete", "component:default/pay-1"),
        resource("del-account", "catalog.entity.delete", "delete", "component:default/acme-shared"),
        resource("del-other", "catalog.entity.delete", "delete", "component:default/ord-1"),
        resource("read-api", "catalog.entity.read", "read", "api:default/api-orders"),
        resource("read-other", "catalog.entity.read", "read", "component:default/ord-1"),
        resource("refresh-own", "catalog.entity.refresh", "update", "component:default/pay-1"),
        basic("location", "catalog.location.create", "create"),
        basic("create", "catalog.entity.create", "create")));
    assertEquals(Map.of("del", "DENY", "read", "ALLOW", "refresh", "DENY", "location", "ALLOW"), decisions(http, omar,
        resource("del", "catalog.entity.delete", "delete", "component:default/pay-1"),
        resource("read", "catalog.entity.read", "read", "component:default/ord-1"),
        resource("refresh", "catalog.entity.refresh", "update", "component:default/ord-1"),
        basic("location", "catalog.location.create", "create")));
  }
}
