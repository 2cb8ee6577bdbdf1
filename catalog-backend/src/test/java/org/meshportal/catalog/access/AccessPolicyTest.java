package org.meshportal.catalog.access;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshportal.model.errors.NotAllowedException;

/** The decisions of {@link AccessPolicy} one by one; {@code SandboxHttpTest} drives them through the server. */
class AccessPolicyTest {
  @TempDir Path tmp;

  private static AccessPolicy hosts(HostRule... rules) {
    return new AccessPolicy(List.of(), List.of(), List.of(rules), List.of("git.corp.example", "gitea.local:3000"),
        List.of("https://github.com/acme/mesh.git"));
  }

  private static void allowed(AccessPolicy policy, String url) {
    assertDoesNotThrow(() -> policy.checkUrlRead(url), url);
  }

  private static void refused(AccessPolicy policy, String url) {
    NotAllowedException e = assertThrows(NotAllowedException.class, () -> policy.checkUrlRead(url), url);
    assertTrue(e.getMessage().contains("backend.reading.allow"), e.getMessage());
  }

  @Test
  void reading_allow_matches_host_port_wildcard_and_paths_as_backstage_does() {
    AccessPolicy p = hosts(HostRule.parse("example.com", List.of()), HostRule.parse("*.svc.example", List.of()),
        HostRule.parse("localhost:8000-8100", List.of()), HostRule.parse("docs.example", List.of("/public", "/team-a/")));
    allowed(p, "https://example.com/a.yaml");
    allowed(p, "https://example.com:443/a.yaml");
    refused(p, "https://example.com:8443/a.yaml");
    refused(p, "https://sub.example.com/a.yaml");
    allowed(p, "https://a.svc.example/x");
    allowed(p, "http://a.b.svc.example/x");
    refused(p, "https://svc.example/x");
    refused(p, "https://evilsvc.example/x");
    allowed(p, "http://localhost:8000/x");
    allowed(p, "http://localhost:8100/x");
    refused(p, "http://localhost:8101/x");
    refused(p, "http://localhost/x");
    allowed(p, "https://docs.example/public");
    allowed(p, "https://docs.example/public/a.yaml");
    refused(p, "https://docs.example/publicity/a.yaml");
    refused(p, "https://docs.example/public/../private/a.yaml");
    refused(p, "https://docs.example/team-a");
    allowed(p, "https://docs.example/team-a/x.yaml");
    refused(p, "ftp://example.com/a.yaml");
  }

  @Test
  void integration_hosts_and_named_repositories_are_readable_and_nothing_else() {
    AccessPolicy p = hosts();
    allowed(p, "https://git.corp.example/org/repo/blob/main/catalog-info.yaml");
    allowed(p, "http://gitea.local:3000/org/repo/src/branch/main/x.yaml");
    refused(p, "http://gitea.local/org/repo/src/branch/main/x.yaml");
    allowed(p, "https://github.com/acme/mesh/blob/main/catalog-info.yaml");
    refused(p, "https://github.com/acme/mesh-evil/blob/main/catalog-info.yaml");
    refused(p, "https://github.com/other/repo/blob/main/catalog-info.yaml");
    refused(p, "http://127.0.0.1:7007/api/catalog/entities");
    refused(p, "http://[::1]:7007/x");
    refused(p, "http://169.254.169.254/latest/meta-data/");
    refused(p, "not a url");
  }

  @Test
  void files_are_readable_only_below_readable_directories_after_links_are_resolved() throws IOException {
    Path allowed = Files.createDirectories(tmp.resolve("allowed"));
    Path secret = Files.writeString(Files.createDirectories(tmp.resolve("secret")).resolve("key"), "k");
    Files.createSymbolicLink(allowed.resolve("link"), secret.getParent());
    Files.createSymbolicLink(allowed.resolve("file-link"), secret);
    AccessPolicy p = AccessPolicy.readingFrom(allowed);
    assertEquals(allowed.resolve("a.yaml"), p.checkFileRead(allowed.resolve("a.yaml")));
    assertDoesNotThrow(() -> p.checkFileRead(allowed.resolve("missing/b.yaml")));
    for (Path bad : List.of(secret, allowed.resolve("../secret/key"), allowed.resolve("link/key"),
        allowed.resolve("file-link"), Path.of("/etc/passwd"), tmp.resolve("allowed-sibling/x"))) {
      NotAllowedException e = assertThrows(NotAllowedException.class, () -> p.checkFileRead(bad), bad.toString());
      assertTrue(e.getMessage().contains("is not allowed"), e.getMessage());
    }
    assertThrows(NotAllowedException.class, () -> AccessPolicy.checkFileReadWithin(allowed.resolve("link/key"), allowed));
    assertThrows(NotAllowedException.class, () -> AccessPolicy.denyAll().checkFileRead(allowed.resolve("a.yaml")));
  }

  @Test
  void file_repository_urls_are_files() throws IOException {
    Path repos = Files.createDirectories(tmp.resolve("repos"));
    AccessPolicy p = AccessPolicy.readingFrom(repos);
    allowed(p, repos.toUri() + "x.git/blob/main/catalog-info.yaml");
    refused(p, tmp.toUri() + "other.git/blob/main/catalog-info.yaml");
    refused(p, "file:///etc/passwd");
  }

  @Test
  void pushes_go_to_integration_hosts_named_repositories_and_writable_folders_only() throws IOException {
    Path writable = Files.createDirectories(tmp.resolve("repos"));
    AccessPolicy p = new AccessPolicy(List.of(), List.of(writable), List.of(HostRule.parse("docs.example", List.of())),
        List.of("git.corp.example"), List.of("file://" + tmp.resolve("mesh.git")));
    assertDoesNotThrow(() -> p.checkPush("https://git.corp.example/org/new.git"));
    assertDoesNotThrow(() -> p.checkPush(writable.toUri() + "new.git"));
    assertDoesNotThrow(() -> p.checkPush("file://" + tmp.resolve("mesh.git")));
    for (String bad : List.of("https://docs.example/org/new.git", "https://github.com/org/new.git",
        tmp.toUri() + "elsewhere.git", writable.toUri() + "../escape.git", "file:///etc", "ssh://127.0.0.1/x.git")) {
      NotAllowedException e = assertThrows(NotAllowedException.class, () -> p.checkPush(bad), bad);
      assertTrue(e.getMessage().startsWith("Publishing to"), e.getMessage());
    }
  }

  @Test
  void bad_reading_allow_entries_are_refused_with_the_reason() {
    for (String bad : List.of("", "http://example.com", "example.com:0", "example.com:9-1", "example.com:x",
        "*.", "a*.example.com")) {
      assertThrows(IllegalArgumentException.class, () -> HostRule.parse(bad, List.of()), bad);
    }
    assertThrows(IllegalArgumentException.class, () -> HostRule.parse("example.com", List.of("no-slash")));
  }
}
