package org.meshportal.catalog.gitops;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshportal.catalog.app.Application;
import org.meshportal.catalog.testing.LoopbackHttp;

/**
 * Issue #6 acceptance: the whole GitOps loop through the server the composition root builds. A
 * scaffolder template from the mesh repository pushes an Account manifest to that repository;
 * the Git provider ingests the commit; the account Group is then in the catalog and in search.
 */
class GitOpsLoopTest {
  private static final String SECRET = "loop-secret";
  private static final String TEMPLATE = "templates/create-account-workspace/template.yaml";

  @Test
  void template_run_pushes_an_account_that_the_git_provider_brings_into_catalog_and_search(@TempDir Path tmp)
      throws Exception {
    MeshRepo repo = MeshRepo.generate(tmp, 42, 1);
    adaptTemplateToMeshAction(repo);
    Path config = tmp.resolve("app-config.yaml");
    Files.writeString(config, """
        backend:
          listen: {port: 0, host: 127.0.0.1}
          dataDir: %s
          auth:
            dangerouslyDisableDefaultAuthPolicy: true
        catalog:
          providers:
            git:
              mesh:
                url: %s
                branch: main
                catalogPath: catalog-info.yaml
                kcpRoot: kcp
                webhookSecret: %s
        scaffolder:
          mesh:
            repoUrl: %s
            kcpRoot: kcp
            baseBranch: main
        """.formatted(tmp.resolve("data").toString().replace("\\", "/"), repo.url(), SECRET, repo.url()));

    try (Application app = Application.start(List.of(config), false, key -> null)) {
      LoopbackHttp http = new LoopbackHttp("http://127.0.0.1:" + app.port());
      awaitApplied(http, repo.head());

      // The template is reachable from catalog-info.yaml through Locations: the provider ingested it.
      JsonNode template = http.entity("template", "default", "create-account-workspace");
      assertNotNull(template, "template:default/create-account-workspace is in the catalog");
      assertEquals("mesh:account:create", template.at("/spec/steps/0/action").asText());
      assertTrue(template.at("/metadata/annotations").path("backstage.io/managed-by-location").asText()
          .endsWith("/blob/main/" + TEMPLATE), template.at("/metadata/annotations").toString());
      assertEquals(null, http.entity("group", "platform-mesh", "acme.team-gitops"));

      long start = System.nanoTime();
      LoopbackHttp.Response created = http.post("/api/scaffolder/v2/tasks", """
          {"templateRef":"template:default/create-account-workspace","values":{
            "parentPath":"root:orgs:acme","name":"team-gitops","displayName":"Team GitOps",
            "description":"Account quokkaloop made by the GitOps loop test"}}""");
      assertEquals(201, created.status(), created.body());
      String taskId = created.json().path("id").asText();
      JsonNode task = LoopbackHttp.await(() -> {
        JsonNode t = http.get("/api/scaffolder/v2/tasks/" + taskId).json();
        return t.path("status").asText().matches("completed|failed|cancelled") ? t : null;
      }, "task " + taskId + " ends");
      assertEquals("completed", task.path("status").asText(), () -> taskLog(http, taskId));
      long taskDone = System.nanoTime();

      // The action pushed straight to main of the same repository.
      String pushed = repo.head();
      assertTrue(repo.git("show", "--name-only", "--format=%s", pushed)
          .contains("kcp/root/orgs/acme/account-team-gitops.yaml"), repo.git("show", "--stat", pushed));
      String manifest = repo.git("show", pushed + ":kcp/root/orgs/acme/account-team-gitops.yaml");
      assertTrue(manifest.contains("kind: Account") && manifest.contains("Team GitOps"), manifest);

      // The host would now send a push webhook.
      assertEquals(202, http.githubPush(repo.url(), pushed, SECRET).status());
      JsonNode group = LoopbackHttp.await(() -> http.entity("group", "platform-mesh", "acme.team-gitops"),
          "the account Group is in the catalog");
      long inCatalog = System.nanoTime();
      JsonNode hit = LoopbackHttp.await(() -> {
        for (JsonNode r : http.get("/api/search/query?term=quokkaloop").json().path("results")) {
          if (r.at("/document/location").asText().endsWith("/group/acme.team-gitops")) {
            return r;
          }
        }
        return null;
      }, "the account Group is found by search");
      long inSearch = System.nanoTime();

      assertEquals("platform-mesh-account", group.at("/spec/type").asText());
      assertEquals("group:platform-mesh/acme", group.at("/spec/parent").asText());
      assertEquals("root:orgs:acme:team-gitops", group.at("/metadata/annotations").path("kcp.io/path").asText());
      assertEquals("Team GitOps", group.at("/spec/profile/displayName").asText());
      assertTrue(http.entity("group", "platform-mesh", "acme").at("/spec/children").toString()
          .contains("group:platform-mesh/acme.team-gitops"));
      assertEquals("Group", hit.at("/document/kind").asText());
      JsonNode status = awaitApplied(http, pushed);
      System.out.printf("GitOps loop: task %d ms, task start -> in catalog %d ms, -> in search %d ms "
              + "(provider fetch %s ms, apply %s ms, %s files read)%n",
          ms(start, taskDone), ms(start, inCatalog), ms(start, inSearch), status.path("lastFetchDurationMs"),
          status.path("lastApplyDurationMs"), status.path("lastChangeFilesRead"));
    }
  }

  /**
   * The generated template opens a GitHub pull request (catalog:fetch, fetch:template,
   * publish:github:pull-request against github.com); we have neither catalog:fetch nor
   * publish:github:pull-request, and no GitHub here. Its steps are replaced by our
   * mesh:account:create, keeping its parameters, and pushed like any other change to the repo.
   */
  private static void adaptTemplateToMeshAction(MeshRepo repo) throws Exception {
    String original = repo.read(TEMPLATE);
    int steps = original.indexOf("\n  steps:\n");
    assertTrue(steps > 0 && original.contains("publish:github:pull-request"), original);
    repo.write(TEMPLATE, original.substring(0, steps + 1) + """
          steps:
            - id: account
              name: Add the Account to the mesh repository
              action: mesh:account:create
              input:
                name: ${{ parameters.name }}
                displayName: ${{ parameters.displayName }}
                description: ${{ parameters.description }}
                parentPath: ${{ parameters.parentPath }}
          output:
            links:
              - title: Mesh repository
                url: ${{ steps.account.output.repoContentsUrl }}
        """);
    repo.commitAndPush("create-account-workspace: commit the Account with mesh:account:create");
  }

  private static JsonNode awaitApplied(LoopbackHttp http, String commit) {
    return LoopbackHttp.await(() -> {
      JsonNode s = http.get("/api/git-sync/providers/mesh").json();
      return commit.equals(s.path("lastCommit").asText()) && "OK".equals(s.path("state").asText()) ? s : null;
    }, "provider mesh applies " + commit);
  }

  private static String taskLog(LoopbackHttp http, String taskId) {
    StringBuilder out = new StringBuilder();
    for (JsonNode e : http.get("/api/scaffolder/v2/tasks/" + taskId + "/events").json()) {
      out.append(e.at("/body/message").asText()).append('\n');
    }
    return out.toString();
  }

  private static long ms(long fromNanos, long toNanos) {
    return (toNanos - fromNanos) / 1_000_000;
  }
}
