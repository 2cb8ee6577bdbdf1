package org.meshportal.gitsync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshportal.gitsync.GitSyncException.Reason;
import org.meshportal.gitsync.SyncResult.Outcome;
import org.meshportal.gitsync.jgit.Upstream;
import org.meshportal.testfixtures.GitHttpServer;

/** Mirrors over real smart HTTP with Basic auth, served by C git's http-backend on loopback. */
class SmartHttpMirrorTest {

  @TempDir Path tmp;
  Upstream upstream;
  GitHttpServer server;
  RecordingListener listener;
  GitMirrors mirrors;
  String url;

  @BeforeEach
  void setUp() throws Exception {
    upstream = Upstream.create(tmp.resolve("srv/org/repo.git"), "main");
    server = new GitHttpServer(tmp.resolve("srv"), tmp,
        Map.of("alice", "s3cret-pw", "x-access-token", "tok-42"));
    url = server.baseUrl() + "/org/repo.git";
    listener = new RecordingListener();
    mirrors = GitMirrors.builder(tmp.resolve("mirrors")).listener(listener).build();
  }

  @AfterEach
  void tearDown() {
    mirrors.close();
    server.close();
    upstream.close();
  }

  @Test
  void clones_then_fetches_incrementally_with_basic_auth() {
    String first = upstream.commit(Map.of("catalog-info.yaml", "v1", "other.txt", "x"));
    mirrors.add(new MirrorSpec("http", url, "main",
        GitCredentials.password("alice", "s3cret-pw"), null));

    SyncResult clone = mirrors.sync("http");

    assertEquals(Outcome.CHANGED, clone.outcome(), () -> String.valueOf(clone.error()));
    assertTrue(clone.changeSet().fullResync());
    assertEquals(first, clone.changeSet().toCommit());

    String second = upstream.commit(Map.of("catalog-info.yaml", "v2"));
    SyncResult fetch = mirrors.sync("http");

    assertFalse(fetch.changeSet().fullResync());
    assertEquals(List.of(FileChange.modified("catalog-info.yaml")), fetch.changeSet().changes());
    assertEquals(second, mirrors.status("http").processedCommit());
    assertEquals("v2", listener.deliveries.getLast().contents().get("catalog-info.yaml"));
  }

  @Test
  void wrong_credentials_are_an_auth_error_without_secrets_and_keep_the_last_good_state() {
    String good = upstream.commit(Map.of("a", "1"));
    mirrors.add(new MirrorSpec("http", url, "main", GitCredentials.token("tok-42"), null));
    assertEquals(Outcome.CHANGED, mirrors.sync("http").outcome());
    upstream.commit(Map.of("a", "2"));

    mirrors.add(new MirrorSpec("http", url, "main",
        GitCredentials.password("alice", "wrong-password-123"), null));
    SyncResult r = mirrors.sync("http");

    assertEquals(Outcome.FAILED, r.outcome());
    MirrorStatus s = mirrors.status("http");
    assertEquals(Reason.AUTH_FAILED, s.lastError().reason());
    assertFalse(s.lastError().message().contains("wrong-password-123"), s.lastError().message());
    assertEquals(good, s.processedCommit());
    assertEquals(MirrorStatus.State.ERROR, s.state());
  }

  @Test
  void a_closed_port_is_an_unreachable_error() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    mirrors.add(new MirrorSpec("down", "http://127.0.0.1:" + port + "/org/repo.git", "main"));

    SyncResult r = mirrors.sync("down");

    assertEquals(Outcome.FAILED, r.outcome());
    assertEquals(Reason.UNREACHABLE, mirrors.status("down").lastError().reason());
  }

  @Test
  void a_url_location_is_read_through_a_mirror_with_the_host_integration_credentials() {
    upstream.commit(Map.of("catalog-info.yaml", "root", "team/api.yaml", "api"));
    Integrations integrations = new Integrations(List.of(new HostIntegration(HostKind.GITHUB,
        server.host(), GitCredentials.token("tok-42"))));

    RepoLocation location = RepoUrls.parse(
        server.baseUrl() + "/org/repo/blob/main/catalog-info.yaml", integrations);
    MirrorSpec spec = mirrors.ensure(location.mirrorSpec(integrations));
    assertEquals(Outcome.CHANGED, mirrors.sync(spec.id()).outcome());
    String commit = mirrors.processedCommit(spec.id()).orElseThrow();

    RepoLocation relative = location.resolve("./team/api.yaml");
    try (CommitReader files = mirrors.reader(spec.id(), commit)) {
      assertEquals("root", new String(files.read(location.path()).orElseThrow(),
          StandardCharsets.UTF_8));
      assertEquals("api", new String(files.read(relative.path()).orElseThrow(),
          StandardCharsets.UTF_8));
    }
    assertEquals(server.baseUrl() + "/org/repo/blob/main/team/api.yaml", relative.blobUrl());
  }
}
