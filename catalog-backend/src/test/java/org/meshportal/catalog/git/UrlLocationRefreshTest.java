package org.meshportal.catalog.git;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshportal.catalog.app.Application;
import org.meshportal.catalog.testing.LoopbackHttp;
import org.meshportal.testfixtures.GitCli;
import org.meshportal.testfixtures.GitHttpServer;

/**
 * Registered {@code url} locations follow their repository: a push webhook for it re-reads them at
 * once, and {@code catalog.processingInterval} re-reads them on a schedule. The repository is
 * served over smart HTTP on loopback by C git, as a forge would.
 */
class UrlLocationRefreshTest {
  private static final String SECRET = "hook-secret-1";

  @TempDir Path tmp;
  private GitHttpServer forge;
  private Path work;

  @BeforeEach
  void repository() throws IOException {
    Path served = Files.createDirectories(tmp.resolve("srv/acme"));
    forge = new GitHttpServer(tmp.resolve("srv"), Files.createDirectories(tmp.resolve("forge-home")),
        Map.of("bot", "bot-password"));
    work = Files.createDirectories(tmp.resolve("work"));
    GitCli.git(work, "init", "-q", "-b", "main");
    commitDescription("first");
    GitCli.git(served, "clone", "-q", "--bare", work.toString(), "svc.git");
    GitCli.git(work, "remote", "add", "origin", served.resolve("svc.git").toString());
  }

  @AfterEach
  void stop() {
    forge.close();
  }

  private String commitDescription(String description) throws IOException {
    Files.writeString(work.resolve("catalog-info.yaml"), """
        apiVersion: backstage.io/v1alpha1
        kind: Component
        metadata: {name: remote-svc, description: %s}
        spec: {type: service, lifecycle: production, owner: team-a}
        """.formatted(description));
    GitCli.git(work, "add", "-A");
    GitCli.git(work, "commit", "-q", "-m", description);
    return GitCli.git(work, "rev-parse", "HEAD").trim();
  }

  private Application start(String interval) throws IOException {
    Path config = Files.writeString(tmp.resolve("app-config-" + interval + ".yaml"), """
        backend:
          listen: {port: 0}
          dataDir: %s
          auth: {dangerouslyDisableDefaultAuthPolicy: true}
        integrations:
          github:
            - {host: '%s', username: bot, password: bot-password, webhookSecret: %s}
        catalog:
          processingInterval: {seconds: %s}
        """.formatted(tmp.resolve("data-" + interval), forge.host(), SECRET, interval));
    return Application.start(List.of(config), false, name -> null);
  }

  private String description(LoopbackHttp http) {
    var e = http.entity("component", "default", "remote-svc");
    return e == null ? null : e.at("/metadata/description").asText();
  }

  @Test
  void a_push_webhook_re_reads_the_url_locations_of_that_repository() throws IOException {
    try (Application app = start("3600")) {
      LoopbackHttp http = new LoopbackHttp("http://127.0.0.1:" + app.port());
      LoopbackHttp.Response added = http.post("/api/catalog/locations",
          "{\"type\":\"url\",\"target\":\"" + forge.baseUrl() + "/acme/svc/blob/main/catalog-info.yaml\"}");
      assertEquals(201, added.status(), added.body());
      assertEquals("first", description(http));

      String second = commitDescription("second");
      GitCli.git(work, "push", "-q", "origin", "main");
      LoopbackHttp.Response hook = http.githubPush(forge.baseUrl() + "/acme/svc.git", second, SECRET);
      assertEquals(202, hook.status(), hook.body());
      LoopbackHttp.awaitTrue(() -> "second".equals(description(http)), "the webhook's commit is served");
    }
  }

  @Test
  void url_locations_are_re_read_on_the_processing_interval() throws IOException {
    try (Application app = start("1")) {
      LoopbackHttp http = new LoopbackHttp("http://127.0.0.1:" + app.port());
      assertEquals(201, http.post("/api/catalog/locations",
          "{\"type\":\"url\",\"target\":\"" + forge.baseUrl() + "/acme/svc/blob/main/catalog-info.yaml\"}").status());
      assertEquals("first", description(http));
      commitDescription("scheduled");
      GitCli.git(work, "push", "-q", "origin", "main");
      LoopbackHttp.awaitTrue(() -> "scheduled".equals(description(http)), "the schedule re-read the location");
    }
  }
}
