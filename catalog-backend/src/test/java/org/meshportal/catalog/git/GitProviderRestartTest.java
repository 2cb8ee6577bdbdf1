package org.meshportal.catalog.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * After a restart the provider rebuilds its caches from the commit the catalog already holds,
 * before the next change arrives, so the first commit after the restart is read incrementally.
 */
class GitProviderRestartTest {
  private static final String SCHEMA =
      "kcp/root/providers/rabbitmq-provider/apiresourceschema-brokers.rabbitmq.platform-mesh.example.io.yaml";
  private static final String API = "rabbitmq-provider_rabbitmq.platform-mesh.example.io";
  private static final String COMPONENT_FILE = "catalog/components/hr-api/catalog-info.yaml";

  @Test
  void the_first_commits_after_a_restart_read_only_their_files(@TempDir Path tmp) throws Exception {
    GitUpstream up = GitUpstream.generate(tmp.resolve("upstream"), 1, false);
    String config = up.meshProviderConfig();
    String head = up.head();
    String apiEtag;
    try (GitServer server = GitServer.start(tmp, config)) {
      server.awaitApplied("mesh", head);
      apiEtag = server.entity("api", "platform-mesh", API).path("metadata").path("etag").asText();
    }

    try (GitServer server = GitServer.start(tmp, config)) {
      JsonNode status = server.awaitApplied("mesh", head);
      assertTrue(status.path("lastChangeFilesRead").asInt() > 100, "the resume read the whole commit: " + status);
      assertEquals(apiEtag, server.entity("api", "platform-mesh", API).path("metadata").path("etag").asText(),
          "the resume rewrote nothing");

      up.write(COMPONENT_FILE, up.read(COMPONENT_FILE).replaceFirst("(?m)^(\\s*)description:.*$", "$1description: MARKER-R1"));
      status = push(server, up, "component after restart");
      // the file and what its placeholders read, not the whole commit
      assertTrue(status.path("lastChangeFilesRead").asInt() <= 3, status.toString());
      assertEquals("MARKER-R1", server.entity("component", "default", "hr-api").path("metadata").path("description").asText());

      up.write(SCHEMA, up.read(SCHEMA).replace("Broker is the Schema for the brokers API.", "Broker MARKER-R2."));
      status = push(server, up, "schema after restart");
      assertEquals(1, status.path("lastChangeFilesRead").asInt(), status.toString());
      assertTrue(server.entity("api", "platform-mesh", API).path("spec").path("definition").asText().contains("Broker MARKER-R2."));
    }
  }

  private static JsonNode push(GitServer server, GitUpstream up, String message) {
    String commit = up.commitAll(message);
    assertEquals(202, server.githubPush(up.url(), commit, "s3cret").status());
    JsonNode status = server.awaitApplied("mesh", commit);
    assertEquals("OK", status.path("state").asText(), status.toString());
    return status;
  }
}
