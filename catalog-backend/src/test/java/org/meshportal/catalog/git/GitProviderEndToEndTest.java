package org.meshportal.catalog.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole path of a Git provider through the real server: a generated Platform Mesh repository
 * in a temp dir, mirrored over file://, processed into the catalog, changed commit by commit.
 */
class GitProviderEndToEndTest {
  private static final String SCHEMA =
      "kcp/root/providers/rabbitmq-provider/apiresourceschema-brokers.rabbitmq.platform-mesh.example.io.yaml";
  private static final String API = "rabbitmq-provider_rabbitmq.platform-mesh.example.io";
  private static final String OTHER_API = "rabbitmq-provider_rabbitmq-ops.platform-mesh.example.io";

  @Test
  void provider_follows_commits_of_a_mesh_repository(@TempDir Path tmp) throws Exception {
    GitUpstream up = GitUpstream.generate(tmp.resolve("upstream"), 1, true);
    GitUpstream other = otherRepository(tmp.resolve("other"));
    String config = """
        catalog:
          providers:
            git:
              mesh:
                url: %s
                branch: main
                catalogPath: catalog-info.yaml
                kcpRoot: kcp
                webhookSecret: s3cret
        integrations:
          github:
            - host: github.example
              webhookSecret: host-secret
        """.formatted(up.url());
    try (GitServer server = GitServer.start(tmp, config)) {
      // initial sync: Backstage entities and derived mesh entities
      JsonNode status = server.awaitApplied("mesh", up.head());
      assertEquals("OK", status.path("state").asText());
      assertTrue(status.path("entityCount").asInt() > 150, status.toString());
      assertEquals(up.url(), status.path("url").asText());

      JsonNode hrApi = server.entity("component", "default", "hr-api");
      assertNotNull(hrApi);
      JsonNode annotations = hrApi.path("metadata").path("annotations");
      String blob = up.url() + "/blob/main/catalog/components/hr-api/catalog-info.yaml";
      assertEquals("url:" + blob, annotations.path("backstage.io/managed-by-location").asText());
      assertEquals("url:" + up.url() + "/blob/main/catalog-info.yaml",
          annotations.path("backstage.io/managed-by-origin-location").asText());
      assertEquals(blob, annotations.path("backstage.io/view-url").asText());
      assertEquals("url:" + up.url() + "/tree/main/catalog/components/hr-api/",
          annotations.path("backstage.io/source-location").asText());

      JsonNode api = server.entity("api", "platform-mesh", API);
      assertNotNull(api);
      String definition = api.path("spec").path("definition").asText();
      assertTrue(definition.contains("\"openapi\""), definition);
      assertTrue(definition.contains("Broker is the Schema for the brokers API."));
      assertTrue(has(api, "apiConsumedBy", "group:platform-mesh/"), api.path("relations").toString());

      JsonNode org = server.entity("group", "platform-mesh", "acme");
      assertNotNull(org);
      assertTrue(org.path("spec").path("children").size() > 0);
      JsonNode account = server.entity("group", "platform-mesh", "acme.team-analytics");
      assertEquals("group:platform-mesh/acme", account.path("spec").path("parent").asText());
      assertTrue(has(account, "childOf", "group:platform-mesh/acme"));
      assertTrue(has(org, "parentOf", "group:platform-mesh/acme.team-analytics"));
      JsonNode consumers = server.entities("kind=group,metadata.namespace=platform-mesh");
      assertTrue(anyHas(consumers, "consumesApi"), "some account Group consumes an API");
      List<String> errorLocations = errorLocations(server.status("mesh"));
      assertTrue(errorLocations.stream().anyMatch(l -> l.endsWith("zz-broken-yaml/catalog-info.yaml")), errorLocations.toString());

      // webhooks: bad signature, unknown repository, good one
      assertEquals(401, server.githubPush(up.url(), up.head(), "wrong").status());
      assertEquals(401, server.post("/api/git-sync/webhooks", "{}").status());
      assertEquals(404, server.githubPush("https://github.example/acme/unknown.git", "abc", "host-secret").status());
      assertEquals(404, server.githubPush("https://github.example/acme/unknown.git", "abc", "s3cret").status());

      // one APIResourceSchema changes: exactly that API's definition changes, reading one file
      String otherDefinition = server.entity("api", "platform-mesh", OTHER_API).path("spec").path("definition").asText();
      String otherEtag = server.entity("api", "platform-mesh", OTHER_API).path("metadata").path("etag").asText();
      up.write(SCHEMA, up.read(SCHEMA).replace("Broker is the Schema for the brokers API.", "Broker MARKER-ONE."));
      String c1 = up.commitAll("change one schema");
      assertEquals(202, server.githubPush(up.url(), c1, "s3cret").status());
      status = server.awaitApplied("mesh", c1);
      assertEquals(1, status.path("lastChangeFilesRead").asInt(), status.toString());
      assertTrue(server.entity("api", "platform-mesh", API).path("spec").path("definition").asText()
          .contains("Broker MARKER-ONE."));
      JsonNode otherNow = server.entity("api", "platform-mesh", OTHER_API);
      assertEquals(otherDefinition, otherNow.path("spec").path("definition").asText());
      assertEquals(otherEtag, otherNow.path("metadata").path("etag").asText());

      // a file is deleted: its entities go
      assertNotNull(server.entity("component", "default", "payments-worker"));
      up.delete("catalog/components/payments-worker/catalog-info.yaml");
      String c2 = up.commitAll("drop payments-worker");
      server.post("/api/git-sync/providers/mesh/sync", "");
      server.awaitApplied("mesh", c2);
      assertNull(server.entity("component", "default", "payments-worker"));
      assertNotNull(server.entity("component", "default", "hr-api"));

      // a broken file next to a good change: errors reported, good change applied, nothing lost
      int before = server.status("mesh").path("entityCount").asInt();
      up.write("catalog/components/hr-worker/catalog-info.yaml", "kind: [unclosed\n  : :\n");
      String webLib = "catalog/components/web-lib/catalog-info.yaml";
      up.write(webLib, up.read(webLib).replaceFirst("(?m)^(\\s*)description:.*$", "$1description: MARKER-TWO"));
      String c3 = up.commitAll("break one, fix another");
      assertEquals(202, server.githubPush(up.url(), c3, "s3cret").status());
      status = server.awaitApplied("mesh", c3);
      assertEquals(before, status.path("entityCount").asInt());
      assertNotNull(server.entity("component", "default", "hr-worker"));
      assertEquals("MARKER-TWO", server.entity("component", "default", "web-lib").path("metadata").path("description").asText());
      assertTrue(yamlErrorAt(status, "hr-worker/catalog-info.yaml"), status.path("processingErrors").toString());

      // force-push: history rewritten, a full resync
      up.git("reset", "-q", "--hard", c2);
      up.write("catalog/components/web-lib/catalog-info.yaml",
          up.read(webLib).replaceFirst("(?m)^(\\s*)description:.*$", "$1description: MARKER-THREE"));
      String c4 = up.commitAll("rewritten");
      server.post("/api/git-sync/providers/mesh/sync", "");
      status = server.awaitApplied("mesh", c4);
      assertTrue(status.path("lastChangeFilesRead").asInt() > 100, "full resync reads everything: " + status);
      assertEquals("MARKER-THREE", server.entity("component", "default", "web-lib").path("metadata").path("description").asText());
      assertFalse(yamlErrorAt(status, "hr-worker/catalog-info.yaml"), status.path("processingErrors").toString());

      // a url location, read through a mirror, relative target inside the same commit
      JsonNode added = server.post("/api/catalog/locations",
          "{\"type\":\"url\",\"target\":\"" + other.url() + "/blob/main/catalog-info.yaml\"}").json();
      assertEquals(other.url() + "/blob/main/catalog-info.yaml", added.path("location").path("target").asText(), added.toString());
      JsonNode svc = server.entity("component", "default", "other-service");
      assertNotNull(svc);
      // the engine resolves relative url targets with java.net.URI, which writes file:/x for file:///x
      String svcLocation = svc.path("metadata").path("annotations").path("backstage.io/managed-by-location").asText();
      assertTrue(svcLocation.startsWith("url:file:/") && svcLocation.endsWith("/other/blob/main/services/svc.yaml"),
          svcLocation);
      assertEquals("hello from the other repository\n", svc.path("metadata").path("description").asText());

      // mass deletion: held, reported, then confirmed
      int count = server.status("mesh").path("entityCount").asInt();
      up.git("rm", "-q", "-r", "catalog", "kcp");
      String c5 = up.commitAll("remove almost everything");
      assertEquals(202, server.githubPush(up.url(), c5, "s3cret").status());
      GitServer.awaitTrue(() -> "HELD".equals(server.status("mesh").path("state").asText()), "the deletion is held");
      status = server.status("mesh");
      assertEquals(c5, status.path("heldDeletions").path("commit").asText());
      assertEquals(count, status.path("entityCount").asInt());
      assertNotNull(server.entity("component", "default", "hr-api"));
      assertFalse(status.toString().contains("s3cret"));
      assertEquals(202, server.post("/api/git-sync/providers/mesh/confirm-deletions", "").status());
      status = server.awaitApplied("mesh", c5);
      assertNull(server.entity("component", "default", "hr-api"));
      assertTrue(status.path("heldDeletions").isMissingNode() || status.path("heldDeletions").isNull());
      assertNotEquals(count, status.path("entityCount").asInt());
      assertEquals(409, server.post("/api/git-sync/providers/mesh/confirm-deletions", "").status());
      assertEquals(404, server.get("/api/git-sync/providers/nope").status());
      assertEquals(1, server.get("/api/git-sync/providers").json().path("items").size());
    }
  }

  private static GitUpstream otherRepository(Path dir) throws Exception {
    Files.createDirectories(dir);
    GitUpstream other = new GitUpstream(dir);
    other.git("init", "-q", "-b", "main");
    other.write("catalog-info.yaml", """
        apiVersion: backstage.io/v1alpha1
        kind: Location
        metadata:
          name: other-root
        spec:
          targets: [./services/svc.yaml]
        """);
    other.write("services/svc.yaml", """
        apiVersion: backstage.io/v1alpha1
        kind: Component
        metadata:
          name: other-service
          description:
            $text: ./description.txt
        spec:
          type: service
          lifecycle: production
          owner: team-other
        """);
    other.write("services/description.txt", "hello from the other repository\n");
    other.commitAll("other");
    return other;
  }

  private static boolean has(JsonNode entity, String type, String targetPrefix) {
    for (JsonNode r : entity.path("relations")) {
      if (r.path("type").asText().equals(type) && r.path("targetRef").asText().startsWith(targetPrefix)) {
        return true;
      }
    }
    return false;
  }

  private static boolean anyHas(JsonNode entities, String type) {
    for (JsonNode e : entities) {
      if (has(e, type, "")) {
        return true;
      }
    }
    return false;
  }

  private static boolean yamlErrorAt(JsonNode status, String suffix) {
    for (JsonNode e : status.path("processingErrors")) {
      if (e.path("location").asText().endsWith(suffix) && e.path("message").asText().startsWith("YAML error")) {
        return true;
      }
    }
    return false;
  }

  private static List<String> errorLocations(JsonNode status) {
    List<String> out = new ArrayList<>();
    status.path("processingErrors").forEach(e -> out.add(e.path("location").asText()));
    return out;
  }
}
