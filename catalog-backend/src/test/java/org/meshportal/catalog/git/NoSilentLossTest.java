package org.meshportal.catalog.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshportal.testfixtures.MeshShapesRepo;

/**
 * No silent loss: through the real server, every document of every file of a repository with
 * Backstage catalog files and a kcp tree (mapped kinds, kinds the mapping does not use, an
 * unreferenced schema, broken and kindless documents, valid and invalid entities) is an entity or
 * an entry of the processing-errors route. The test counts both.
 */
class NoSilentLossTest {
  private static final String RBAC = "kcp/root/orgs/acme/rbac.yaml";
  private static final String ADOPTED = "kcp/root/providers/compute/system.yaml";
  private static final String STRAY = "kcp/root/providers/pg/catalog-info.yaml";

  @Test
  void every_document_is_an_entity_or_a_listed_error(@TempDir Path tmp) throws Exception {
    GitUpstream up = new GitUpstream(tmp.resolve("upstream"));
    MeshShapesRepo.write(up.dir);
    up.write("catalog-info.yaml", """
        apiVersion: backstage.io/v1alpha1
        kind: Location
        metadata: {name: root}
        spec:
          targets: [./catalog/good.yaml, ./catalog/bad.yaml, ./%s]
        """.formatted(ADOPTED));
    up.write("catalog/good.yaml", """
        apiVersion: backstage.io/v1alpha1
        kind: Component
        metadata: {name: shop}
        spec: {type: service, lifecycle: production, owner: group:default/team}
        ---
        apiVersion: backstage.io/v1alpha1
        kind: API
        metadata: {name: shop-api}
        spec: {type: openapi, lifecycle: production, owner: group:default/team, definition: 'openapi: 3.0.0'}
        ---
        apiVersion: backstage.io/v1alpha1
        kind: Group
        metadata: {name: team}
        spec: {type: team, children: []}
        """);
    up.write("catalog/bad.yaml", """
        apiVersion: backstage.io/v1alpha1
        kind: Component
        metadata: {name: 'not a valid name!'}
        spec: {type: service, lifecycle: production, owner: team}
        ---
        apiVersion: backstage.io/v1alpha1
        kind: Component
        metadata: {name: twice, name: again}
        spec: {type: service, lifecycle: production, owner: team}
        ---
        apiVersion: backstage.io/v1alpha1
        metadata: {name: kindless}
        spec: {type: service}
        ---
        - just
        - a list
        ---
        apiVersion: backstage.io/v1alpha1
        kind: Component
        metadata: {name: shop}
        spec: {type: website, lifecycle: production, owner: team}
        """);
    up.write(RBAC, """
        apiVersion: v1
        kind: Namespace
        metadata: {name: acme-system}
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: acme-admin}
        rules: []
        ---
        apiVersion: tenancy.kcp.io/v1alpha1
        kind: WorkspaceType
        metadata: {name: acme-team}
        """);
    up.write(ADOPTED, """
        apiVersion: backstage.io/v1alpha1
        kind: System
        metadata:
          name: compute
          annotations: {kcp.io/path: 'root:providers:compute'}
        spec: {owner: group:default/team}
        """);
    up.write(STRAY, """
        apiVersion: backstage.io/v1alpha1
        kind: Component
        metadata: {name: pg-operator}
        spec: {type: service, lifecycle: production, owner: team}
        """);
    up.git("init", "-q", "-b", "main");
    String head = up.commitAll("real inputs");

    // what every mesh document must become; the Backstage descriptors in the kcp tree are the catalog's or reported
    Map<String, String> meshOutcomes = new TreeMap<>(MeshShapesRepo.OUTCOMES);
    meshOutcomes.put(RBAC + "#0", "unmapped");
    meshOutcomes.put(RBAC + "#1", "unmapped");
    meshOutcomes.put(RBAC + "#2", "unmapped");
    meshOutcomes.put(STRAY + "#0", "unmapped");

    try (GitServer server = GitServer.start(tmp, up.meshProviderConfig())) {
      server.awaitApplied("mesh", head);
      List<JsonNode> entities = new ArrayList<>();
      server.get("/api/catalog/entities").json().forEach(entities::add);
      List<JsonNode> items = new ArrayList<>();
      server.get("/api/catalog/processing-errors").json().path("items").forEach(items::add);
      Set<String> live = new HashSet<>();
      entities.forEach(e -> live.add(ref(e)));

      // documents, counted from the files themselves
      Map<String, Integer> documents = new TreeMap<>();
      try (Stream<Path> walk = Files.walk(up.dir)) {
        for (Path f : walk.filter(p -> !p.toString().contains("/.git/") && p.toString().endsWith(".yaml")).toList()) {
          documents.put(up.dir.relativize(f).toString().replace('\\', '/'), countDocuments(f));
        }
      }
      int total = documents.values().stream().mapToInt(Integer::intValue).sum();

      // hand-written entities, per file they came from
      Map<String, Integer> catalogEntities = new HashMap<>();
      for (JsonNode e : entities) {
        JsonNode ann = e.path("metadata").path("annotations");
        if (ann.has("platform-mesh.io/kind")) {
          continue; // derived: accounted for by the documents that fed it
        }
        catalogEntities.merge(file(ann.path("backstage.io/managed-by-location").asText()), 1, Integer::sum);
      }
      int entityDocs = catalogEntities.values().stream().mapToInt(Integer::intValue).sum();
      entityDocs += (int) meshOutcomes.values().stream().filter("entity"::equals).count();

      // entries of the route, one per document they are about; warnings on a derived entity are about an entity
      Map<String, List<JsonNode>> byDocument = new TreeMap<>();
      for (JsonNode i : items) {
        assertEquals("provider:git-mesh", i.path("source").asText(), i.toString());
        if (!i.path("documentIndex").isNumber() && !i.path("entityRef").isTextual()) {
          // about a folder (a workspace without an Account), not a document: every document of the file is read
          assertEquals("warning", i.path("level").asText(), i.toString());
          assertTrue(i.path("error").path("message").asText().startsWith("workspace "), i.toString());
          continue;
        }
        String at = file(i.path("location").asText()) + "#"
            + (i.path("documentIndex").isNumber() ? i.path("documentIndex").asInt() : i.path("entityRef").asText());
        byDocument.computeIfAbsent(at, k -> new ArrayList<>()).add(i);
      }
      Set<String> lost = new TreeSet<>();
      byDocument.forEach((at, list) -> {
        boolean aboutDerived = list.stream().allMatch(i -> i.path("level").asText().equals("warning")
            && live.contains(i.path("entityRef").asText()) && "entity".equals(meshOutcomes.get(at)));
        if (!aboutDerived && !"entity".equals(meshOutcomes.get(at))) {
          lost.add(at);
        }
      });

      assertEquals(total, entityDocs + lost.size(),
          "documents " + documents + "\nhand-written entities " + catalogEntities + "\nreported " + lost + "\nitems " + items);

      // and per document: each mesh document that fed no entity has its own entry; unmapped ones exactly one warning
      meshOutcomes.forEach((at, outcome) -> {
        List<JsonNode> about = byDocument.getOrDefault(at, List.of());
        if (outcome.equals("problem")) {
          assertTrue(!about.isEmpty(), at + " is listed: " + items);
        }
        if (outcome.equals("unmapped")) {
          assertEquals(1, about.size(), at + ": " + about);
          assertEquals("warning", about.get(0).path("level").asText(), about.toString());
        }
      });
      assertEquals("rbac.authorization.k8s.io/v1 ClusterRole 'acme-admin' is not part of the Platform Mesh mapping",
          byDocument.get(RBAC + "#1").get(0).path("error").path("message").asText());
      assertTrue(byDocument.get(STRAY + "#0").get(0).path("error").path("message").asText()
          .startsWith("Backstage backstage.io/v1alpha1 Component 'pg-operator' is in the kcp tree"), byDocument.toString());
      // the descriptor a Location reads is an entity, adopted by the mapping, and not reported
      assertNull(byDocument.get(ADOPTED + "#0"), byDocument.toString());
      assertNotNull(server.entity("system", "default", "compute"));
      assertNull(server.entity("system", "platform-mesh", "compute"));
      // the catalog files: each document an entity or exactly one entry
      assertEquals(3, catalogEntities.get("catalog/good.yaml"), catalogEntities.toString());
      assertNull(catalogEntities.get("catalog/bad.yaml"), catalogEntities.toString());
      assertEquals(5, byDocument.keySet().stream().filter(k -> k.startsWith("catalog/bad.yaml#")).count(), byDocument.keySet().toString());

      // a commit that only changes catalog files: once a Location reads the stray descriptor, it is an entity
      // and its warning goes, though the kcp tree was not derived again
      up.write("catalog-info.yaml", up.read("catalog-info.yaml").replace("./" + ADOPTED + "]", "./" + ADOPTED + ", ./" + STRAY + "]"));
      String next = up.commitAll("read the operator's descriptor");
      assertEquals(202, server.githubPush(up.url(), next, "s3cret").status());
      server.awaitApplied("mesh", next);
      assertNotNull(server.entity("component", "default", "pg-operator"));
      for (JsonNode i : server.get("/api/catalog/processing-errors").json().path("items")) {
        assertTrue(!i.path("location").asText().endsWith(STRAY), i.toString());
      }
    }
  }

  private static String ref(JsonNode e) {
    return (e.path("kind").asText() + ":" + e.path("metadata").path("namespace").asText("default") + "/"
        + e.path("metadata").path("name").asText()).toLowerCase(java.util.Locale.ROOT);
  }

  /** The repository path of a location ({@code url:file:///.../upstream/x.yaml} or a blob URL). */
  private static String file(String location) {
    String marker = location.contains("/upstream/blob/main/") ? "/upstream/blob/main/" : "/upstream/";
    int at = location.indexOf(marker);
    return at < 0 ? location : location.substring(at + marker.length());
  }

  /** YAML documents of a file: the parts between {@code ---} lines that hold more than comments. */
  private static int countDocuments(Path f) throws IOException {
    int n = 0;
    for (String part : Files.readString(f, StandardCharsets.UTF_8).split("(?m)^---\\s*$")) {
      if (part.lines().anyMatch(l -> !l.isBlank() && !l.strip().startsWith("#"))) {
        n++;
      }
    }
    return n;
  }
}
