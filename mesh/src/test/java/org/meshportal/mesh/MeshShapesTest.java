package org.meshportal.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

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
}
