package org.meshportal.catalog.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshportal.catalog.config.AppConfig;
import org.meshportal.catalog.config.ConfigLoader;
import org.meshportal.catalog.testing.LoopbackHttp;
import org.meshportal.catalog.testing.StderrCapture;
import org.meshportal.templates.Caller;

/**
 * Issue 11, item 6: credentials from the configuration (integration tokens and passwords, webhook
 * secrets, static access tokens) never show in {@code toString}, in the log, or in the git-sync
 * status routes.
 */
class CredentialsNeverPrintedTest {
  private static final List<String> SECRETS = List.of(
      "ghp-integration-token-0001", "integration-webhook-secret-0002", "gitea-password-0003",
      "provider-auth-token-0004", "provider-webhook-secret-0005", "static-access-token-0006",
      "url-password-0007");

  @TempDir Path tmp;

  private String config() {
    return """
        backend:
          listen:
            port: 0
          dataDir: %s
          auth:
            externalAccess:
              - type: static
                options: { token: static-access-token-0006, subject: ops }
        integrations:
          github:
            - host: github.example.com
              token: ghp-integration-token-0001
              webhookSecret: integration-webhook-secret-0002
          gitea:
            - host: gitea.example.com
              username: bot
              password: gitea-password-0003
        catalog:
          providers:
            git:
              broken:
                url: https://bot:url-password-0007@127.0.0.1:1/never/repo.git
                catalogPath: catalog-info.yaml
                auth:
                  token: provider-auth-token-0004
                webhookSecret: provider-webhook-secret-0005
        """.formatted(tmp.resolve("data"));
  }

  private static void assertNoSecret(String where, String text) {
    for (String secret : SECRETS) {
      assertFalse(text.contains(secret), where + " shows " + secret + ": " + text);
    }
  }

  @Test
  void settings_records_mask_their_credentials_in_to_string() {
    AppConfig config = new ConfigLoader(name -> null).load(List.of(new ConfigLoader.Source("app-config.yaml", config())));
    Settings settings = new Settings(config);
    List<Object> records = new ArrayList<>();
    records.add(settings.integrations());
    settings.integrations().forHost("github.example.com").ifPresent(records::add);
    settings.integrations().forHost("gitea.example.com").ifPresent(records::add);
    records.addAll(settings.gitIntegrations());
    records.addAll(settings.gitProviders());
    settings.gitProviders().forEach(p -> records.add(p.mirrorSpec()));
    records.addAll(settings.auth().staticTokens());
    records.add(settings.auth());
    records.add(new Caller("user:default/jane", "static-access-token-0006"));
    assertEquals(10, records.size(), records.toString());
    for (Object record : records) {
      assertNoSecret(record.getClass().getSimpleName() + ".toString()", record.toString());
    }
    // the masked fields are still there, so a reader sees that a secret is configured
    assertTrue(settings.gitIntegrations().get(0).toString().contains("webhookSecret=***"), settings.gitIntegrations().toString());
  }

  @Test
  void the_log_and_the_git_sync_status_routes_never_show_credentials() throws IOException {
    Path file = Files.writeString(tmp.resolve("app-config.yaml"), config());
    String log;
    try (StderrCapture stderr = new StderrCapture();
        Application app = Application.start(List.of(file), false, name -> null)) {
      LoopbackHttp http = new LoopbackHttp("http://127.0.0.1:" + app.port());
      String auth = "Bearer static-access-token-0006";
      // the provider's first sync fails (nothing listens on port 1): its error is logged and shown
      LoopbackHttp.Response status = LoopbackHttp.await(() -> {
        LoopbackHttp.Response r = http.get("/api/git-sync/providers/broken", "Authorization", auth);
        return r.status() == 200 && r.json().path("state").asText().equals("ERROR") ? r : null;
      }, "the broken provider's failed sync");
      assertTrue(status.json().at("/lastError/message").asText().length() > 0, status.body());
      assertNoSecret("GET /providers/broken", status.body());
      LoopbackHttp.Response all = http.get("/api/git-sync/providers", "Authorization", auth);
      assertEquals(200, all.status(), all.body());
      assertNoSecret("GET /providers", all.body());
      // a webhook signed with a wrong secret is refused without echoing anything secret
      LoopbackHttp.Response hook = http.githubPush("https://github.example.com/o/r.git", "0".repeat(40), "wrong-secret");
      assertNoSecret("POST /webhooks", hook.body());
      app.close(); // so shutdown lines are captured too
      log = stderr.text();
    }
    assertTrue(log.contains("ready on"), "the log was captured: " + log);
    assertNoSecret("the log", log);
  }
}
