package org.meshportal.catalog.git;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An incremental change deletes exactly the refs no file holds any more: an entity that moves to
 * another file, or that another file also holds, stays.
 */
class GitProviderDeletesTest {

  @Test
  void a_change_deletes_only_what_no_file_holds_any_more(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("upstream");
    Files.createDirectories(dir);
    GitUpstream up = new GitUpstream(dir);
    up.git("init", "-q", "-b", "main");
    up.write("catalog-info.yaml", """
        apiVersion: backstage.io/v1alpha1
        kind: Location
        metadata:
          name: root
        spec:
          targets: [./a.yaml, ./b.yaml]
        """);
    up.write("a.yaml", components("x", "shared"));
    up.write("b.yaml", components("y", "shared"));
    up.commitAll("start");
    String config = """
        catalog:
          providers:
            git:
              repo:
                url: %s
                catalogPath: catalog-info.yaml
                webhookSecret: s3cret
        """.formatted(up.url());
    try (GitServer server = GitServer.start(tmp, config)) {
      server.awaitApplied("repo", up.head());
      assertNotNull(server.entity("component", "default", "x"));

      // x moves from a.yaml to b.yaml and z replaces it in a.yaml, in one commit
      up.write("a.yaml", components("z", "shared"));
      up.write("b.yaml", components("y", "shared", "x"));
      push(server, up, "move x");
      assertNotNull(server.entity("component", "default", "x"));
      assertNotNull(server.entity("component", "default", "z"));

      // a.yaml drops the ref b.yaml also holds: it stays
      up.write("a.yaml", components("z"));
      push(server, up, "a drops shared");
      assertNotNull(server.entity("component", "default", "shared"));

      // the last file holding it drops it: it goes, and so does a.yaml's z when a.yaml goes
      up.write("b.yaml", components("y", "x"));
      up.delete("a.yaml");
      push(server, up, "b drops shared, a.yaml deleted");
      assertNull(server.entity("component", "default", "shared"));
      assertNull(server.entity("component", "default", "z"));
      assertNotNull(server.entity("component", "default", "x"));
      assertNotNull(server.entity("component", "default", "y"));
    }
  }

  private static String components(String... names) {
    StringBuilder out = new StringBuilder();
    for (String name : names) {
      out.append("""
          ---
          apiVersion: backstage.io/v1alpha1
          kind: Component
          metadata:
            name: %s
          spec:
            type: service
            lifecycle: production
            owner: team-a
          """.formatted(name));
    }
    return out.toString();
  }

  private static void push(GitServer server, GitUpstream up, String message) {
    String commit = up.commitAll(message);
    assertEquals(202, server.githubPush(up.url(), commit, "s3cret").status());
    assertEquals("OK", server.awaitApplied("repo", commit).path("state").asText());
  }
}
