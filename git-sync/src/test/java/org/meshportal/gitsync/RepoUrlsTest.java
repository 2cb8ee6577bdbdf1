package org.meshportal.gitsync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class RepoUrlsTest {

  @Test
  void parses_the_file_url_shapes_of_each_host_kind() {
    RepoLocation gh = RepoUrls.parse("https://github.com/org/repo/blob/main/dir/catalog-info.yaml");
    assertEquals(new RepoLocation(HostKind.GITHUB, "https://github.com/org/repo",
        "https://github.com/org/repo.git", "main", "dir/catalog-info.yaml"), gh);

    RepoLocation gl = RepoUrls.parse("https://gitlab.com/group/sub/repo/-/blob/dev/a.yaml");
    assertEquals(new RepoLocation(HostKind.GITLAB, "https://gitlab.com/group/sub/repo",
        "https://gitlab.com/group/sub/repo.git", "dev", "a.yaml"), gl);

    RepoLocation gitea = RepoUrls.parse("https://git.example.org/org/repo/src/branch/main/x/y.yaml");
    assertEquals(HostKind.GITEA, gitea.kind());
    assertEquals("https://git.example.org/org/repo", gitea.webUrl());
    assertEquals("x/y.yaml", gitea.path());

    RepoLocation bb = RepoUrls.parse("https://bitbucket.org/ws/repo/src/main/catalog-info.yaml");
    assertEquals(HostKind.BITBUCKET, bb.kind());
    assertEquals("https://bitbucket.org/ws/repo.git", bb.cloneUrl());

    RepoLocation file = RepoUrls.parse("file:///srv/git/repo.git/blob/main/a/b.yaml");
    assertEquals(new RepoLocation(HostKind.FILE, "file:///srv/git/repo.git",
        "file:///srv/git/repo.git", "main", "a/b.yaml"), file);
  }

  @Test
  void rejects_targets_that_name_no_repository_file_with_the_reason() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RepoUrls.parse("https://example.org/just/a/page"));
    assertTrue(e.getMessage().contains("https://example.org/just/a/page"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> RepoUrls.parse("ftp://x/org/r/blob/m/a"));
    assertTrue(RepoUrls.tryParse("not a url", Integrations.none()).isEmpty());
  }

  @Test
  void relative_targets_resolve_in_the_same_repository_and_branch() {
    RepoLocation base = RepoUrls.parse("https://github.com/org/repo/blob/main/apps/a/catalog.yaml");

    assertEquals("apps/a/api.yaml", base.resolve("./api.yaml").path());
    assertEquals("apps/b/c.yaml", base.resolve("../b/c.yaml").path());
    assertEquals("root.yaml", base.resolve("/root.yaml").path());
    assertEquals("main", base.resolve("x.yaml").branch());
    assertThrows(IllegalArgumentException.class, () -> base.resolve("../../../escape.yaml"));
  }

  @Test
  void builds_view_edit_and_source_urls_per_host_kind() {
    SourceUrls gh = RepoUrls.sourceUrls(HostKind.GITHUB, "git@github.com:org/repo.git", "main",
        "dir/catalog-info.yaml");
    assertEquals("url:https://github.com/org/repo/blob/main/dir/catalog-info.yaml",
        gh.managedByLocation());
    assertEquals("url:https://github.com/org/repo/tree/main/dir/", gh.sourceLocation());
    assertEquals("https://github.com/org/repo/blob/main/dir/catalog-info.yaml", gh.viewUrl());
    assertEquals("https://github.com/org/repo/edit/main/dir/catalog-info.yaml", gh.editUrl());

    SourceUrls gl = RepoUrls.sourceUrls(HostKind.GITLAB, "https://gitlab.com/g/r.git", "main",
        "c.yaml");
    assertEquals("url:https://gitlab.com/g/r/-/tree/main/", gl.sourceLocation());
    assertEquals("https://gitlab.com/g/r/-/edit/main/c.yaml", gl.editUrl());

    SourceUrls gitea = RepoUrls.sourceUrls(HostKind.GITEA, "https://gitea.io/o/r.git", "main",
        "c.yaml");
    assertEquals("https://gitea.io/o/r/src/branch/main/c.yaml", gitea.viewUrl());
    assertEquals("https://gitea.io/o/r/_edit/main/c.yaml", gitea.editUrl());

    SourceUrls bb = RepoUrls.sourceUrls(HostKind.BITBUCKET, "https://bitbucket.org/w/r.git",
        "main", "c.yaml");
    assertEquals("https://bitbucket.org/w/r/src/main/c.yaml?mode=edit", bb.editUrl());

    SourceUrls file = RepoUrls.sourceUrls(HostKind.FILE, "file:///srv/repo.git", "main", "a.yaml");
    assertNull(file.editUrl());
    assertEquals(RepoUrls.parse(file.viewUrl()).cloneUrl(), "file:///srv/repo.git",
        "a file:// view url parses back to its repository");
    assertEquals(List.of(SourceUrls.MANAGED_BY_LOCATION, SourceUrls.SOURCE_LOCATION,
        SourceUrls.VIEW_URL), List.copyOf(file.annotations().keySet()));
  }

  @Test
  void integrations_give_credentials_and_kind_per_host() {
    Integrations integrations = new Integrations(List.of(
        new HostIntegration(HostKind.GITLAB, "Code.Example.ORG", GitCredentials.token("t"))));

    assertEquals(GitCredentials.token("t"),
        integrations.credentialsFor("https://code.example.org/g/r.git"));
    assertEquals(GitCredentials.NONE, integrations.credentialsFor("https://github.com/o/r"));
    assertEquals(HostKind.GITLAB, integrations.kindFor("https://code.example.org/g/r.git"));
    assertEquals(HostKind.FILE, integrations.kindFor("file:///srv/r.git"));
    assertEquals(HostKind.GITLAB, RepoUrls.parse(
        "https://code.example.org/g/r/blob/main/a.yaml", integrations).kind());
    assertThrows(IllegalArgumentException.class, () -> new Integrations(List.of(
        new HostIntegration(HostKind.GITHUB, "h", null),
        new HostIntegration(HostKind.GITLAB, "H", null))));
  }

  @Test
  void repo_keys_match_across_url_forms_and_user_info_is_redacted() {
    String key = RepoUrls.repoKey("https://github.com/Org/Repo.git");
    assertEquals(key, RepoUrls.repoKey("git@github.com:org/repo"));
    assertEquals(key, RepoUrls.repoKey("ssh://git@github.com/org/repo.git/"));
    assertEquals("fetch https://***@host/r failed",
        RepoUrls.redact("fetch https://user:pw@host/r failed"));
  }
}
