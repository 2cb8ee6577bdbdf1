package org.meshportal.catalog.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A change outside the kcp tree skips the mesh derivation, unless it touches an entity the mesh
 * reader adopts (here a hand-written System annotated with the provider's {@code kcp.io/path}).
 */
class GitProviderMeshChangesTest {
  private static final String SYSTEM_FILE = "catalog/systems/inventory-system.yaml";
  private static final String SYSTEM_REF = "system:default/inventory-system";
  private static final String COMPONENT_FILE = "catalog/components/hr-api/catalog-info.yaml";

  @Test
  void backstage_changes_leave_mesh_entities_alone_unless_they_are_adopted(@TempDir Path tmp) throws Exception {
    GitUpstream up = GitUpstream.generate(tmp.resolve("upstream"), 1, false);
    String config = up.meshProviderConfig();
    try (GitServer server = GitServer.start(tmp, config)) {
      server.awaitApplied("mesh", up.head());
      JsonNode first = null;
      for (JsonNode api : server.entities("kind=api,metadata.namespace=platform-mesh")) {
        String system = api.path("spec").path("system").asText();
        if (first == null && (!system.startsWith("system:default/") || system.compareTo(SYSTEM_REF) > 0)) {
          first = api; // the System the reader picks now loses to inventory-system once that claims the path
        }
      }
      assertNotNull(first, "an API whose provider System inventory-system can displace");
      String apiName = first.path("metadata").path("name").asText();
      String providerSystem = first.path("spec").path("system").asText();
      String providerPath = first.path("metadata").path("annotations").path("kcp.io/path").asText();
      String etag = first.path("metadata").path("etag").asText();

      // a component changes: applied, and no mesh entity is written again
      up.write(COMPONENT_FILE, up.read(COMPONENT_FILE).replaceFirst("(?m)^(\\s*)description:.*$", "$1description: MARKER-C"));
      push(server, up, "component only");
      assertEquals("MARKER-C", server.entity("component", "default", "hr-api").path("metadata").path("description").asText());
      assertEquals(etag, api(server, apiName).path("metadata").path("etag").asText());

      // a hand-written System outside the kcp tree claims the provider's workspace: the reader adopts it
      String original = up.read(SYSTEM_FILE);
      up.write(SYSTEM_FILE, original.replaceFirst("(?m)^  title:", "  annotations:\n    kcp.io/path: " + providerPath + "\n  title:"));
      push(server, up, "adopt redis provider system");
      assertEquals(SYSTEM_REF, api(server, apiName).path("spec").path("system").asText());

      // and gives it back when the annotation goes
      up.write(SYSTEM_FILE, original);
      push(server, up, "release redis provider system");
      assertEquals(providerSystem, api(server, apiName).path("spec").path("system").asText());
    }
  }

  private static JsonNode api(GitServer server, String name) {
    return server.entity("api", "platform-mesh", name);
  }

  private static void push(GitServer server, GitUpstream up, String message) {
    String commit = up.commitAll(message);
    assertEquals(202, server.githubPush(up.url(), commit, "s3cret").status());
    JsonNode status = server.awaitApplied("mesh", commit);
    assertEquals("OK", status.path("state").asText(), status.toString());
  }
}
