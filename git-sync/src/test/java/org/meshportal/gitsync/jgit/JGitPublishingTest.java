package org.meshportal.gitsync.jgit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshportal.gitsync.GitCredentials;
import org.meshportal.gitsync.GitPublishing;
import org.meshportal.gitsync.GitPublishing.CommitMessage;
import org.meshportal.gitsync.GitSyncException;

class JGitPublishingTest {
  @TempDir Path tmp;

  private GitPublishing publishing() {
    return GitPublishing.jgit(tmp.resolve("scratch"));
  }

  private Path dir(String name, Map<String, String> files) throws IOException {
    Path d = tmp.resolve(name);
    for (var f : files.entrySet()) {
      Path p = d.resolve(f.getKey());
      Files.createDirectories(p.getParent());
      Files.writeString(p, f.getValue());
    }
    return d;
  }

  @Test
  void publish_new_creates_a_missing_file_repository_with_exactly_the_source_files() throws IOException {
    Path source = dir("src", Map.of("README.md", "# hi\n", "docs/index.md", "docs\n"));
    Path remote = tmp.resolve("new-repo.git");

    var pushed = publishing().publishNew(remote.toUri().toString(), GitCredentials.NONE, "main",
        source, new CommitMessage("initial commit", "Ada", "ada@example.org"));

    assertEquals("main", pushed.branch());
    Map<String, String> files = read(remote, "main");
    assertEquals(Map.of("README.md", "# hi\n", "docs/index.md", "docs\n"), files);
    try (Repository repo = open(remote); RevWalk walk = new RevWalk(repo)) {
      RevCommit head = walk.parseCommit(repo.resolve(Constants.R_HEADS + "main"));
      assertEquals(pushed.commitHash(), head.getName());
      assertEquals("Ada", head.getAuthorIdent().getName());
      assertEquals("initial commit", head.getFullMessage());
      assertEquals(0, head.getParentCount());
    }
    assertTrue(Files.list(tmp.resolve("scratch")).findAny().isEmpty(), "scratch clone removed");
  }

  @Test
  void publish_new_refuses_an_existing_branch() throws IOException {
    Path source = dir("src", Map.of("a.txt", "a"));
    try (Upstream up = Upstream.create(tmp.resolve("up.git"), "main")) {
      String before = up.commit(Map.of("x.txt", "x"));
      GitSyncException e = assertThrows(GitSyncException.class, () -> publishing().publishNew(
          up.url(), GitCredentials.NONE, "main", source, new CommitMessage(null, null, null)));
      assertTrue(e.getMessage().contains("main"), e.getMessage());
      assertEquals(before, up.head());
    }
  }

  @Test
  void publish_on_branch_overlays_files_on_the_base_branch_and_then_on_the_branch() throws IOException {
    try (Upstream up = Upstream.create(tmp.resolve("up.git"), "main")) {
      String base = up.commit(Map.of("keep.txt", "keep", "kcp/a.yaml", "old"));
      Path overlay = dir("overlay", Map.of("kcp/a.yaml", "new", "kcp/b.yaml", "b"));

      var first = publishing().publishOnBranch(up.url(), GitCredentials.NONE, "main", "feature",
          overlay, new CommitMessage("add b", "Bot", "bot@example.org"));
      assertEquals(Map.of("keep.txt", "keep", "kcp/a.yaml", "new", "kcp/b.yaml", "b"),
          read(up.dir(), "feature"));
      assertEquals(base, up.head(), "base branch untouched");

      Path second = dir("overlay2", Map.of("kcp/c.yaml", "c"));
      var next = publishing().publishOnBranch(up.url(), GitCredentials.NONE, "main", "feature",
          second, new CommitMessage("add c", null, null));
      assertEquals(Map.of("keep.txt", "keep", "kcp/a.yaml", "new", "kcp/b.yaml", "b", "kcp/c.yaml", "c"),
          read(up.dir(), "feature"));
      try (Repository repo = open(up.dir()); RevWalk walk = new RevWalk(repo)) {
        RevCommit head = walk.parseCommit(ObjectId.fromString(next.commitHash()));
        assertEquals(first.commitHash(), head.getParent(0).getName(), "stacked on the branch");
      }

      var direct = publishing().publishOnBranch(up.url(), GitCredentials.NONE, "main", "main",
          second, new CommitMessage("direct", null, null));
      assertEquals(direct.commitHash(), up.head());
    }
  }

  @Test
  void publish_on_branch_fails_clearly_without_the_base_branch() throws IOException {
    Path overlay = dir("overlay", Map.of("a", "a"));
    try (Upstream up = Upstream.create(tmp.resolve("up.git"), "main")) {
      up.commit(Map.of("x", "x"));
      GitSyncException e = assertThrows(GitSyncException.class, () -> publishing().publishOnBranch(
          up.url(), GitCredentials.NONE, "develop", "feature", overlay, new CommitMessage(null, null, null)));
      assertEquals(GitSyncException.Reason.BRANCH_NOT_FOUND, e.reason());
      assertTrue(e.getMessage().contains("develop"), e.getMessage());
    }
  }

  @Test
  void unreachable_remote_with_token_is_reported_without_the_token() throws IOException {
    Path source = dir("src", Map.of("a", "a"));
    GitSyncException e = assertThrows(GitSyncException.class, () -> publishing().publishOnBranch(
        "http://127.0.0.1:9/org/repo.git", GitCredentials.token("s3cr3t-token"), "main", "main", source,
        new CommitMessage(null, null, null)));
    assertFalse(e.getMessage().contains("s3cr3t-token"), e.getMessage());
    assertEquals(GitSyncException.Reason.UNREACHABLE, e.reason());
  }

  private static Repository open(Path gitDir) throws IOException {
    return new FileRepositoryBuilder().setGitDir(gitDir.toFile()).setBare().build();
  }

  private static Map<String, String> read(Path gitDir, String branch) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Repository repo = open(gitDir); RevWalk walk = new RevWalk(repo); TreeWalk tw = new TreeWalk(repo)) {
      tw.addTree(walk.parseCommit(repo.resolve(Constants.R_HEADS + branch)).getTree());
      tw.setRecursive(true);
      while (tw.next()) {
        out.put(tw.getPathString(), new String(repo.open(tw.getObjectId(0)).getBytes(), StandardCharsets.UTF_8));
      }
    }
    return out;
  }
}
