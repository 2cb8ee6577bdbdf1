package org.meshportal.catalog.scaffolder;

import org.meshportal.catalog.access.AccessPolicy;
import org.meshportal.catalog.access.HostRule;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshportal.gitsync.GitCredentials;
import org.meshportal.gitsync.GitPublishing;
import org.meshportal.gitsync.HostIntegration;
import org.meshportal.gitsync.HostKind;
import org.meshportal.gitsync.Integrations;
import org.meshportal.model.errors.InputException;
import org.meshportal.templates.GitPublisher;

class ScaffolderAdaptersTest {
  @TempDir Path tmp;

  @Test
  void repo_picker_values_become_clone_urls_and_git_urls_are_kept() {
    assertEquals("https://github.com/acme/web.git", GitSyncPublisher.cloneUrl("github.com?owner=acme&repo=web"));
    assertEquals("https://bitbucket.org/ws/web.git", GitSyncPublisher.cloneUrl("bitbucket.org?workspace=ws&project=p&repo=web"));
    assertEquals("https://git.example.com:8443/acme/web.git",
        GitSyncPublisher.cloneUrl("git.example.com:8443?owner=acme&repo=web"));
    assertEquals("file:///srv/x.git", GitSyncPublisher.cloneUrl("file:///srv/x.git"));
    assertEquals("git@github.com:acme/web.git", GitSyncPublisher.cloneUrl("git@github.com:acme/web.git"));
    assertThrows(InputException.class, () -> GitSyncPublisher.cloneUrl("github.com?owner=acme"));
    assertThrows(InputException.class, () -> GitSyncPublisher.cloneUrl("just-a-name"));
    assertThrows(InputException.class, () -> GitSyncPublisher.cloneUrl("github.com?owner=..&repo=x"));
  }

  @Test
  void contents_urls_follow_the_host_kind() {
    Integrations integrations = new Integrations(List.of(
        new HostIntegration(HostKind.GITLAB, "git.example.com", GitCredentials.token("t0ken-value"))));
    GitSyncPublisher publisher = new GitSyncPublisher(GitPublishing.jgit(tmp), integrations, AccessPolicy.denyAll());
    assertEquals("https://github.com/acme/web/blob/main", publisher.contentsUrl("https://github.com/acme/web.git", "main"));
    assertEquals("https://git.example.com/g/web/-/blob/dev", publisher.contentsUrl("https://git.example.com/g/web.git", "dev"));
    assertEquals("file:///srv/x.git/blob/main", publisher.contentsUrl("file:///srv/x.git", "main"));
  }

  @Test
  void publisher_commits_on_a_branch_of_an_existing_repository() throws IOException {
    Path first = Files.createDirectories(tmp.resolve("first"));
    Files.writeString(first.resolve("a.txt"), "a");
    String remote = tmp.resolve("repo.git").toUri().toString();
    GitSyncPublisher publisher = new GitSyncPublisher(GitPublishing.jgit(tmp.resolve("work")), Integrations.none(),
        new AccessPolicy(List.of(), List.of(tmp), List.of(), List.of(), List.of()));
    GitPublisher.Published created = publisher.createRepository(new GitPublisher.NewRepository(
        remote, first, "main", null, new GitPublisher.CommitInfo("init", "A", "a@example.org")));
    assertEquals(remote, created.remoteUrl());
    assertTrue(created.repoContentsUrl().endsWith("repo.git/blob/main"), created.repoContentsUrl());

    Path overlay = Files.createDirectories(tmp.resolve("overlay/kcp"));
    Files.writeString(overlay.resolve("b.yaml"), "b");
    GitPublisher.Published branch = publisher.commitToBranch(new GitPublisher.BranchCommit(remote,
        "main", "add-b", tmp.resolve("overlay"), new GitPublisher.CommitInfo("add b", null, null)));
    assertTrue(branch.repoContentsUrl().endsWith("/blob/add-b"), branch.repoContentsUrl());
    assertEquals(40, branch.commitHash().length());
  }

  @Test
  void template_files_come_from_file_locations_and_url_locations_fail_clearly() throws IOException {
    Path template = Files.createDirectories(tmp.resolve("tpl/skeleton/docs"));
    Files.writeString(template.resolve("index.md"), "x");
    CatalogTemplateFiles files = new CatalogTemplateFiles(new AccessPolicy(List.of(tmp), List.of(),
        List.of(HostRule.parse("github.com", List.of())), List.of(), List.of()));
    files.fetch(tmp.resolve("tpl").toUri().toString(), "./skeleton", tmp.resolve("out"), false);
    assertEquals("x", Files.readString(tmp.resolve("out/docs/index.md")));

    InputException e = assertThrows(InputException.class, () -> files.fetch(
        "https://github.com/acme/templates/blob/main/web/", "./skeleton", tmp.resolve("out2"), false));
    assertTrue(e.getMessage().contains("not supported yet"), e.getMessage());
  }
}
