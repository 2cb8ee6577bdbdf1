package org.meshportal.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.meshportal.testfixtures.MeshShapesRepo;

/** Shapes found in real kcp and Platform Mesh repositories (issue 15), read through the real reader. */
class MeshShapesTest {

  static final String ACME = "apiVersion: core.platform-mesh.io/v1alpha1\nkind: Account\nmetadata: {name: acme}\n"
      + "spec: {type: org, displayName: Acme}\n";
  static final String TEAM_A = "apiVersion: core.platform-mesh.io/v1alpha1\nkind: Account\nmetadata: {name: team-a}\n"
      + "spec: {type: account, displayName: Team A}\n";
  static final String PG_EXPORT = "apiVersion: apis.kcp.io/v1alpha1\nkind: APIExport\nmetadata: {name: pg.example.io}\n"
      + "spec: {latestResourceSchemas: []}\n";

  static Map<String, byte[]> files(String... pathAndContent) {
    Map<String, byte[]> m = new LinkedHashMap<>();
    for (int i = 0; i < pathAndContent.length; i += 2) {
      m.put(pathAndContent[i], pathAndContent[i + 1].getBytes(StandardCharsets.UTF_8));
    }
    return m;
  }

  static MeshResult read(String... pathAndContent) {
    return new MeshReader(MeshOptions.defaults()).read(MeshFiles.of(files(pathAndContent)), null, List.of());
  }

  static boolean consumes(MeshResult r, String group, String api) {
    return r.relations().contains(new MeshRelation(group, "consumesApi", api))
        && r.relations().contains(new MeshRelation(api, "apiConsumedBy", group));
  }

  @Test
  void both_binding_reference_shapes_bind_and_broken_ones_are_errors_naming_the_field() {
    MeshResult r = read(
        "kcp/root/providers/pg/apiexport.yaml", PG_EXPORT,
        "kcp/root/orgs/account-acme.yaml", ACME,
        "kcp/root/orgs/acme/account-team-a.yaml", TEAM_A,
        "kcp/root/orgs/account-globex.yaml", ACME.replace("acme", "globex"),
        // kcp's older v1alpha1 shape
        "kcp/root/orgs/acme/team-a/apibinding.yaml", "apiVersion: apis.kcp.io/v1alpha1\nkind: APIBinding\n"
            + "metadata: {name: pg}\nspec:\n  reference:\n    workspace: {path: 'root:providers:pg', exportName: pg.example.io}\n",
        // the current shape
        "kcp/root/orgs/globex/apibinding.yaml", "apiVersion: apis.kcp.io/v1alpha2\nkind: APIBinding\n"
            + "metadata: {name: pg}\nspec:\n  reference:\n    export: {path: 'root:providers:pg', name: pg.example.io}\n",
        "kcp/root/orgs/acme/bad.yaml", "apiVersion: apis.kcp.io/v1alpha1\nkind: APIBinding\nmetadata: {name: a}\n"
            + "spec: {reference: {workspace: {path: 'root:providers:pg'}}}\n---\n"
            + "apiVersion: apis.kcp.io/v1alpha1\nkind: APIBinding\nmetadata: {name: b}\n"
            + "spec: {reference: {workspace: {path: 'Root::x', exportName: pg.example.io}}}\n---\n"
            + "apiVersion: apis.kcp.io/v1alpha1\nkind: APIBinding\nmetadata: {name: c}\n"
            + "spec: {reference: {export: {name: pg.example.io}, workspace: {exportName: pg.example.io}}}\n");

    String api = "api:platform-mesh/pg_pg.example.io";
    assertTrue(consumes(r, "group:platform-mesh/acme.team-a", api), r.relations().toString());
    assertTrue(consumes(r, "group:platform-mesh/globex", api), r.relations().toString());
    assertFalse(r.problems().stream().anyMatch(p -> p.message().contains("spec.reference.export.name is missing")),
        r.problems().toString());
    List<String> bad = r.errors().stream().filter(p -> p.file().equals("kcp/root/orgs/acme/bad.yaml"))
        .map(p -> p.document() + " " + p.message()).toList();
    assertEquals(3, bad.size(), bad.toString());
    assertTrue(bad.get(0).startsWith("0 ") && bad.get(0).contains("spec.reference.workspace.exportName is missing"), bad.toString());
    assertTrue(bad.get(1).startsWith("1 ") && bad.get(1).contains("spec.reference.workspace.path 'Root::x'"), bad.toString());
    assertTrue(bad.get(2).startsWith("2 ") && bad.get(2).contains("both export and workspace"), bad.toString());
  }

  @Test
  void an_export_whose_schemas_are_missing_is_an_api_with_one_warning_per_missing_schema() throws Exception {
    MeshResult r = read(
        "kcp/root/providers/pg/apiexport.yaml", "apiVersion: apis.kcp.io/v1alpha2\nkind: APIExport\n"
            + "metadata: {name: pg.example.io}\nspec:\n  resources:\n"
            + "    - {group: pg.example.io, name: clusters, schema: v1.clusters.pg.example.io, storage: {crd: {}}}\n"
            + "    - {group: pg.example.io, name: backups, schema: v1.backups.pg.example.io, storage: {crd: {}}}\n");

    String api = "api:platform-mesh/pg_pg.example.io";
    com.fasterxml.jackson.databind.node.ObjectNode entity = r.entities().stream()
        .filter(e -> GeneratedRepoReadTest.ref(e).equals(api)).findFirst().orElseThrow();
    com.fasterxml.jackson.databind.JsonNode definition = new com.fasterxml.jackson.databind.ObjectMapper()
        .readTree(entity.path("spec").path("definition").asText());
    assertEquals(0, definition.path("paths").size());
    assertEquals("[\"v1.clusters.pg.example.io\",\"v1.backups.pg.example.io\"]",
        definition.path("info").path("x-kcp-missing-schemas").toString());
    assertTrue(definition.path("info").path("description").asText().contains("v1.backups.pg.example.io"));
    List<MeshProblem> warnings = r.warnings().stream().filter(w -> api.equals(w.entityRef())).toList();
    assertEquals(2, warnings.size(), r.problems().toString());
    assertTrue(warnings.get(0).message().contains("'v1.clusters.pg.example.io'"), warnings.toString());
    assertTrue(warnings.get(1).message().contains("'v1.backups.pg.example.io'"), warnings.toString());
    assertEquals("kcp/root/providers/pg/apiexport.yaml", warnings.get(0).file());
    assertTrue(r.errors().isEmpty(), r.errors().toString());
  }

  @Test
  void a_binding_without_an_account_belongs_to_the_nearest_account_above_or_is_reported() {
    String binding = "apiVersion: apis.kcp.io/v1alpha2\nkind: APIBinding\nmetadata: {name: pg}\n"
        + "spec: {reference: {export: {path: 'root:providers:pg', name: pg.example.io}}}\n";
    MeshResult r = read(
        "kcp/root/providers/pg/apiexport.yaml", PG_EXPORT,
        "kcp/root/orgs/account-acme.yaml", ACME,
        "kcp/root/orgs/acme/account-team-a.yaml", TEAM_A,
        // environments below team-a, and a folder below acme with no Account of its own
        "kcp/root/orgs/acme/team-a/dev/apibinding.yaml", binding,
        "kcp/root/orgs/acme/team-a/dev/eu/apibinding.yaml", binding,
        "kcp/root/orgs/acme/sandbox/apibinding.yaml", binding,
        // no account anywhere above
        "kcp/root/orgs/nobody/apibinding.yaml", binding);

    String api = "api:platform-mesh/pg_pg.example.io";
    assertTrue(consumes(r, "group:platform-mesh/acme.team-a", api), r.relations().toString());
    assertTrue(consumes(r, "group:platform-mesh/acme", api), r.relations().toString());
    String teamBindings = r.entities().stream().filter(e -> GeneratedRepoReadTest.ref(e).equals("group:platform-mesh/acme.team-a"))
        .findFirst().orElseThrow().path("metadata").path("annotations").path("platform-mesh.io/bindings").asText();
    assertTrue(teamBindings.contains("\"workspace\":\"root:orgs:acme:team-a:dev\""), teamBindings);
    assertTrue(teamBindings.contains("\"workspace\":\"root:orgs:acme:team-a:dev:eu\""), teamBindings);
    assertEquals(2, r.relations().stream().filter(x -> x.type().equals("consumesApi")).count(), r.relations().toString());
    List<MeshProblem> orphan = r.warnings().stream()
        .filter(w -> w.file().equals("kcp/root/orgs/nobody/apibinding.yaml") && w.message().startsWith("APIBinding")).toList();
    assertEquals(1, orphan.size(), r.problems().toString());
    assertTrue(orphan.get(0).message().contains("root:orgs:nobody") && orphan.get(0).message().contains("'pg.example.io'"),
        orphan.toString());
    assertFalse(r.warnings().stream().anyMatch(w -> w.file().contains("/acme/") && w.message().startsWith("APIBinding")),
        r.warnings().toString());
  }

  @Test
  void a_binding_to_an_export_not_in_the_repository_is_reported_with_file_and_export() {
    MeshResult r = read(
        "kcp/root/orgs/account-acme.yaml", ACME,
        "kcp/root/orgs/acme/bindings.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n---\n"
            + "apiVersion: apis.kcp.io/v1alpha1\nkind: APIBinding\nmetadata: {name: gone}\n"
            + "spec: {reference: {workspace: {path: 'root:providers:gone', exportName: gone.example.io}}}\n");
    List<MeshProblem> p = r.problems().stream().filter(x -> x.file().equals("kcp/root/orgs/acme/bindings.yaml")).toList();
    assertEquals(2, p.size(), r.problems().toString());
    assertEquals("WARNING kcp/root/orgs/acme/bindings.yaml#0: v1 ConfigMap 'x' is not part of the Platform Mesh mapping",
        p.get(0).toString());
    p = p.subList(1, 2);
    assertEquals(1, p.get(0).document());
    assertTrue(p.get(0).message().contains("'gone.example.io' in root:providers:gone"), p.toString());
    assertTrue(r.relations().isEmpty(), r.relations().toString());
  }

  /** The compute provider's v1alpha2 export of the fixture: one crd resource, one virtual one. */
  private static final String VIRTUAL_EXPORT = MeshShapesRepo.FILES.get("kcp/root/providers/compute/apiexport.yaml");

  private static String schema(String kind, String plural) {
    return MeshShapesRepo.schema(kind, plural);
  }

  @Test
  void virtual_storage_resources_are_marked_in_the_definition() throws Exception {
    MeshResult r = read(
        "kcp/root/providers/compute/apiexport.yaml", VIRTUAL_EXPORT,
        "kcp/root/providers/compute/schemas.yaml", schema("Machine", "machines") + "---\n" + schema("Instance", "instances"));
    assertTrue(r.problems().isEmpty(), r.problems().toString());
    String text = r.entities().stream().filter(e -> GeneratedRepoReadTest.ref(e).equals("api:platform-mesh/compute_compute.example.io"))
        .findFirst().orElseThrow().path("spec").path("definition").asText();
    com.fasterxml.jackson.databind.JsonNode def = new com.fasterxml.jackson.databind.ObjectMapper().readTree(text);
    com.fasterxml.jackson.databind.JsonNode paths = def.path("paths");
    String instances = "/apis/compute.example.io/v1/namespaces/{namespace}/instances";
    String machines = "/apis/compute.example.io/v1/namespaces/{namespace}/machines";
    assertEquals("virtual", paths.path(instances).path("x-kcp-storage").asText(), text);
    assertEquals("virtual", paths.path(instances + "/{name}").path("x-kcp-storage").asText(), text);
    assertEquals("virtual", paths.path("/apis/compute.example.io/v1/instances").path("x-kcp-storage").asText(), text);
    assertEquals("CachedResourceEndpointSlice.cache.kcp.io/instances", paths.path(instances).path("x-kcp-virtual-source").asText());
    assertTrue(paths.path(machines).isObject() && paths.path(machines).path("x-kcp-storage").isMissingNode(), text);
    assertTrue(def.path("info").path("description").asText().contains(
        "Virtual resources, not stored by kcp but served by the provider's virtual workspace: instances.compute.example.io"
            + " (served by CachedResourceEndpointSlice.cache.kcp.io/instances)."), text);
    // still a valid OpenAPI document for the frontend's viewer
    var parsed = new io.swagger.v3.parser.OpenAPIV3Parser().readContents(text);
    assertTrue(parsed.getMessages().isEmpty(), parsed.getMessages().toString());
  }

  @Test
  void go_template_placeholders_stay_text_and_crlf_files_parse() {
    String account = """
        apiVersion: core.platform-mesh.io/v1alpha1
        kind: Account
        metadata: {name: acme}
        spec:
          type: org
          displayName: '{{ .data.displayName }}'
          description: "Region {{ .data.region }} of {{ .Account.metadata.name }}"
          data:
            region: '{{ .data.region }}'
          extensions:
            - apiVersion: example.io/v1
              kind: Quota
              specGoTemplate:
                limit: '{{ .data.limit }}'
        """.replace("\n", "\r\n");
    MeshResult r = read(
        "kcp/root/orgs/account-acme.yaml", account,
        "kcp/root/providers/pg/apiexport.yaml", PG_EXPORT.replace("\n", "\r\n"),
        // unquoted, YAML reads a placeholder as a mapping: it is put back as text and named in a warning
        "kcp/root/orgs/acme/unquoted.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n---\n"
            + "apiVersion: core.platform-mesh.io/v1alpha1\r\nkind: Account\r\nmetadata: {name: team-a}\r\n"
            + "spec:\r\n  type: account\r\n  displayName: {{ .data.team }}\r\n  data:\r\n    tags: [{{.data.tag}}, plain]\r\n");

    var group = r.entities().stream().filter(e -> GeneratedRepoReadTest.ref(e).equals("group:platform-mesh/acme")).findFirst().orElseThrow();
    assertEquals("{{ .data.displayName }}", group.path("metadata").path("title").asText());
    assertEquals("{{ .data.displayName }}", group.path("spec").path("profile").path("displayName").asText());
    assertEquals("Region {{ .data.region }} of {{ .Account.metadata.name }}", group.path("metadata").path("description").asText());
    assertTrue(group.path("metadata").path("annotations").path("platform-mesh.io/search-text").asText()
        .contains("region {{ .data.region }}"), group.toString());
    assertTrue(r.entities().stream().anyMatch(e -> GeneratedRepoReadTest.ref(e).equals("api:platform-mesh/pg_pg.example.io")));
    var team = r.entities().stream().filter(e -> GeneratedRepoReadTest.ref(e).equals("group:platform-mesh/acme.team-a"))
        .findFirst().orElseThrow();
    assertEquals("{{ .data.team }}", team.path("metadata").path("title").asText(), team.toString());
    List<MeshProblem> unquoted = r.problems().stream().filter(p -> p.file().equals("kcp/root/orgs/acme/unquoted.yaml")
        && !p.message().endsWith("is not part of the Platform Mesh mapping")).toList();
    assertEquals(1, unquoted.size(), r.problems().toString());
    assertEquals(1, unquoted.get(0).document(), unquoted.toString());
    assertTrue(unquoted.get(0).message().startsWith("unquoted Go-template placeholders at .spec.displayName, .spec.data.tags[0]"),
        unquoted.toString());
    assertTrue(r.problems().stream().noneMatch(p -> p.file().equals("kcp/root/orgs/account-acme.yaml")), r.problems().toString());
  }

  @Test
  void every_document_of_the_real_shapes_repo_ends_as_entity_problem_or_counted_skip(@org.junit.jupiter.api.io.TempDir
      java.nio.file.Path dir) throws Exception {
    org.meshportal.testfixtures.MeshShapesRepo.write(dir);
    MeshReader reader = new MeshReader(MeshOptions.defaults());
    Map<String, byte[]> onDisk = new java.util.TreeMap<>();
    try (var walk = java.nio.file.Files.walk(dir)) {
      for (java.nio.file.Path f : walk.filter(java.nio.file.Files::isRegularFile).toList()) {
        onDisk.put(dir.relativize(f).toString().replace('\\', '/'), java.nio.file.Files.readAllBytes(f));
      }
    }
    MeshResult r = reader.read(MeshFiles.of(onDisk), null, List.of());

    assertEquals(org.meshportal.testfixtures.MeshShapesRepo.OUTCOMES, reader.lastOutcomes, r.problems().toString());
    long skipped = org.meshportal.testfixtures.MeshShapesRepo.OUTCOMES.values().stream().filter("unmapped"::equals).count();
    assertEquals(skipped, r.skippedCounts().values().stream().mapToInt(Integer::intValue).sum(), r.skippedCounts().toString());
    // every problem or unmapped document has a problem naming its file and index; unmapped ones exactly one warning
    org.meshportal.testfixtures.MeshShapesRepo.OUTCOMES.forEach((at, outcome) -> {
      List<MeshProblem> about = r.problems().stream().filter(p -> at.equals(p.file() + "#" + p.document())).toList();
      if (outcome.equals("problem")) {
        assertFalse(about.isEmpty(), at + " " + r.problems());
      }
      if (outcome.equals("unmapped")) {
        assertEquals(1, about.size(), at + " " + about);
        assertFalse(about.get(0).isError(), about.toString());
      }
    });
    assertEquals(List.of(
        "WARNING kcp/root/orgs/acme/bindings.yaml#0: v1 ConfigMap 'settings' is not part of the Platform Mesh mapping",
        "WARNING kcp/root/orgs/acme/broken.yaml#0: rbac.authorization.k8s.io/v1 ClusterRole 'bind-pg' is not part of the"
            + " Platform Mesh mapping",
        "WARNING kcp/root/providers/compute/schemas.yaml#2: apis.kcp.io/v1alpha1 APIResourceSchema"
            + " 'v1.orphans.compute.example.io' is not named by any APIExport in workspace root:providers:compute, so it is"
            + " part of no API"),
        r.problems().stream().filter(p -> p.message().contains("Platform Mesh mapping") || p.message().contains("part of no API"))
            .map(MeshProblem::toString).toList());
    List<String> refs = r.entities().stream().map(GeneratedRepoReadTest::ref).toList();
    assertEquals(List.of("api:platform-mesh/compute_compute.example.io", "api:platform-mesh/pg_pg.example.io",
        "domain:platform-mesh/platform-mesh", "group:platform-mesh/acme", "group:platform-mesh/acme.team-a",
        "group:platform-mesh/acme.team-b", "group:platform-mesh/platform-owners", "group:platform-mesh/provider-compute",
        "group:platform-mesh/provider-pg", "resource:platform-mesh/acme.team-a-workspace", "system:platform-mesh/compute",
        "system:platform-mesh/pg"), refs);
    assertTrue(consumes(r, "group:platform-mesh/acme.team-a", "api:platform-mesh/compute_compute.example.io"));
    assertTrue(consumes(r, "group:platform-mesh/acme.team-a", "api:platform-mesh/pg_pg.example.io"));
  }
}
