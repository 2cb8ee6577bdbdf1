package org.meshportal.catalog.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Mesh problems of real-world shapes reach the catalog through the real server: warnings are listed
 * in the processing-errors route with their level and shown in the status of the entity they are about.
 */
class GitProviderMeshShapesTest {
  private static final String EXPORT_FILE = "kcp/root/providers/pg/apiexport.yaml";

  @Test
  void missing_schemas_are_warnings_in_the_route_and_on_the_api(@TempDir Path tmp) throws Exception {
    GitUpstream up = new GitUpstream(tmp.resolve("upstream"));
    up.write(EXPORT_FILE, """
        apiVersion: apis.kcp.io/v1alpha2
        kind: APIExport
        metadata: {name: pg.example.io}
        spec:
          resources:
            - {group: pg.example.io, name: clusters, schema: v1.clusters.pg.example.io, storage: {crd: {}}}
            - {group: pg.example.io, name: backups, schema: v1.backups.pg.example.io, storage: {crd: {}}}
        """);
    up.write("kcp/root/orgs/acme/apibinding.yaml", """
        apiVersion: apis.kcp.io/v1alpha1
        kind: APIBinding
        metadata: {name: nowhere}
        spec: {reference: {workspace: {path: 'root:providers:none', exportName: none.example.io}}}
        """);
    up.write("catalog-info.yaml", "apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata: {name: root}\nspec: {targets: []}\n");
    up.git("init", "-q", "-b", "main");
    String head = up.commitAll("real shapes");
    try (GitServer server = GitServer.start(tmp, up.meshProviderConfig())) {
      server.awaitApplied("mesh", head);

      JsonNode api = server.entity("api", "platform-mesh", "pg_pg.example.io");
      List<String> status = new ArrayList<>();
      api.path("status").path("items").forEach(i -> status.add(i.path("level").asText() + " " + i.path("error").path("message").asText()));
      assertEquals(2, status.size(), api.toString());
      assertTrue(status.get(0).startsWith("warning ") && status.get(0).contains("'v1.clusters.pg.example.io'"), status.toString());
      assertTrue(status.get(1).startsWith("warning ") && status.get(1).contains("'v1.backups.pg.example.io'"), status.toString());

      JsonNode items = server.get("/api/catalog/processing-errors").json().path("items");
      List<JsonNode> missing = new ArrayList<>();
      List<JsonNode> unknownExport = new ArrayList<>();
      for (JsonNode i : items) {
        String message = i.path("error").path("message").asText();
        if (i.path("location").asText().endsWith(EXPORT_FILE) && message.contains("APIResourceSchema")) {
          missing.add(i);
        }
        if (i.path("location").asText().endsWith("kcp/root/orgs/acme/apibinding.yaml") && message.contains("'none.example.io'")) {
          unknownExport.add(i);
        }
      }
      assertEquals(2, missing.size(), items.toString());
      missing.forEach(i -> {
        assertEquals("warning", i.path("level").asText());
        assertEquals("api:platform-mesh/pg_pg.example.io", i.path("entityRef").asText());
      });
      assertEquals(1, unknownExport.size(), items.toString());
      assertEquals("warning", unknownExport.get(0).path("level").asText());
    }
  }

  /** Every document of the real-shapes repository is an entity, an item of the processing-errors route, or a counted skip. */
  @Test
  void every_document_of_the_real_shapes_repo_is_an_entity_or_a_listed_problem(@TempDir Path tmp) throws Exception {
    GitUpstream up = new GitUpstream(tmp.resolve("upstream"));
    org.meshportal.testfixtures.MeshShapesRepo.write(up.dir);
    up.write("catalog-info.yaml", "apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata: {name: root}\nspec: {targets: []}\n");
    up.git("init", "-q", "-b", "main");
    String head = up.commitAll("real shapes");
    try (GitServer server = GitServer.start(tmp, up.meshProviderConfig())) {
      server.awaitApplied("mesh", head);
      assertEquals(12, server.entities("metadata.namespace=platform-mesh").size());
      JsonNode items = server.get("/api/catalog/processing-errors").json().path("items");
      org.meshportal.testfixtures.MeshShapesRepo.OUTCOMES.forEach((at, outcome) -> {
        String file = at.substring(0, at.indexOf('#'));
        int document = Integer.parseInt(at.substring(at.indexOf('#') + 1));
        boolean listed = false;
        for (JsonNode i : items) {
          listed |= i.path("location").asText().endsWith("/" + file) && i.path("documentIndex").asInt(-1) == document;
        }
        if (outcome.equals("problem")) {
          assertTrue(listed, at + " is listed: " + items);
        }
      });
      // the unquoted placeholder: the Account became a Group titled with the placeholder's text, and a warning says so
      assertEquals("{{ .data.team }}", server.entity("group", "platform-mesh", "acme.team-b").path("metadata").path("title").asText());
      boolean warned = false;
      for (JsonNode i : items) {
        warned |= i.path("location").asText().endsWith("/kcp/root/orgs/acme/account-team-b.yaml")
            && i.path("level").asText().equals("warning") && i.path("error").path("message").asText().contains("Go-template");
      }
      assertTrue(warned, items.toString());
    }
  }
}
