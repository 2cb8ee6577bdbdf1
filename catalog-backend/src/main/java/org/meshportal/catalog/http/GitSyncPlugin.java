package org.meshportal.catalog.http;

import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.meshportal.catalog.git.GitCatalog;

/**
 * {@code /api/git-sync}: status and control of the Git providers, and the push webhook. The
 * webhook is the one route without a bearer token; its signature is its authentication.
 */
final class GitSyncPlugin implements Plugin {
  private final GitCatalog git;
  private final Json json;

  GitSyncPlugin(GitCatalog git, Json json) {
    this.git = git;
    this.json = json;
  }

  @Override
  public String id() {
    return "git-sync";
  }

  @Override
  public void addRoutes(PluginRoutes r) {
    r.get("/providers", ctx -> json.write(ctx, 200, Map.of("items", git.statuses())))
        .get("/providers/{id}", ctx -> json.write(ctx, 200, git.status(ctx.pathParam("id"))))
        .post("/providers/{id}/sync", ctx -> {
          git.requestSync(ctx.pathParam("id"));
          json.write(ctx, 202, git.status(ctx.pathParam("id")));
        })
        .post("/providers/{id}/confirm-deletions", ctx -> {
          git.confirmDeletions(ctx.pathParam("id"));
          json.write(ctx, 202, git.status(ctx.pathParam("id")));
        })
        .openPost("/webhooks", this::webhook);
  }

  private void webhook(Context ctx) {
    Map<String, String> headers = ctx.headerMap();
    GitCatalog.WebhookResult result = git.webhook(headers, Json.rawBody(ctx));
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("event", result.event());
    body.put("mirrors", List.copyOf(result.mirrors()));
    json.write(ctx, 202, body);
  }
}
