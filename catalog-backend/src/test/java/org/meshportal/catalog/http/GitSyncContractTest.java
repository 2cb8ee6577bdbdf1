package org.meshportal.catalog.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshportal.catalog.auth.AuthSettings;
import org.meshportal.catalog.git.GitCatalog;

/** The git-sync routes the server registers and the operations git-sync.yaml documents are the same. */
class GitSyncContractTest {
  private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch");

  @Test
  void git_sync_routes_match_their_openapi_document(@TempDir Path dir) {
    AuthSettings auth = new AuthSettings("http://localhost:7007/api/auth", dir.resolve("keys"),
        AuthSettings.GuestSettings.defaults(), List.of(), false, null);
    try (GitCatalog git = GitCatalog.create(dir.resolve("git"), List.of(), List.of(), Clock.systemUTC());
        TestServer server = TestServer.start(GitSyncHttp.mount(HttpServer.builder(TestServer.settings(), auth), git))) {
      Set<String> registered = new TreeSet<>();
      for (String route : server.server.routes()) {
        if (route.contains(" /api/git-sync/")) {
          registered.add(route);
        }
      }
      Set<String> documented = new TreeSet<>();
      JsonNode doc = SpecSchemas.document("git-sync");
      doc.path("paths").fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(method -> {
        if (METHODS.contains(method)) {
          documented.add(method.toUpperCase(Locale.ROOT) + " /api/git-sync" + path.getKey());
        }
      }));
      assertEquals(documented, registered);
      assertEquals(401, server.post("/api/git-sync/webhooks", "{}").status());
      assertEquals(401, server.get("/api/git-sync/providers").status());
    }
  }
}
