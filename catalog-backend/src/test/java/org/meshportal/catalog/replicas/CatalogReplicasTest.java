package org.meshportal.catalog.replicas;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshportal.catalog.app.Application;
import org.meshportal.catalog.testing.LoopbackHttp;
import org.meshportal.catalog.testing.TestPostgres;
import org.meshportal.testfixtures.GitCli;

/**
 * Several servers on one PostgreSQL database, each with its own data folder: one leads (runs Git
 * sync), every one serves the same catalog, writes work on any of them and are read back at once
 * by the one that took them, and when the leader is killed with SIGKILL another takes over from
 * the last applied commit, applying every commit exactly once.
 */
class CatalogReplicasTest {
  private static final String SECRET = "replicas-webhook-secret";
  private static final int LEASE_SECONDS = 3;

  @TempDir Path tmp;
  private TestPostgres.Database db;
  private Path repo;
  private final List<AutoCloseable> running = new ArrayList<>();

  @BeforeEach
  void setUp() throws IOException {
    db = TestPostgres.newDatabase("replicas");
    repo = Files.createDirectories(tmp.resolve("upstream"));
    GitCli.git(repo, "init", "-q", "-b", "main");
    StringBuilder catalog = new StringBuilder();
    for (int i = 1; i <= 3; i++) {
      catalog.append(component("svc-" + i, "seed"));
    }
    commit("catalog-info.yaml", catalog.toString(), "three services");
    Files.createDirectories(tmp.resolve("registered"));
  }

  @AfterEach
  void tearDown() {
    for (int i = running.size() - 1; i >= 0; i--) {
      try {
        running.get(i).close();
      } catch (Exception e) {
        // the next one still has to stop
      }
    }
    if (db != null) {
      db.drop();
    }
  }

  private static String component(String name, String word) {
    return """
        ---
        apiVersion: backstage.io/v1alpha1
        kind: Component
        metadata: {name: %s, description: %s service}
        spec: {type: service, lifecycle: production, owner: team-a}
        """.formatted(name, word);
  }

  private String commit(String path, String content, String message) throws IOException {
    Files.writeString(repo.resolve(path), content);
    GitCli.git(repo, "add", "-A");
    GitCli.git(repo, "commit", "-q", "-m", message);
    return GitCli.git(repo, "rev-parse", "HEAD").trim();
  }

  private String append(String path, String content, String message) throws IOException {
    return commit(path, Files.readString(repo.resolve(path)) + content, message);
  }

  private String repoUrl() {
    return repo.toUri().toString().replaceFirst("^file:/+", "file:///").replaceAll("/+$", "");
  }

  private Path config(String name, int port) throws IOException {
    return Files.writeString(tmp.resolve(name + ".yaml"), """
        backend:
          listen: {port: %d}
          dataDir: %s
          auth: {dangerouslyDisableDefaultAuthPolicy: true}
          reading: {directories: ['%s']}
          database:
            client: pg
            connection: '%s'
        catalog:
          leaderLeaseSeconds: %d
          followerPollSeconds: 1
          providers:
            git:
              main:
                url: %s
                catalogPath: catalog-info.yaml
                webhookSecret: %s
        """.formatted(port, tmp.resolve("data-" + name), tmp.resolve("registered"), db.url(), LEASE_SECONDS, repoUrl(),
        SECRET));
  }

  /** A replica in this JVM. */
  private LoopbackHttp inProcess(String name) throws IOException {
    Application app = Application.start(List.of(config(name, 0)), false, key -> null);
    running.add(app);
    return new LoopbackHttp("http://127.0.0.1:" + app.port());
  }

  /** A replica in a JVM of its own (the same classes), so that SIGKILL ends it with nothing run on the way out. */
  private record Child(Process process, LoopbackHttp http, Path log) implements AutoCloseable {
    @Override
    public void close() throws InterruptedException {
      process.destroyForcibly();
      process.waitFor(30, TimeUnit.SECONDS);
    }
  }

  private Child child(String name) throws IOException {
    int port;
    try (ServerSocket probe = new ServerSocket(0)) {
      port = probe.getLocalPort();
    }
    Path log = tmp.resolve(name + ".log");
    Process p = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"),
        "-cp", System.getProperty("java.class.path"), "org.meshportal.catalog.app.Main",
        "--config", config(name, port).toString())
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    Child c = new Child(p, new LoopbackHttp("http://127.0.0.1:" + port), log);
    running.add(c);
    LoopbackHttp.awaitTrue(() -> {
      if (!p.isAlive()) {
        throw new AssertionError("replica " + name + " exited: " + read(log));
      }
      try {
        return c.http().get("/.backstage/health/v1/readiness").status() == 200;
      } catch (IllegalStateException notListeningYet) {
        return false;
      }
    }, "replica " + name + " is ready");
    return c;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      return e.toString();
    }
  }

  private static double metric(LoopbackHttp http, String name) {
    for (String line : http.get("/metrics").body().split("\n")) {
      if (line.startsWith(name + " ") || line.startsWith(name + "{")) {
        return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    throw new AssertionError("no metric " + name);
  }

  private static boolean leads(LoopbackHttp http) {
    return metric(http, "portal_replica_leader") == 1.0;
  }

  /** Every entity the replica serves, by ref, as JSON text (etags and relations included). */
  private static TreeMap<String, String> catalog(LoopbackHttp http) {
    TreeMap<String, String> out = new TreeMap<>();
    for (JsonNode e : http.get("/api/catalog/entities").json()) {
      out.put(e.at("/kind").asText() + ":" + e.at("/metadata/namespace").asText() + "/" + e.at("/metadata/name").asText(),
          e.toString());
    }
    return out;
  }

  private static String processedCommit(LoopbackHttp http) {
    return http.get("/api/git-sync/providers/main").json().path("lastCommit").asText(null);
  }

  @Test
  void one_replica_leads_every_replica_serves_and_writes_work_on_any_of_them() throws IOException {
    LoopbackHttp a = inProcess("a");
    LoopbackHttp b = inProcess("b");
    for (LoopbackHttp r : List.of(a, b)) {
      LoopbackHttp.await(() -> r.entity("component", "default", "svc-3"), "the provider's entities on every replica");
    }
    LoopbackHttp.awaitTrue(() -> leads(a) || leads(b), "a leader");
    assertTrue(leads(a) ^ leads(b), "exactly one replica leads");
    LoopbackHttp leader = leads(a) ? a : b;
    LoopbackHttp follower = leader == a ? b : a;
    JsonNode standby = follower.get("/api/git-sync/providers/main").json();
    assertEquals("STANDBY", standby.path("state").asText(), standby.toString());

    // A registration on the follower is read back by the follower at once, and by the leader soon.
    Path file = Files.writeString(tmp.resolve("registered/extra.yaml"), component("registered-on-follower", "extra"));
    LoopbackHttp.Response added = follower.post("/api/catalog/locations",
        "{\"type\":\"file\",\"target\":\"" + file + "\"}");
    assertEquals(201, added.status(), added.body());
    JsonNode registered = follower.entity("component", "default", "registered-on-follower");
    assertNotNull(registered, "read-your-writes on the replica that took the write");
    LoopbackHttp.await(() -> leader.entity("component", "default", "registered-on-follower"), "seen by the leader");

    // A delete on the leader, read back there at once and on the follower soon.
    String uid = registered.at("/metadata/uid").asText();
    assertEquals(204, leader.send("DELETE", "/api/catalog/entities/by-uid/" + uid, null).status());
    assertNull(leader.entity("component", "default", "registered-on-follower"));
    LoopbackHttp.awaitTrue(() -> follower.entity("component", "default", "registered-on-follower") == null,
        "the delete reaches the follower");

    // A burst of commits, each announced by a webhook to either replica: the follower hands its
    // webhooks to the leader. Afterwards both serve the same entities (byte for byte) and search.
    String head = null;
    for (int i = 1; i <= 8; i++) {
      head = append("catalog-info.yaml", component("burst-" + i, "quokka"), "burst " + i);
      LoopbackHttp target = i % 2 == 0 ? a : b;
      assertEquals(202, target.githubPush(repoUrl(), head, SECRET).status());
    }
    String last = head;
    for (LoopbackHttp r : List.of(a, b)) {
      LoopbackHttp.awaitTrue(() -> last.equals(processedCommit(r)) && r.entity("component", "default", "burst-8") != null,
          "every commit applied and visible on every replica");
    }
    LoopbackHttp.awaitTrue(() -> catalog(a).equals(catalog(b)), "the same catalog on both replicas");
    assertEquals(11, catalog(a).keySet().stream().filter(ref -> ref.startsWith("Component:")).count(),
        catalog(a).keySet().toString());
    LoopbackHttp.awaitTrue(() -> a.get("/api/search/query?term=quokka").json().path("results").size() == 8
            && a.get("/api/search/query?term=quokka").body().equals(b.get("/api/search/query?term=quokka").body()),
        "the same search results on both replicas");
    LoopbackHttp.awaitTrue(() -> metric(a, "portal_replica_applied_generation")
        == metric(b, "portal_replica_applied_generation"), "both replicas at the same generation");
  }

  @Test
  void writes_racing_on_two_replicas_are_each_applied_once() throws Exception {
    LoopbackHttp a = inProcess("a");
    LoopbackHttp b = inProcess("b");
    for (LoopbackHttp r : List.of(a, b)) {
      LoopbackHttp.await(() -> r.entity("component", "default", "svc-3"), "the provider's entities on every replica");
    }
    double before = metric(a, "portal_replica_applied_generation");
    int perReplica = 8;
    List<java.util.concurrent.CompletableFuture<LoopbackHttp.Response>> writes = new ArrayList<>();
    for (int i = 0; i < perReplica; i++) {
      for (LoopbackHttp r : List.of(a, b)) {
        String name = "raced-" + (r == a ? "a" : "b") + "-" + i;
        Path file = Files.writeString(tmp.resolve("registered/" + name + ".yaml"), component(name, "raced"));
        writes.add(java.util.concurrent.CompletableFuture.supplyAsync(
            () -> r.post("/api/catalog/locations", "{\"type\":\"file\",\"target\":\"" + file + "\"}")));
      }
    }
    for (var w : writes) {
      assertEquals(201, w.get().status(), w.get().body());
    }
    for (LoopbackHttp r : List.of(a, b)) {
      LoopbackHttp.awaitTrue(() -> catalog(r).keySet().stream().filter(ref -> ref.contains("/raced-")).count()
          == 2L * perReplica, "every registration on every replica");
    }
    LoopbackHttp.awaitTrue(() -> catalog(a).equals(catalog(b)), "the same catalog on both replicas");
    // one generation per registration: none lost, none applied twice (each replica may still be
    // applying the other's last one, hence the wait)
    for (LoopbackHttp r : List.of(a, b)) {
      LoopbackHttp.awaitTrue(() -> metric(r, "portal_replica_applied_generation") >= before + 2 * perReplica,
          "caught up with every registration");
      assertEquals(before + 2 * perReplica, metric(r, "portal_replica_applied_generation"));
    }
    assertEquals(2 * perReplica, a.get("/api/catalog/locations").json().size());
  }

  @Test
  void a_replica_started_again_on_its_old_data_folder_serves_what_changed_while_it_was_down() throws Exception {
    LoopbackHttp a = inProcess("a");
    Application b = Application.start(List.of(config("b", 0)), false, key -> null);
    LoopbackHttp bHttp = new LoopbackHttp("http://127.0.0.1:" + b.port());
    LoopbackHttp.await(() -> bHttp.entity("component", "default", "svc-3"), "b serves the catalog");
    b.close();

    String head = append("catalog-info.yaml", component("while-b-was-down", "late"), "one more");
    assertEquals(202, a.githubPush(repoUrl(), head, SECRET).status());
    LoopbackHttp.await(() -> a.entity("component", "default", "while-b-was-down"), "a applied the commit");

    Application again = Application.start(List.of(config("b", 0)), false, key -> null);
    running.add(again);
    LoopbackHttp bAgain = new LoopbackHttp("http://127.0.0.1:" + again.port());
    assertNotNull(bAgain.entity("component", "default", "while-b-was-down"), "caught up before it was ready");
    assertEquals(metric(a, "portal_replica_applied_generation"), metric(bAgain, "portal_replica_applied_generation"));
    assertEquals(catalog(a), catalog(bAgain));
  }

  @Test
  void a_leader_killed_with_sigkill_mid_sync_is_replaced_and_every_commit_is_applied_once() throws Exception {
    Child first = child("first");
    LoopbackHttp.awaitTrue(() -> leads(first.http()), "the first replica leads");
    LoopbackHttp b = inProcess("b");
    LoopbackHttp.await(() -> b.entity("component", "default", "svc-3"), "the follower serves the catalog");
    assertTrue(!leads(b), "the second replica follows while the first holds the lease");
    double before = metric(b, "portal_replica_applied_generation");

    // A commit, its webhook to the leader, and the leader killed at once, most likely mid-sync:
    // either it committed the commit before it died or it did not; the next leader must not apply
    // it again in the first case nor skip it in the second.
    String head = append("catalog-info.yaml", component("after-the-kill", "late"), "one more");
    assertEquals(202, first.http().githubPush(repoUrl(), head, SECRET).status());
    long killed = System.nanoTime();
    first.process().destroyForcibly(); // SIGKILL
    assertTrue(first.process().waitFor(30, TimeUnit.SECONDS));
    assertEquals(137, first.process().exitValue(), "killed by SIGKILL");

    LoopbackHttp.awaitTrue(() -> leads(b), "the second replica takes over");
    Duration takeover = Duration.ofNanos(System.nanoTime() - killed);
    LoopbackHttp.awaitTrue(() -> b.entity("component", "default", "after-the-kill") != null
        && head.equals(processedCommit(b)), "the commit is applied");
    Duration applied = Duration.ofNanos(System.nanoTime() - killed);
    System.out.printf("leader killed: takeover after %d ms, commit applied after %d ms (lease %d s)%n",
        takeover.toMillis(), applied.toMillis(), LEASE_SECONDS);
    assertTrue(takeover.compareTo(Duration.ofSeconds(10)) < 0, "taken over within 10 s: " + takeover);
    assertEquals(before + 1, metric(b, "portal_replica_applied_generation"),
        "one generation for the one commit, whoever applied it");
    // The new leader's first sync finds the head applied already (by whichever leader) and settles.
    LoopbackHttp.awaitTrue(() -> "OK".equals(b.get("/api/git-sync/providers/main").json().path("state").asText()),
        "the new leader's first sync completes");
    assertEquals(before + 1, metric(b, "portal_replica_applied_generation"), "and applies nothing again");
  }
}
