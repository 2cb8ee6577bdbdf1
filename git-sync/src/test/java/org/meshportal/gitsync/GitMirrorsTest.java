package org.meshportal.gitsync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshportal.gitsync.GitSyncException.Reason;
import org.meshportal.gitsync.SyncResult.Outcome;
import org.meshportal.gitsync.jgit.Upstream;

class GitMirrorsTest {

  @TempDir Path tmp;
  Upstream upstream;
  RecordingListener listener;
  GitMirrors mirrors;

  @BeforeEach
  void setUp() {
    upstream = Upstream.create(tmp.resolve("upstream.git"), "main");
    listener = new RecordingListener();
    mirrors = open(listener);
    mirrors.add(new MirrorSpec("repo", upstream.url(), "main"));
  }

  @AfterEach
  void tearDown() {
    mirrors.close();
    upstream.close();
  }

  private GitMirrors open(ChangeListener l) {
    return GitMirrors.builder(tmp.resolve("mirrors")).listener(l).build();
  }

  @Test
  void first_sync_is_a_full_resync_listing_every_file_with_contents_readable() {
    String head = upstream.commit(Map.of("catalog-info.yaml", "a", "docs/x.md", "b"));

    SyncResult r = mirrors.sync("repo");

    assertEquals(Outcome.CHANGED, r.outcome());
    ChangeSet c = r.changeSet();
    assertTrue(c.fullResync());
    assertNull(c.fromCommit());
    assertEquals(head, c.toCommit());
    assertEquals("main", c.branch());
    assertEquals(List.of(FileChange.added("catalog-info.yaml"), FileChange.added("docs/x.md")),
        c.changes());
    assertEquals(Map.of("catalog-info.yaml", "a", "docs/x.md", "b"),
        listener.deliveries.getFirst().contents());
    MirrorStatus s = mirrors.status("repo");
    assertEquals(MirrorStatus.State.OK, s.state());
    assertEquals(head, s.processedCommit());
    assertEquals(head, s.fetchedCommit());
    assertNull(s.lastError());
    assertNotNull(s.lastFetchAt());
  }

  @Test
  void a_commit_with_several_files_yields_added_modified_and_deleted() {
    String first = upstream.commit(Map.of("a.yaml", "1", "b.yaml", "2", "dir/c.yaml", "3"));
    mirrors.sync("repo");
    String second = upstream.commit(Map.of("a.yaml", "1 changed", "dir/new.yaml", "4"), "b.yaml");

    ChangeSet c = mirrors.sync("repo").changeSet();

    assertFalse(c.fullResync());
    assertEquals(first, c.fromCommit());
    assertEquals(second, c.toCommit());
    assertEquals(List.of(FileChange.modified("a.yaml"), FileChange.deleted("b.yaml"),
        FileChange.added("dir/new.yaml")), c.changes());
    assertEquals("1 changed", listener.deliveries.getLast().contents().get("a.yaml"));
  }

  @Test
  void a_moved_file_is_reported_as_a_rename() {
    upstream.commit(Map.of("old/catalog-info.yaml", "kind: Component\nmetadata:\n  name: x\n"));
    mirrors.sync("repo");
    upstream.rename("old/catalog-info.yaml", "new/catalog-info.yaml");

    ChangeSet c = mirrors.sync("repo").changeSet();

    assertEquals(List.of(FileChange.renamed("old/catalog-info.yaml", "new/catalog-info.yaml")),
        c.changes());
  }

  @Test
  void an_unchanged_branch_yields_no_change_set_and_no_listener_call() {
    upstream.commit(Map.of("a", "1"));
    mirrors.sync("repo");

    SyncResult r = mirrors.sync("repo");

    assertEquals(Outcome.UNCHANGED, r.outcome());
    assertTrue(r.change().isEmpty());
    assertEquals(1, listener.deliveries.size());
  }

  @Test
  void a_force_push_rewriting_history_yields_a_full_resync() {
    upstream.commit(Map.of("a", "1", "b", "2"));
    String before = upstream.commit(Map.of("c", "3"));
    mirrors.sync("repo");
    String rewritten = upstream.rewriteHistory(Map.of("a", "rewritten"));

    ChangeSet c = mirrors.sync("repo").changeSet();

    assertTrue(c.fullResync());
    assertEquals(before, c.fromCommit());
    assertEquals(rewritten, c.toCommit());
    assertEquals(List.of(FileChange.added("a")), c.changes());
  }

  @Test
  void a_branch_deleted_upstream_is_an_error_that_keeps_the_last_state() {
    String head = upstream.commit(Map.of("a", "1"));
    mirrors.sync("repo");
    upstream.copyBranch("other");
    upstream.deleteBranch();

    SyncResult r = mirrors.sync("repo");

    assertEquals(Outcome.FAILED, r.outcome());
    MirrorStatus s = mirrors.status("repo");
    assertEquals(MirrorStatus.State.ERROR, s.state());
    assertEquals(Reason.BRANCH_NOT_FOUND, s.lastError().reason());
    assertEquals(head, s.processedCommit());
    assertEquals(1, listener.deliveries.size(), "no deletion is delivered");
    try (CommitReader files = mirrors.reader("repo", head)) {
      assertEquals("1", new String(files.read("a").orElseThrow(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void an_empty_repository_yields_nothing_until_its_first_commit() {
    SyncResult r = mirrors.sync("repo");

    assertEquals(Outcome.EMPTY, r.outcome());
    assertEquals(MirrorStatus.State.EMPTY, mirrors.status("repo").state());
    assertTrue(listener.deliveries.isEmpty());

    upstream.commit(Map.of("a", "1"));
    assertTrue(mirrors.sync("repo").changeSet().fullResync());
  }

  @Test
  void an_unknown_remote_repository_is_a_typed_error() {
    mirrors.add(new MirrorSpec("missing", tmp.resolve("nope.git").toUri().toString(), "main"));

    SyncResult r = mirrors.sync("missing");

    assertEquals(Outcome.FAILED, r.outcome());
    assertEquals(Reason.REPOSITORY_NOT_FOUND, mirrors.status("missing").lastError().reason());
  }

  @Test
  void a_restart_catches_up_from_the_persisted_processed_commit() {
    String first = upstream.commit(Map.of("a", "1", "b", "2"));
    mirrors.sync("repo");
    mirrors.close();
    String second = upstream.commit(Map.of("b", "changed while down"));

    RecordingListener afterRestart = new RecordingListener();
    mirrors = open(afterRestart);
    mirrors.add(new MirrorSpec("repo", upstream.url(), "main"));
    assertEquals(first, mirrors.processedCommit("repo").orElseThrow());

    ChangeSet c = mirrors.sync("repo").changeSet();

    assertFalse(c.fullResync());
    assertEquals(first, c.fromCommit());
    assertEquals(second, c.toCommit());
    assertEquals(List.of(FileChange.modified("b")), c.changes());
  }

  @Test
  void a_restart_resumes_the_listeners_at_the_processed_commit_once_before_the_next_change() {
    String first = upstream.commit(Map.of("a", "1", "b", "2"));
    mirrors.sync("repo");
    assertTrue(listener.resumed.isEmpty(), "no earlier run: nothing to resume");
    mirrors.close();
    String second = upstream.commit(Map.of("b", "changed while down"));

    RecordingListener afterRestart = new RecordingListener();
    mirrors = open(afterRestart);
    mirrors.add(new MirrorSpec("repo", upstream.url(), "main"));
    mirrors.sync("repo");
    mirrors.sync("repo");

    assertEquals(List.of("resume repo@" + first + " b=2", "change " + first + ".." + second), afterRestart.events);
  }

  @Test
  void a_failing_resume_is_ignored_and_the_change_is_still_delivered() {
    String first = upstream.commit(Map.of("a", "1"));
    mirrors.sync("repo");
    mirrors.close();
    String second = upstream.commit(Map.of("a", "2"));

    RecordingListener afterRestart = new RecordingListener();
    afterRestart.failResume = true;
    mirrors = open(afterRestart);
    mirrors.add(new MirrorSpec("repo", upstream.url(), "main"));
    SyncResult r = mirrors.sync("repo");

    assertEquals(Outcome.CHANGED, r.outcome());
    assertEquals(List.of("resume repo@" + first + " b=-", "change " + first + ".." + second), afterRestart.events);
    assertEquals(second, mirrors.processedCommit("repo").orElseThrow());
  }

  @Test
  void a_changed_branch_in_config_forgets_the_processed_commit() {
    upstream.commit(Map.of("a", "1"));
    mirrors.sync("repo");
    upstream.copyBranch("release");

    mirrors.add(new MirrorSpec("repo", upstream.url(), "release"));

    assertTrue(mirrors.processedCommit("repo").isEmpty());
    assertTrue(mirrors.sync("repo").changeSet().fullResync());
  }

  @Test
  void a_failing_listener_keeps_the_processed_commit_and_the_next_sync_delivers_again() {
    String first = upstream.commit(Map.of("a", "1"));
    mirrors.sync("repo");
    String second = upstream.commit(Map.of("a", "2"));
    listener.failuresLeft.set(1);

    SyncResult rejected = mirrors.sync("repo");

    assertEquals(Outcome.REJECTED, rejected.outcome());
    MirrorStatus s = mirrors.status("repo");
    assertEquals(first, s.processedCommit());
    assertEquals(second, s.fetchedCommit());
    assertEquals(Reason.CONSUMER_FAILED, s.lastError().reason());

    SyncResult retried = mirrors.sync("repo");

    assertEquals(Outcome.CHANGED, retried.outcome());
    assertEquals(first, retried.changeSet().fromCommit());
    assertEquals(List.of(FileChange.modified("a")), retried.changeSet().changes());
    assertEquals(second, mirrors.status("repo").processedCommit());
    assertNull(mirrors.status("repo").lastError());
  }

  @Test
  void a_burst_of_requests_coalesces_into_one_running_and_one_pending_sync() throws Exception {
    upstream.commit(Map.of("a", "1"));
    CountDownLatch entered = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger calls = new AtomicInteger();
    mirrors.close();
    mirrors = open((change, files) -> {
      calls.incrementAndGet();
      entered.countDown();
      assertTrue(release.await(10, TimeUnit.SECONDS));
    });
    mirrors.add(new MirrorSpec("repo", upstream.url(), "main"));

    CompletableFuture<SyncResult> first = mirrors.requestSync("repo");
    assertTrue(entered.await(10, TimeUnit.SECONDS));
    List<CompletableFuture<SyncResult>> burst = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      burst.add(mirrors.requestSync("repo"));
    }
    assertTrue(mirrors.status("repo").syncing());
    release.countDown();

    assertEquals(Outcome.CHANGED, first.get(10, TimeUnit.SECONDS).outcome());
    for (CompletableFuture<SyncResult> f : burst) {
      assertEquals(Outcome.UNCHANGED, f.get(10, TimeUnit.SECONDS).outcome());
    }
    assertEquals(1, burst.stream().distinct().count(), "the burst shares one pending sync");
    assertEquals(2, mirrors.status("repo").syncCount());
    assertEquals(1, calls.get());
  }

  @Test
  void the_schedule_fetches_new_commits_without_being_asked() throws Exception {
    ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    try {
      upstream.commit(Map.of("a", "1"));
      String wanted = upstream.commit(Map.of("a", "2"));
      CompletableFuture<ChangeSet> seen = new CompletableFuture<>();
      mirrors.close();
      mirrors = GitMirrors.builder(tmp.resolve("mirrors")).scheduler(scheduler)
          .listener((c, f) -> {
            if (c.toCommit().equals(wanted)) {
              seen.complete(c);
            }
          }).build();
      mirrors.add(new MirrorSpec("repo", upstream.url(), "main", GitCredentials.NONE,
          Duration.ofMillis(50)));
      mirrors.start();

      assertEquals(wanted, seen.get(10, TimeUnit.SECONDS).toCommit());
    } finally {
      mirrors.close();
      scheduler.shutdownNow();
    }
  }

  @Test
  void a_one_file_commit_reads_objects_in_proportion_to_the_change_not_the_repository() {
    Map<String, String> many = new LinkedHashMap<>();
    for (int d = 0; d < 10; d++) {
      for (int f = 0; f < 10; f++) {
        many.put("dir" + d + "/sub/file" + f + ".yaml", "content " + d + "/" + f);
      }
    }
    upstream.commit(many);
    mirrors.sync("repo");
    upstream.commit(Map.of("dir7/sub/file3.yaml", "changed"));

    SyncResult r = mirrors.sync("repo");

    assertEquals(List.of(FileChange.modified("dir7/sub/file3.yaml")), r.changeSet().changes());
    // 2 commits + 2 root trees + 2 trees on each side of the path; reading the tree would be >100.
    assertTrue(r.objectsRead() <= 10, "objects read: " + r.objectsRead());
  }

  @Test
  void a_commit_reader_lists_paths_by_glob_and_refuses_to_leave_the_repository() {
    String head = upstream.commit(Map.of("catalog-info.yaml", "r", "apps/a/catalog-info.yaml", "a",
        "apps/b/other.yaml", "b"));
    mirrors.sync("repo");

    try (CommitReader files = mirrors.reader("repo", head)) {
      assertEquals(head, files.commit());
      assertEquals(List.of("apps/a/catalog-info.yaml", "catalog-info.yaml"),
          files.list("**/catalog-info.yaml"));
      assertEquals(List.of("apps/a/catalog-info.yaml", "apps/b/other.yaml"),
          files.list("/apps/*/*.yaml"));
      assertTrue(files.read("apps/missing.yaml").isEmpty());
      assertTrue(files.read("apps").isEmpty(), "a directory is not a file");
      GitSyncException e = org.junit.jupiter.api.Assertions.assertThrows(GitSyncException.class,
          () -> files.read("apps/../../etc/passwd"));
      assertEquals(Reason.NOT_FOUND, e.reason());
    }
  }

  @Test
  void webhook_pushes_find_mirrors_by_any_url_form_and_branch() {
    mirrors.add(new MirrorSpec("gh", "https://github.com/Org/Repo.git", "main"));
    mirrors.add(new MirrorSpec("gh-release", "git@github.com:org/repo.git", "release"));

    PushEvent push = new PushEvent(WebhookKind.GITHUB,
        List.of("https://github.com/org/repo", "git@github.com:org/repo.git"), "main", null);
    assertEquals(List.of("gh"), mirrors.mirrorsOf(push));
    PushEvent other = new PushEvent(WebhookKind.GITHUB,
        List.of("https://github.com/org/unknown"), "main", null);
    assertEquals(List.of(), mirrors.requestSync(other));
    assertFalse(mirrors.knowsRepository(other));
  }

  @Test
  void credentials_never_appear_in_specs_or_status() {
    MirrorSpec spec = new MirrorSpec("secret", "https://user:hunter2@example.invalid/org/r.git",
        "main", GitCredentials.token("tok-123"), null);

    assertFalse(spec.toString().contains("hunter2"));
    assertFalse(spec.toString().contains("tok-123"));
    mirrors.add(spec);
    assertFalse(mirrors.status("secret").url().contains("hunter2"));
  }
}
