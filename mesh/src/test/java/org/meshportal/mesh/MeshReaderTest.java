package org.meshportal.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.swagger.v3.parser.OpenAPIV3Parser;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.meshportal.testfixtures.MeshRepoGenerator;

/** Hand-made repositories for the cases the generator does not cover. */
class MeshReaderTest {

  private static final String EXPORT_V2 = """
      apiVersion: apis.kcp.io/v1alpha2
      kind: APIExport
      metadata:
        name: wildwest.platform-mesh.io
      spec:
        resources:
          - group: wildwest.platform-mesh.io
            name: cowboys
            schema: v1.cowboys.wildwest.platform-mesh.io
            storage: {crd: {}}
          - group: wildwest.platform-mesh.io
            name: horses
            schema: v1.horses.wildwest.platform-mesh.io
        permissionClaims:
          - {group: "", resource: secrets, verbs: [get]}
      """;
  private static final String SCHEMA = """
      apiVersion: apis.kcp.io/v1alpha1
      kind: APIResourceSchema
      metadata:
        name: v1.cowboys.wildwest.platform-mesh.io
      spec:
        group: wildwest.platform-mesh.io
        names: {kind: Cowboy, plural: cowboys, singular: cowboy, shortNames: [cb]}
        scope: Cluster
        versions:
          - name: v1
            served: true
            storage: true
            schema:
              type: object
              properties:
                spec:
                  type: object
                  properties:
                    intent: {type: string, description: What the cowboy should do.}
      """;
  private static final String METADATA = """
      apiVersion: ui.platform-mesh.io/v1alpha1
      kind: ProviderMetadata
      metadata:
        name: wildwest.platform-mesh.io
      spec:
        displayName: Wild West
        description: Cowboys as a service.
        tags: [Demo Stuff]
        contacts:
          - {displayName: Ada, email: ada@example.com}
          - {displayName: Bob, email: bob@example.com}
        documentation:
          - {displayName: Guide, url: "https://docs.example.com/ww"}
      """;

  private static Map<String, byte[]> files(String... pathAndContent) {
    Map<String, byte[]> m = new LinkedHashMap<>();
    for (int i = 0; i < pathAndContent.length; i += 2) {
      m.put(pathAndContent[i], pathAndContent[i + 1].getBytes(StandardCharsets.UTF_8));
    }
    return m;
  }

  private static ObjectNode entity(MeshResult r, String ref) {
    return r.entities().stream().filter(e -> GeneratedRepoReadTest.ref(e).equals(ref)).findFirst().orElse(null);
  }

  @Test
  void provider_repo_with_folder_override_derives_system_owner_group_domain_and_api() {
    MeshOptions options = MeshOptions.defaults()
        .withFolderOverrides(Map.of("config/kcp/", "root:providers:wildwest", "config/provider", "root:providers:wildwest"))
        .withSourceLocator(SourceLocator.blobUrls("https://git.example.com/acme/ww", "main"));
    MeshResult r = new MeshReader(options).read(MeshFiles.of(files(
        "config/kcp/apiexport.yaml", EXPORT_V2,
        "config/kcp/schemas.yaml", SCHEMA + "---\n# second doc is an RBAC role\napiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata: {name: x}\n",
        "config/provider/providermetadata.yaml", METADATA,
        "README.md", "not yaml")), null, List.of());

    ObjectNode system = entity(r, "system:platform-mesh/wildwest");
    assertNotNull(system, r.entities().toString());
    assertEquals("Wild West", system.path("metadata").path("title").asText());
    assertEquals("group:platform-mesh/provider-wildwest", system.path("spec").path("owner").asText());
    assertEquals("domain:platform-mesh/platform-mesh", system.path("spec").path("domain").asText());
    assertEquals("demo-stuff", system.path("metadata").path("tags").get(0).asText());
    assertEquals("https://docs.example.com/ww", system.path("metadata").path("links").get(0).path("url").asText());
    assertEquals("url:https://git.example.com/acme/ww/blob/main/config/provider/providermetadata.yaml",
        system.path("metadata").path("annotations").path("backstage.io/managed-by-location").asText());

    ObjectNode owner = entity(r, "group:platform-mesh/provider-wildwest");
    assertEquals("platform-mesh-provider", owner.path("spec").path("type").asText());
    assertEquals("ada@example.com", owner.path("spec").path("profile").path("email").asText());
    assertEquals("mailto:bob@example.com", owner.path("metadata").path("links").get(1).path("url").asText());
    assertNotNull(entity(r, "domain:platform-mesh/platform-mesh"));
    assertEquals("group:platform-mesh/platform-owners",
        entity(r, "domain:platform-mesh/platform-mesh").path("spec").path("owner").asText());

    ObjectNode api = entity(r, "api:platform-mesh/wildwest_wildwest.platform-mesh.io");
    JsonNode ann = api.path("metadata").path("annotations");
    assertEquals("root:providers:wildwest", ann.path("kcp.io/path").asText());
    assertEquals("cowboys.wildwest.platform-mesh.io,horses.wildwest.platform-mesh.io", ann.path("platform-mesh.io/resources").asText());
    assertEquals("secrets(get)", ann.path("platform-mesh.io/permission-claims").asText());
    assertTrue(ann.path("platform-mesh.io/search-text").asText().contains("What the cowboy should do."));
    assertTrue(ann.path("platform-mesh.io/search-text").asText().contains("cb"));
    String definition = api.path("spec").path("definition").asText();
    var parsed = new OpenAPIV3Parser().readContents(definition, null, null);
    assertTrue(parsed.getMessages().isEmpty(), parsed.getMessages().toString());
    assertNotNull(parsed.getOpenAPI().getPaths().get("/apis/wildwest.platform-mesh.io/v1/cowboys/{name}"));
    assertTrue(definition.contains("v1.horses.wildwest.platform-mesh.io"), "missing schema named in the placeholder text");
    assertTrue(r.warnings().stream().anyMatch(w -> w.file().equals("config/kcp/apiexport.yaml")
        && w.message().contains("v1.horses.wildwest.platform-mesh.io")));
    assertEquals(1, r.skippedCounts().get("rbac.authorization.k8s.io/v1|ClusterRole"));
    assertEquals(1, r.documentCounts().get("apis.kcp.io/v1alpha2|APIExport"));
    assertTrue(r.sourceFiles().get("api:platform-mesh/wildwest_wildwest.platform-mesh.io").contains("config/kcp/schemas.yaml"));
    assertTrue(r.errors().isEmpty(), r.errors().toString());
  }

  @Test
  void hand_written_system_and_domain_are_adopted_instead_of_derived() {
    String handSystem = """
        apiVersion: backstage.io/v1alpha1
        kind: System
        metadata:
          name: ww-system
          annotations: {kcp.io/path: "root:providers:wildwest"}
        spec: {owner: team-west, domain: platform-mesh}
        """;
    ObjectNode domain = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
    domain.put("apiVersion", "backstage.io/v1alpha1").put("kind", "Domain").putObject("metadata").put("name", "platform-mesh");
    MeshResult r = new MeshReader(MeshOptions.defaults()).read(MeshFiles.of(files(
        "kcp/root/providers/wildwest/apiexport.yaml", EXPORT_V2,
        "kcp/root/providers/wildwest/catalog-info.yaml", handSystem)), null, List.of(domain));
    assertNull(entity(r, "system:platform-mesh/wildwest"));
    assertNull(entity(r, "domain:platform-mesh/platform-mesh"));
    assertNull(entity(r, "group:platform-mesh/provider-wildwest"));
    ObjectNode api = entity(r, "api:platform-mesh/wildwest_wildwest.platform-mesh.io");
    assertEquals("system:default/ww-system", api.path("spec").path("system").asText());
    assertEquals("group:default/team-west", api.path("spec").path("owner").asText());
    assertTrue(r.adoptions().contains(new MeshAdoption("system:default/ww-system", "root:providers:wildwest", "provider-system")));
    assertTrue(r.adoptions().contains(new MeshAdoption("domain:default/platform-mesh", "", "domain")));
  }

  @Test
  void only_the_platform_mesh_domain_owner_group_and_kcp_annotated_systems_may_be_adopted() throws Exception {
    com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
    assertTrue(MeshReader.mayAdopt(json.readTree("{\"kind\":\"Domain\",\"metadata\":{\"name\":\"platform-mesh\"}}")));
    assertTrue(MeshReader.mayAdopt(json.readTree("{\"kind\":\"group\",\"metadata\":{\"name\":\"Platform-Owners\"}}")));
    assertTrue(MeshReader.mayAdopt(json.readTree(
        "{\"kind\":\"System\",\"metadata\":{\"name\":\"s\",\"annotations\":{\"kcp.io/path\":\"root:x\"}}}")));
    assertFalse(MeshReader.mayAdopt(json.readTree("{\"kind\":\"System\",\"metadata\":{\"name\":\"s\"}}")));
    assertFalse(MeshReader.mayAdopt(json.readTree("{\"kind\":\"Domain\",\"metadata\":{\"name\":\"customer\"}}")));
    assertFalse(MeshReader.mayAdopt(json.readTree("{\"kind\":\"Component\",\"metadata\":{\"name\":\"platform-owners\"}}")));
    assertFalse(MeshReader.mayAdopt(json.readTree("{\"kind\":\"Group\"}")));
  }

  @Test
  void accounts_bindings_and_instances_become_groups_relations_and_resources() {
    String v1Export = """
        apiVersion: apis.kcp.io/v1alpha1
        kind: APIExport
        metadata: {name: pg.example.io}
        spec:
          latestResourceSchemas: [v9.clusters.pg.example.io]
        """;
    MeshResult r = new MeshReader(MeshOptions.defaults()).read(MeshFiles.of(files(
        "kcp/root/providers/pg/apiexport.yaml", v1Export,
        "kcp/root/orgs/account-acme.yaml", "apiVersion: core.platform-mesh.io/v1alpha1\nkind: Account\nmetadata: {name: acme}\n"
            + "spec: {type: org, displayName: Acme Inc., creator: ceo@acme.example}\n",
        "kcp/root/orgs/acme/account-team-a.yaml", "apiVersion: core.platform-mesh.io/v1alpha1\nkind: Account\n"
            + "metadata: {name: team-a}\nspec: {type: account, displayName: Team A, data: {costCenter: CC-1}}\n",
        "kcp/root/orgs/acme/team-a/apibinding.yaml", "apiVersion: apis.kcp.io/v1alpha2\nkind: APIBinding\nmetadata: {name: pg}\n"
            + "spec: {reference: {export: {path: 'root:providers:pg', name: pg.example.io}}}\nstatus: {phase: Bound}\n",
        "kcp/root/orgs/acme/team-a/unknown.yaml", "apiVersion: apis.kcp.io/v1alpha1\nkind: APIBinding\nmetadata: {name: other}\n"
            + "spec: {reference: {export: {path: 'root:elsewhere', name: other.io}}}\n",
        "kcp/root/orgs/acme/team-a/cluster.yaml", "apiVersion: pg.example.io/v9\nkind: Cluster\nmetadata: {name: db1, namespace: default}\n",
        "kcp/root/orgs/acme/ghost/apibinding.yaml", "apiVersion: apis.kcp.io/v1alpha2\nkind: APIBinding\nmetadata: {name: pg}\n"
            + "spec: {reference: {export: {path: 'root:providers:pg', name: pg.example.io}}}\n",
        "kcp/root/orgs/Bad_Folder/x.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n")), null, List.of());

    ObjectNode org = entity(r, "group:platform-mesh/acme");
    assertEquals("platform-mesh-org", org.path("spec").path("type").asText());
    assertEquals("ceo@acme.example", org.path("spec").path("profile").path("email").asText());
    assertEquals("group:platform-mesh/acme.team-a", org.path("spec").path("children").get(0).asText());
    ObjectNode team = entity(r, "group:platform-mesh/acme.team-a");
    assertEquals("group:platform-mesh/acme", team.path("spec").path("parent").asText());
    assertEquals("acme", team.path("metadata").path("labels").path("platform-mesh.io/org").asText());
    assertTrue(team.path("metadata").path("annotations").path("platform-mesh.io/bindings").asText().contains("\"phase\":\"Bound\""));
    assertTrue(team.path("metadata").path("annotations").path("platform-mesh.io/search-text").asText().contains("costCenter CC-1"));
    String api = "api:platform-mesh/pg_pg.example.io";
    assertTrue(r.relations().contains(new MeshRelation("group:platform-mesh/acme.team-a", "consumesApi", api)));
    assertTrue(r.relations().contains(new MeshRelation(api, "apiConsumedBy", "group:platform-mesh/acme.team-a")));
    ObjectNode ws = entity(r, "resource:platform-mesh/acme.team-a-workspace");
    assertEquals("kcp-workspace", ws.path("spec").path("type").asText());
    assertEquals(api, ws.path("spec").path("dependsOn").get(0).asText());
    ObjectNode instance = entity(r, "resource:platform-mesh/acme.team-a_cluster_db1");
    assertEquals("cluster", instance.path("spec").path("type").asText());
    assertEquals("group:platform-mesh/acme.team-a", instance.path("spec").path("owner").asText());

    // missing schema is a warning, an unknown export a warning, an undeclared account folder a warning, a bad folder an error
    assertTrue(r.warnings().stream().anyMatch(w -> w.file().equals("kcp/root/providers/pg/apiexport.yaml")));
    assertTrue(r.warnings().stream().anyMatch(w -> w.file().equals("kcp/root/orgs/acme/team-a/unknown.yaml")));
    assertTrue(r.warnings().stream().anyMatch(w -> w.file().equals("kcp/root/orgs/acme/ghost/apibinding.yaml")
        && w.message().contains("no Account 'ghost'")));
    assertEquals(List.of("kcp/root/orgs/Bad_Folder"), r.errors().stream().map(MeshProblem::file).toList());
  }

  @Test
  void long_names_are_cut_with_the_generators_hash() throws Exception {
    String exportName = "a-very-long-export-name-that-goes-on.and-on.example-platform-mesh.io";
    String export = "apiVersion: apis.kcp.io/v1alpha2\nkind: APIExport\nmetadata: {name: " + exportName + "}\nspec: {}\n";
    MeshResult r = new MeshReader(MeshOptions.defaults()).read(MeshFiles.of(files(
        "kcp/root/providers/some-provider-with-long-name/apiexport.yaml", export)), null, List.of());
    String expected = MeshRepoGenerator.derivedApiName("some-provider-with-long-name", exportName);
    assertTrue(expected.length() <= 63);
    ObjectNode api = entity(r, "api:platform-mesh/" + expected);
    assertNotNull(api, r.entities().toString());
    assertEquals("some-provider-with-long-name_" + exportName, api.path("metadata").path("title").asText());
  }

  @Test
  void only_changed_files_are_parsed_again_and_removed_files_drop_out() {
    Map<String, byte[]> content = files(
        "kcp/root/providers/wildwest/apiexport.yaml", EXPORT_V2,
        "kcp/root/providers/wildwest/providermetadata.yaml", METADATA);
    MeshReader reader = new MeshReader(MeshOptions.defaults());
    MeshResult first = reader.read(MeshFiles.of(content), null, List.of());
    assertEquals("Wild West", entity(first, "system:platform-mesh/wildwest").path("metadata").path("title").asText());

    content.put("kcp/root/providers/wildwest/providermetadata.yaml",
        METADATA.replace("Wild West", "Far West").getBytes(StandardCharsets.UTF_8));
    MeshResult unchanged = reader.read(MeshFiles.of(content), Set.of(), List.of());
    assertEquals("Wild West", entity(unchanged, "system:platform-mesh/wildwest").path("metadata").path("title").asText(),
        "a file not reported as changed is served from the cache");
    MeshResult changed = reader.read(MeshFiles.of(content), Set.of("kcp/root/providers/wildwest/providermetadata.yaml"), List.of());
    assertEquals("Far West", entity(changed, "system:platform-mesh/wildwest").path("metadata").path("title").asText());

    content.remove("kcp/root/providers/wildwest/apiexport.yaml");
    MeshResult removed = reader.read(MeshFiles.of(content), Set.of(), List.of());
    assertNull(entity(removed, "api:platform-mesh/wildwest_wildwest.platform-mesh.io"));
  }

  @Test
  void unsafe_or_broken_yaml_is_reported_per_file_and_document() {
    String bomb = "a: &a [x, x]\nb: &b [*a, *a]\nc: &c [*b, *b]\nd: &d [*c, *c]\ne: &e [*d, *d]\nf: &f [*e, *e]\n"
        + "g: &g [*f, *f]\nh: &h [*g, *g]\ni: &i [*h, *h]\nj: &j [*i, *i]\nk: &k [*j, *j]\nl: &l [*k, *k]\n"
        + "m: &m [*l, *l]\nn: &n [*m, *m]\no: &o [*n, *n]\np: &p [*o, *o]\nq: &q [*p, *p]\nr: &r [*q, *q]\n"
        + "s: &s [*r, *r]\nt: &t [*s, *s]\nu: &u [*t, *t]\nv: &v [*u, *u]\nw: &w [*v, *v]\nx: &x [*w, *w]\n"
        + "y: &y [*x, *x]\nz: &z [*y, *y]\nza: &za [*z, *z]\nzb: [*za, *za, *za]\n";
    Map<String, byte[]> content = files(
        "kcp/root/dup.yaml", "apiVersion: v1\nkind: ConfigMap\nkind: Secret\n",
        "kcp/root/bomb.yaml", bomb,
        "kcp/root/deep.yaml", "[".repeat(100) + "]".repeat(100),
        "kcp/root/list.yaml", "- a\n- b\n",
        "kcp/root/second-doc-broken.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: ok}\n---\nkey: [unclosed\n",
        "kcp/root/big.yaml", "x".repeat(2048));
    content.put("kcp/root/latin1.yaml", new byte[] {'a', ':', ' ', (byte) 0xe9, '\n'});
    MeshResult r = new MeshReader(MeshOptions.defaults().withLimits(1024, 1024)).read(MeshFiles.of(content), null, List.of());
    Map<String, MeshProblem> byFile = new LinkedHashMap<>();
    r.errors().forEach(p -> byFile.put(p.file(), p));
    assertTrue(byFile.get("kcp/root/dup.yaml").message().contains("\"kind\" appears more than once"));
    assertTrue(byFile.get("kcp/root/bomb.yaml").message().contains("possible alias bomb"));
    assertTrue(byFile.get("kcp/root/deep.yaml").message().contains("Nesting is deeper than the limit"));
    assertTrue(byFile.get("kcp/root/list.yaml").message().contains("Expected object at root"));
    assertEquals(1, byFile.get("kcp/root/second-doc-broken.yaml").document());
    assertTrue(byFile.get("kcp/root/big.yaml").message().contains("over the limit"));
    assertTrue(byFile.get("kcp/root/latin1.yaml").message().contains("UTF-8"));
    assertEquals(1, r.documentCounts().get("v1|ConfigMap"), "the good first document of a broken file is kept");
  }
}
