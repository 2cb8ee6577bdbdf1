package org.meshportal.catalog.scaffolder.forge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
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
 * The four forge publishers through the real server: tasks created over HTTP from templates in a
 * static location call a loopback server that answers as GitHub's and GitLab's REST APIs do (and
 * records each request), and push to real smart-HTTP Git remotes whose clone URLs it hands out.
 */
class ForgePublishHttpTest {
  private static final String TOKEN = "forge-token-s3cr3t";

  @TempDir Path tmp;

  private Path served;
  private GitHttpServer githubGit;
  private GitHttpServer gitlabGit;
  private HttpServer api;
  private final List<Recorded> requests = Collections.synchronizedList(new ArrayList<>());
  private Application app;
  private LoopbackHttp http;
  /** The event stream of the last task {@link #runTask} ran. */
  private String taskLog = "";

  /** One request the fake API received. */
  private static final String USER_TOKEN = "user-oauth-token-7f3";

  record Recorded(String method, String path, JsonNode body, boolean bearer, boolean userBearer) {}

  @BeforeEach
  void start() throws IOException {
    served = Files.createDirectories(tmp.resolve("srv/acme"));
    // Two Git servers over the same repositories: one host per integration, as github.com and gitlab.com are.
    githubGit = new GitHttpServer(tmp.resolve("srv"), Files.createDirectories(tmp.resolve("home-gh")),
        Map.of("x-access-token", TOKEN));
    gitlabGit = new GitHttpServer(tmp.resolve("srv"), Files.createDirectories(tmp.resolve("home-gl")),
        Map.of("x-access-token", TOKEN, "oauth2", USER_TOKEN));
    Path work = Files.createDirectories(tmp.resolve("work"));
    GitCli.git(work, "init", "-q", "-b", "main");
    Files.writeString(work.resolve("README.md"), "existing");
    GitCli.git(work, "add", "-A");
    GitCli.git(work, "commit", "-q", "-m", "first");
    GitCli.git(served, "clone", "-q", "--bare", work.toString(), "existing.git");

    api = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    api.createContext("/", this::answer);
    api.start();

    Path catalog = Files.createDirectories(tmp.resolve("catalog"));
    Files.createDirectories(catalog.resolve("skeleton"));
    Files.writeString(catalog.resolve("skeleton/catalog-info.yaml"), "kind: Component\n");
    String gh = githubGit.host();
    String gl = gitlabGit.host();
    Files.writeString(catalog.resolve("catalog-info.yaml"), String.join("---\n",
        // allowedHosts as Backstage's own templates write it (react-ssr-template: [github.com])
        template("gh-create", "publish:github", "repoUrl: '" + gh + "?owner=acme&repo=web'\n"
            + "description: the web\nrepoVisibility: internal\ndefaultBranch: main\nallowedHosts: ['" + gh + "']\n"),
        // Backstage's repository options: an admin team, collaborators (one GitHub refuses), topics, protection
        template("gh-settings", "publish:github", "repoUrl: '" + gh + "?owner=acme&repo=configured'\n"
            + "defaultBranch: main\naccess: acme/admins\ntopics: [Web, api]\n"
            + "collaborators:\n  - {user: 'user:default/jdoe', access: push}\n  - {team: devs, access: pull}\n"
            + "  - {team: ghost, access: admin}\n"
            + "requiredApprovingReviewCount: 2\nrequireCodeOwnerReviews: true\nrequiredStatusCheckContexts: [ci]\n"
            + "protectEnforceAdmins: false\nrequiredCommitSigning: true\n"
            + "bypassPullRequestAllowances: {teams: [release]}\n"),
        template("gh-unprotected", "publish:github", "repoUrl: '" + gh + "?owner=acme&repo=plain'\n"
            + "protectDefaultBranch: false\n"),
        template("gh-unknown-team", "publish:github", "repoUrl: '" + gh + "?owner=acme&repo=orphan'\n"
            + "access: acme/nobody\n"),
        template("gl-mr-delete", "publish:gitlab:merge-request", "repoUrl: '" + gl + "?owner=acme&repo=existing'\n"
            + "branchName: del-branch\ntitle: Remove it\ndescription: removes the descriptor\ncommitAction: delete\n"),
        template("gh-not-allowed-host", "publish:github", "repoUrl: '" + gh + "?owner=acme&repo=web'\n"
            + "allowedHosts: [github.com]\n"),
        template("gh-taken", "publish:github", "repoUrl: '" + gh + "?owner=acme&repo=taken'\n"),
        template("gh-pr", "publish:github:pull-request", "repoUrl: '" + gh + "?owner=acme&repo=existing'\n"
            + "branchName: feature\ntitle: Add web\ndescription: adds it\ntargetPath: web\n"),
        template("gl-create", "publish:gitlab", "repoUrl: '" + gl + "?owner=acme&repo=lab'\n"
            + "repoVisibility: public\ndefaultBranch: main\ntopics: [web]\n"),
        template("gl-mr", "publish:gitlab:merge-request", "repoUrl: '" + gl + "?owner=acme&repo=existing'\n"
            + "branchName: mr-branch\ntitle: Add lab\ndescription: adds lab\nremoveSourceBranch: true\n"),
        template("gh-user", "publish:github", "repoUrl: '" + gh + "?owner=jdoe&repo=mine'\n"),
        // the inputs of Backstage's own gitlab-merge-request template: a user's token, commitAction, assignee
        template("gl-mr-user", "publish:gitlab:merge-request", "repoUrl: '" + gl + "?owner=acme&repo=existing'\n"
            + "branchName: user-branch\ntitle: By a user\ndescription: d\ntargetPath: '.'\ntoken: " + USER_TOKEN
            + "\ncommitAction: create\nremoveSourceBranch: true\nassignee: jdoe\n"),
        template("gh-pr-elsewhere", "publish:github:pull-request", "repoUrl: '" + gh + "?owner=acme&repo=elsewhere'\n"
            + "branchName: feature\ntitle: t\ndescription: d\n"),
        // The fake API's own host has no integration, so the token must never be sent there.
        template("gh-unconfigured", "publish:github", "repoUrl: '127.0.0.1:" + api.getAddress().getPort()
            + "?owner=acme&repo=web'\n"),
        template("gl-on-github-host", "publish:gitlab", "repoUrl: '" + gh + "?owner=acme&repo=web'\n"),
        // A generic git integration is a place to push to, not a forge with an API.
        template("gh-on-git-host", "publish:github", "repoUrl: 'git.example?owner=acme&repo=web'\n")));
    Path config = Files.writeString(tmp.resolve("app-config.yaml"), """
        backend:
          listen: {port: 0}
          dataDir: %s
          auth: {dangerouslyDisableDefaultAuthPolicy: true}
          reading:
            directories: [%s]
        integrations:
          github:
            - {host: '%s', apiBaseUrl: 'http://127.0.0.1:%d/gh', token: %s}
          gitlab:
            - {host: '%s', apiBaseUrl: 'http://127.0.0.1:%d/gl/api/v4', token: %s}
          git:
            - {host: git.example, token: %s}
        catalog:
          locations:
            - {type: file, target: %s}
        """.formatted(tmp.resolve("data"), catalog, gh, api.getAddress().getPort(), TOKEN, gl,
        api.getAddress().getPort(), TOKEN, TOKEN, catalog.resolve("catalog-info.yaml")));
    app = Application.start(List.of(config), false, name -> null);
    http = new LoopbackHttp("http://127.0.0.1:" + app.port());
    LoopbackHttp.awaitTrue(() -> http.entity("template", "default", "gh-on-git-host") != null,
        "the templates are ingested");
  }

  @AfterEach
  void stop() {
    if (app != null) {
      app.close();
    }
    api.stop(0);
    githubGit.close();
    gitlabGit.close();
  }

  // ------------------------------------------------------------------ the fake forge APIs

  private void answer(HttpExchange ex) throws IOException {
    try (ex) {
      String method = ex.getRequestMethod();
      String path = ex.getRequestURI().getRawPath()
          + (ex.getRequestURI().getRawQuery() == null ? "" : "?" + ex.getRequestURI().getRawQuery());
      byte[] in = ex.getRequestBody().readAllBytes();
      JsonNode body = in.length == 0 ? null : LoopbackHttp.JSON.readTree(in);
      String authorization = ex.getRequestHeaders().getFirst("Authorization");
      requests.add(new Recorded(method, path, body, ("Bearer " + TOKEN).equals(authorization),
          ("Bearer " + USER_TOKEN).equals(authorization)));
      String gh = githubGit.baseUrl();
      String gl = gitlabGit.baseUrl();
      ObjectNode out = LoopbackHttp.JSON.createObjectNode();
      int status = 200;
      switch (method + " " + path) {
        case "GET /gh/users/acme" -> out.put("login", "acme").put("type", "Organization");
        case "POST /gh/orgs/acme/repos" -> {
          String name = body.path("name").asText();
          if (name.equals("taken")) {
            status = 422;
            out.put("message", "Repository creation failed.").putArray("errors").addObject()
                .put("resource", "Repository").put("message", "name already exists on this account");
          } else {
            GitCli.git(served, "init", "-q", "--bare", name + ".git");
            status = 201;
            out.put("name", name).put("clone_url", gh + "/acme/" + name + ".git").put("html_url", gh + "/acme/" + name);
          }
        }
        case "GET /gh/orgs/acme/teams/admins" -> out.put("slug", "admins");
        case "PUT /gh/orgs/acme/teams/admins/repos/acme/configured", "PUT /gh/orgs/acme/teams/devs/repos/acme/configured",
            "PUT /gh/repos/acme/configured/collaborators/jdoe" -> status = 204;
        case "PUT /gh/repos/acme/configured/topics" -> out.set("names", body.path("names"));
        case "PUT /gh/repos/acme/web/branches/main/protection", "PUT /gh/repos/acme/configured/branches/main/protection",
            "POST /gh/repos/acme/configured/branches/main/protection/required_signatures" -> out.put("url", "x");
        case "POST /gl/api/v4/projects/100/repository/commits" -> {
          status = 201;
          out.put("id", "d".repeat(40));
        }
        case "GET /gh/users/jdoe" -> out.put("login", "jdoe").put("type", "User");
        case "POST /gh/user/repos" -> {
          GitCli.git(Files.createDirectories(served.resolveSibling("jdoe")), "init", "-q", "--bare", "mine.git");
          status = 201;
          out.put("clone_url", gh + "/jdoe/mine.git").put("html_url", gh + "/jdoe/mine");
        }
        // A forge that answers with a clone URL on a host nobody configured.
        case "GET /gh/repos/acme/elsewhere" -> out.put("clone_url",
                "http://127.0.0.1:" + api.getAddress().getPort() + "/acme/existing.git")
            .put("html_url", gh + "/acme/elsewhere").put("default_branch", "main");
        case "GET /gh/repos/acme/existing" -> out.put("clone_url", gh + "/acme/existing.git")
            .put("html_url", gh + "/acme/existing").put("default_branch", "main");
        case "POST /gh/repos/acme/existing/pulls" -> {
          status = 201;
          out.put("number", 7).put("html_url", gh + "/acme/existing/pull/7");
        }
        case "GET /gl/api/v4/namespaces?search=acme" -> {
          ArrayNode list = LoopbackHttp.JSON.createArrayNode();
          list.addObject().put("id", 41).put("full_path", "acme-other").put("kind", "group");
          list.addObject().put("id", 42).put("full_path", "acme").put("kind", "group");
          send(ex, 200, list);
          return;
        }
        case "POST /gl/api/v4/projects" -> {
          String name = body.path("path").asText();
          GitCli.git(served, "init", "-q", "--bare", name + ".git");
          status = 201;
          out.put("id", 99).put("http_url_to_repo", gl + "/acme/" + name + ".git").put("web_url", gl + "/acme/" + name);
        }
        case "GET /gl/api/v4/users?username=jdoe" -> {
          ArrayNode list = LoopbackHttp.JSON.createArrayNode();
          list.addObject().put("id", 5).put("username", "jdoe");
          send(ex, 200, list);
          return;
        }
        case "GET /gl/api/v4/projects/acme%2Fexisting" -> out.put("id", 100).put("default_branch", "main")
            .put("http_url_to_repo", gl + "/acme/existing.git").put("path_with_namespace", "acme/existing");
        case "POST /gl/api/v4/projects/100/merge_requests" -> {
          status = 201;
          out.put("iid", 3).put("web_url", gl + "/acme/existing/-/merge_requests/3");
        }
        default -> {
          status = 404;
          out.put("message", "404 Not Found");
        }
      }
      send(ex, status, out);
    }
  }

  private static void send(HttpExchange ex, int status, JsonNode json) throws IOException {
    byte[] bytes = LoopbackHttp.JSON.writeValueAsBytes(json);
    ex.getResponseHeaders().add("Content-Type", "application/json");
    ex.sendResponseHeaders(status, bytes.length);
    ex.getResponseBody().write(bytes);
  }

  private String git(String... args) {
    return GitCli.git(served, args).trim();
  }

  // ------------------------------------------------------------------ tests

  @Test
  void publish_github_creates_the_repository_and_pushes() throws Exception {
    JsonNode done = runTask("gh-create");
    assertEquals("completed", status(done), done.toString());
    String head = git("--git-dir", "web.git", "rev-parse", "refs/heads/main");
    assertEquals("kind: Component\n", git("--git-dir", "web.git", "show", "main:catalog-info.yaml") + "\n");
    JsonNode out = done.path("output");
    assertEquals(githubGit.baseUrl() + "/acme/web.git", out.path("remoteUrl").asText(), done.toString());
    assertEquals(githubGit.baseUrl() + "/acme/web/blob/main", out.path("repoContentsUrl").asText());
    assertEquals(head, out.path("commitHash").asText());

    assertEquals(List.of("GET /gh/users/acme", "POST /gh/orgs/acme/repos",
        "PUT /gh/repos/acme/web/branches/main/protection"), calls(), "the default branch is protected, as in Backstage");
    JsonNode protection = requests.get(2).body();
    assertEquals(1, protection.at("/required_pull_request_reviews/required_approving_review_count").asInt(), protection.toString());
    assertTrue(protection.at("/required_status_checks/strict").asBoolean());
    assertTrue(protection.path("enforce_admins").asBoolean());
    assertTrue(protection.path("restrictions").isNull());
    Recorded create = requests.get(1);
    assertEquals("web", create.body().path("name").asText());
    assertEquals("the web", create.body().path("description").asText());
    assertEquals("internal", create.body().path("visibility").asText());
    assertTrue(create.body().path("private").asBoolean());
    assertTrue(requests.stream().allMatch(Recorded::bearer), "every call carries the integration's token");
  }

  @Test
  void publish_github_for_a_user_creates_the_repository_under_the_token_user() throws Exception {
    JsonNode done = runTask("gh-user");
    assertEquals("completed", status(done), done.toString());
    // GitHub refuses the protection (here: 404): logged and skipped, as Backstage does
    assertEquals(List.of("GET /gh/users/jdoe", "POST /gh/user/repos", "PUT /gh/repos/jdoe/mine/branches/master/protection"),
        calls());
    assertEquals("mine", requests.get(1).body().path("name").asText());
    assertFalse(requests.get(1).body().has("visibility"), "the user route takes private, not visibility");
    assertEquals(GitCli.git(served.resolveSibling("jdoe"), "--git-dir", "mine.git", "rev-parse", "refs/heads/master").trim(),
        done.at("/output/commitHash").asText(), "Backstage's default branch is master");
  }

  @Test
  void publish_github_sets_access_collaborators_topics_and_branch_protection() throws Exception {
    JsonNode done = runTask("gh-settings");
    assertEquals("completed", status(done), done.toString());
    assertEquals("kind: Component", git("--git-dir", "configured.git", "show", "main:catalog-info.yaml"));
    assertEquals(List.of("GET /gh/users/acme", "GET /gh/orgs/acme/teams/admins", "POST /gh/orgs/acme/repos",
        "PUT /gh/orgs/acme/teams/admins/repos/acme/configured", "PUT /gh/repos/acme/configured/collaborators/jdoe",
        "PUT /gh/orgs/acme/teams/devs/repos/acme/configured", "PUT /gh/orgs/acme/teams/ghost/repos/acme/configured",
        "PUT /gh/repos/acme/configured/topics", "PUT /gh/repos/acme/configured/branches/main/protection",
        "POST /gh/repos/acme/configured/branches/main/protection/required_signatures"), calls());
    assertEquals("admin", requests.get(3).body().path("permission").asText());
    assertEquals("push", requests.get(4).body().path("permission").asText(), "user:default/jdoe is the user jdoe");
    assertEquals("pull", requests.get(5).body().path("permission").asText());
    assertEquals("[\"web\",\"api\"]", requests.get(7).body().path("names").toString(), "topics are lowercased");
    JsonNode protection = requests.get(8).body();
    assertEquals(2, protection.at("/required_pull_request_reviews/required_approving_review_count").asInt(), protection.toString());
    assertTrue(protection.at("/required_pull_request_reviews/require_code_owner_reviews").asBoolean());
    assertEquals("[\"release\"]", protection.at("/required_pull_request_reviews/bypass_pull_request_allowances/teams").toString());
    assertEquals("[\"ci\"]", protection.at("/required_status_checks/contexts").toString());
    assertFalse(protection.path("enforce_admins").asBoolean());
    assertTrue(requests.stream().allMatch(Recorded::bearer));
    // the team GitHub does not know is skipped with a line in the log, as in Backstage
    assertTrue(taskLog.contains("Skipping admin access for ghost"), taskLog);
  }

  @Test
  void publish_github_without_protection_and_with_an_unknown_access_team() throws Exception {
    JsonNode done = runTask("gh-unprotected");
    assertEquals("completed", status(done), done.toString());
    assertEquals(List.of("GET /gh/users/acme", "POST /gh/orgs/acme/repos"), calls());
    requests.clear();

    JsonNode refused = runTask("gh-unknown-team");
    assertEquals("failed", status(refused), refused.toString());
    assertEquals("InputError", refused.at("/error/name").asText(), refused.toString());
    assertTrue(refused.at("/error/message").asText().contains("acme/nobody"), refused.toString());
    assertEquals(List.of("GET /gh/users/acme", "GET /gh/orgs/acme/teams/nobody"), calls(), "no repository is created");
    assertFalse(Files.exists(served.resolve("orphan.git")));
  }

  @Test
  void publish_gitlab_merge_request_with_commit_action_delete_deletes_through_the_commits_api() throws Exception {
    JsonNode done = runTask("gl-mr-delete");
    assertEquals("completed", status(done), done.toString());
    assertEquals(List.of("GET /gl/api/v4/projects/acme%2Fexisting", "POST /gl/api/v4/projects/100/repository/commits",
        "POST /gl/api/v4/projects/100/merge_requests"), calls());
    JsonNode commit = requests.get(1).body();
    assertEquals("del-branch", commit.path("branch").asText(), commit.toString());
    assertEquals("main", commit.path("start_branch").asText());
    assertEquals("[{\"action\":\"delete\",\"file_path\":\"catalog-info.yaml\"}]", commit.path("actions").toString());
    assertEquals("d".repeat(40), done.at("/output/commitHash").asText(), done.toString());
    assertEquals("del-branch", requests.get(2).body().path("source_branch").asText());
    assertFalse(git("--git-dir", "existing.git", "branch", "--list").contains("del-branch"), "nothing was pushed");
  }

  @Test
  void a_clone_url_on_a_host_without_integration_is_not_pushed_to() throws Exception {
    JsonNode done = runTask("gh-pr-elsewhere");
    assertEquals("failed", status(done), done.toString());
    assertEquals("NotAllowedError", done.at("/error/name").asText(), done.toString());
    assertTrue(done.at("/error/message").asText().startsWith("Publishing to"), done.toString());
    assertEquals(List.of("GET /gh/repos/acme/elsewhere"), calls(), "no pull request without a push");
  }

  @Test
  void publish_github_pull_request_pushes_a_branch_and_opens_the_request() throws Exception {
    String mainBefore = git("--git-dir", "existing.git", "rev-parse", "refs/heads/main");
    JsonNode done = runTask("gh-pr");
    assertEquals("completed", status(done), done.toString());
    assertEquals(mainBefore, git("--git-dir", "existing.git", "rev-parse", "refs/heads/main"), "main is untouched");
    assertEquals("existing", git("--git-dir", "existing.git", "show", "feature:README.md"));
    assertEquals("kind: Component", git("--git-dir", "existing.git", "show", "feature:web/catalog-info.yaml"));
    JsonNode out = done.path("output");
    assertEquals(githubGit.baseUrl() + "/acme/existing/pull/7", out.path("remoteUrl").asText(), done.toString());
    assertEquals(7, out.path("pullRequestNumber").asInt());
    assertEquals("main", out.path("targetBranchName").asText());
    assertEquals(git("--git-dir", "existing.git", "rev-parse", "refs/heads/feature"), out.path("commitHash").asText());

    assertEquals(List.of("GET /gh/repos/acme/existing", "POST /gh/repos/acme/existing/pulls"), calls());
    JsonNode pr = requests.get(1).body();
    assertEquals("feature", pr.path("head").asText());
    assertEquals("main", pr.path("base").asText());
    assertEquals("Add web", pr.path("title").asText());
    assertEquals("adds it", pr.path("body").asText());
    assertTrue(requests.stream().allMatch(Recorded::bearer));
  }

  @Test
  void publish_gitlab_creates_the_project_in_the_namespace_and_pushes() throws Exception {
    JsonNode done = runTask("gl-create");
    assertEquals("completed", status(done), done.toString());
    JsonNode out = done.path("output");
    assertEquals(gitlabGit.baseUrl() + "/acme/lab", out.path("remoteUrl").asText(), done.toString());
    assertEquals(gitlabGit.baseUrl() + "/acme/lab/-/blob/main", out.path("repoContentsUrl").asText());
    assertEquals(git("--git-dir", "lab.git", "rev-parse", "refs/heads/main"), out.path("commitHash").asText());

    assertEquals(List.of("GET /gl/api/v4/namespaces?search=acme", "POST /gl/api/v4/projects"), calls());
    JsonNode create = requests.get(1).body();
    assertEquals("[\"web\"]", create.path("topics").toString());
    assertEquals(42, create.path("namespace_id").asInt(), "the namespace whose full path is the owner");
    assertEquals("lab", create.path("name").asText());
    assertEquals("public", create.path("visibility").asText());
    assertTrue(requests.stream().allMatch(Recorded::bearer));
  }

  @Test
  void publish_gitlab_merge_request_pushes_a_branch_and_opens_the_request() throws Exception {
    JsonNode done = runTask("gl-mr");
    assertEquals("completed", status(done), done.toString());
    assertEquals("kind: Component", git("--git-dir", "existing.git", "show", "mr-branch:catalog-info.yaml"));
    JsonNode out = done.path("output");
    assertEquals(gitlabGit.baseUrl() + "/acme/existing/-/merge_requests/3", out.path("mergeRequestUrl").asText(),
        done.toString());
    assertEquals("main", out.path("targetBranchName").asText());
    assertEquals("acme/existing", out.path("projectPath").asText());

    assertEquals(List.of("GET /gl/api/v4/projects/acme%2Fexisting", "POST /gl/api/v4/projects/100/merge_requests"),
        calls());
    JsonNode mr = requests.get(1).body();
    assertEquals("mr-branch", mr.path("source_branch").asText());
    assertEquals("main", mr.path("target_branch").asText());
    assertEquals("Add lab", mr.path("title").asText());
    assertTrue(mr.path("remove_source_branch").asBoolean());
  }

  @Test
  void a_step_token_assignee_and_commit_action_work_as_in_backstages_merge_request_template() throws Exception {
    JsonNode done = runTask("gl-mr-user");
    assertEquals("completed", status(done), done.toString());
    assertEquals("kind: Component", git("--git-dir", "existing.git", "show", "user-branch:catalog-info.yaml"));
    assertEquals(List.of("GET /gl/api/v4/projects/acme%2Fexisting", "GET /gl/api/v4/users?username=jdoe",
        "POST /gl/api/v4/projects/100/merge_requests"), calls());
    assertTrue(requests.stream().allMatch(Recorded::userBearer), "the step's token, not the integration's");
    assertEquals(5, requests.get(2).body().path("assignee_ids").path(0).asInt(), requests.get(2).body().toString());
  }

  @Test
  void api_errors_fail_the_task_naming_action_and_status_without_the_token() throws Exception {
    JsonNode done = runTask("gh-taken");
    assertEquals("failed", status(done), done.toString());
    String message = done.at("/error/message").asText();
    assertTrue(message.contains("publish:github") && message.contains("422")
        && message.contains("name already exists"), message);
    assertFalse(Files.exists(served.resolve("taken.git")), "nothing was pushed");
    assertNoTokenAnywhere();
  }

  @Test
  void a_repo_url_outside_allowed_hosts_fails_before_any_request() throws Exception {
    JsonNode done = runTask("gh-not-allowed-host");
    assertEquals("failed", status(done), done.toString());
    assertEquals("InputError", done.at("/error/name").asText(), done.toString());
    assertTrue(done.at("/error/message").asText().contains("not in allowedHosts"), done.toString());
    assertEquals(List.of(), calls(), "no request may reach the API");
  }

  @Test
  void hosts_without_an_integration_of_the_forge_are_refused_before_any_request() throws Exception {
    for (String template : List.of("gh-unconfigured", "gl-on-github-host", "gh-on-git-host")) {
      JsonNode done = runTask(template);
      assertEquals("failed", status(done), done.toString());
      assertEquals("NotAllowedError", done.at("/error/name").asText(), done.toString());
      assertTrue(done.at("/error/message").asText().contains("is not allowed"), done.toString());
    }
    assertEquals(List.of(), calls(), "no request may reach any API");
    assertFalse(Files.exists(served.resolve("web.git")));
  }

  @Test
  void dry_runs_send_nothing_and_push_nothing() throws Exception {
    ObjectNode body = LoopbackHttp.JSON.createObjectNode();
    ObjectNode template = body.putObject("template");
    template.put("apiVersion", "scaffolder.backstage.io/v1beta3").put("kind", "Template");
    template.putObject("metadata").put("name", "dry");
    ObjectNode spec = template.putObject("spec").put("type", "service");
    ArrayNode steps = spec.putArray("steps");
    steps.addObject().put("id", "publish").put("action", "publish:github")
        .putObject("input").put("repoUrl", githubGit.host() + "?owner=acme&repo=web");
    steps.addObject().put("id", "pr").put("action", "publish:gitlab:merge-request")
        .putObject("input").put("repoUrl", gitlabGit.host() + "?owner=acme&repo=existing")
        .put("branchName", "b").put("title", "t").put("description", "d");
    spec.putObject("output").put("remoteUrl", "${{ steps.publish.output.remoteUrl }}")
        .put("mergeRequestUrl", "${{ steps.pr.output.mergeRequestUrl }}");
    body.putObject("values");
    body.putArray("directoryContents").addObject().put("path", "template.yaml")
        .put("base64Content", Base64.getEncoder().encodeToString("kind: Template".getBytes(StandardCharsets.UTF_8)));
    LoopbackHttp.Response r = http.post("/api/scaffolder/v2/dry-run", body.toString());
    assertEquals(200, r.status(), r.body());
    assertEquals("https://github.com/acme/web.git", r.json().at("/output/remoteUrl").asText(), r.body());
    assertEquals("https://gitlab.com/acme/web/-/merge_requests/1", r.json().at("/output/mergeRequestUrl").asText());
    assertEquals(List.of(), calls(), "a dry run calls no API");
    assertFalse(Files.exists(served.resolve("web.git")));
    assertFalse(git("--git-dir", "existing.git", "branch", "--list").contains("b\n"));

    // The repository options and commitAction delete are accepted and still send nothing in a dry run
    ObjectNode ghInput = (ObjectNode) steps.get(0).get("input");
    ghInput.putArray("topics").add("web");
    ghInput.put("requiredApprovingReviewCount", 2).put("protectDefaultBranch", true);
    ghInput.putArray("collaborators").addObject().put("team", "devs").put("access", "push");
    ((ObjectNode) steps.get(1).get("input")).put("commitAction", "delete");
    LoopbackHttp.Response options = http.post("/api/scaffolder/v2/dry-run", body.toString());
    assertEquals(200, options.status(), options.body());
    assertEquals(List.of(), calls());

    // An option Backstage has and we do not is refused, not dropped, even in a dry run.
    ghInput.putObject("secrets").put("TOKEN", "x");
    LoopbackHttp.Response extra = http.post("/api/scaffolder/v2/dry-run", body.toString());
    assertEquals(400, extra.status(), extra.body());
    assertTrue(extra.body().contains("Invalid input passed to action publish:github") && extra.body().contains("secrets"),
        extra.body());
    assertEquals(List.of(), calls());
  }

  /**
   * The steps of the nine templates of backstage/software-templates, in their shapes (our own
   * templates: action ids, input names and expressions as they use them), answered by the dry-run
   * route, which refuses an unknown action (404) or an input its schema does not take (400) before
   * any step runs. Seven are accepted; the two whose fetch action is not built in (fetch:cookiecutter,
   * fetch:rails: Backstage modules of their own that run the tools) are refused. pull-request's
   * fetch:plain of a remote GitHub tree fails when it runs: template files are read from the
   * template's own folder only.
   */
  @Test
  void the_shapes_of_backstages_nine_templates_are_accepted_up_front_or_refused_naming_the_action() throws Exception {
    String register = """
        - id: register
          action: catalog:register
          input: {repoContentsUrl: '${{ steps.publish.output.repoContentsUrl }}', catalogInfoPath: /catalog-info.yaml}
        """;
    String github = """
        - id: publish
          action: publish:github
          input:
            allowedHosts: %s
            description: This is ${{ parameters.name }}
            repoUrl: ${{ parameters.repoUrl }}
        """;
    String fetch = """
        - id: fetch
          action: fetch:template
          input:
            url: ./skeleton
            %s
            values:
              name: ${{ parameters.name }}
              destination: ${{ parameters.repoUrl | parseRepoUrl }}
              owner: ${{ parameters.owner }}
              http_port: 8080
        """;
    Map<String, String> shapes = new java.util.LinkedHashMap<>();
    shapes.put("clean-architecture-app", fetch.formatted("") + github.formatted("['github.com', 'dev.azure.com']") + register);
    shapes.put("create-react-app", fetch.formatted("copyWithoutRender: ['.github/workflows/*']")
        + github.formatted("[github.com]") + register);
    shapes.put("docs-template", fetch.formatted("") + github.formatted("[github.com]") + register);
    shapes.put("react-ssr-template", fetch.formatted("copyWithoutRender: ['.github/workflows/*']")
        + github.formatted("[github.com]") + register);
    shapes.put("springboot-grpc-template", fetch.formatted("copyWithoutRender: ['.github/workflows/*']")
        + github.formatted("[github.com]") + register);
    shapes.put("gitlab-merge-request", fetch.formatted("targetPath: ${{ parameters.targetPath }}") + """
        - id: publish
          action: publish:gitlab:merge-request
          input:
            repoUrl: ${{ parameters.repoUrl }}
            title: Creating catalog-info.yaml ${{ parameters.name }}
            branchName: ${{ parameters.branchName }}
            description: |
              # New project: ${{ parameters.name }}
              ${{ parameters.description if parameters.description }}
            targetPath: ${{ parameters.targetPath if parameters.targetPath else '.' }}
            token: ${{ secrets.USER_OAUTH_TOKEN }}
            commitAction: create
            removeSourceBranch: true
            assignee: ${{ parameters.assignee }}
        """);
    shapes.put("pull-request", fetch.formatted("") + """
        - id: fetch-docs
          action: fetch:plain
          input: {targetPath: ./community, url: 'https://github.com/acme/community/tree/main/sessions'}
        - id: publish
          action: publish:github:pull-request
          input:
            repoUrl: ${{ parameters.repoUrl }}
            title: "Create new project: ${{ parameters.name }}"
            branchName: create-${{ parameters.name }}
            description: |
              # New project: ${{ parameters.name }}
              ${{ parameters.description if parameters.description }}
            targetPath: ${{ parameters.targetPath if parameters.targetPath else parameters.name }}
        """);
    shapes.put("docs-template-cookiecutter", """
        - id: fetch
          action: fetch:cookiecutter
          input: {url: ./skeleton, values: {name: '${{ parameters.name }}'}}
        """ + github.formatted("[github.com]") + register);
    shapes.put("rails-demo", """
        - id: fetch-base
          action: fetch:rails
          input: {url: ./template, values: {name: '${{ parameters.name }}', railsArguments: {minimal: true}}}
        - name: Write Catalog information
          action: catalog:write
          input:
            entity:
              apiVersion: backstage.io/v1alpha1
              kind: Component
              metadata:
                name: ${{ parameters.name }}
                annotations: {github.com/project-slug: '${{ parameters.repoUrl | projectSlug }}'}
              spec: {type: service, lifecycle: production, owner: '${{ parameters.owner }}'}
            filePath: catalog-info.yaml
        - id: publish
          if: ${{ parameters.dryRun !== true }}
          action: publish:github
          input: {allowedHosts: [github.com], description: 'This is ${{ parameters.name }}', repoUrl: '${{ parameters.repoUrl }}'}
        - name: Results
          if: ${{ parameters.dryRun }}
          action: debug:log
          input: {listWorkspace: true}
        """);
    Map<String, Integer> answered = new java.util.LinkedHashMap<>();
    for (Map.Entry<String, String> shape : shapes.entrySet()) {
      String yaml = "apiVersion: scaffolder.backstage.io/v1beta3\nkind: Template\nmetadata: {name: " + shape.getKey()
          + "}\nspec:\n  type: service\n  steps:\n" + shape.getValue().indent(4)
          + "  output:\n    links: [{title: Repository, url: '${{ steps.publish.output.remoteUrl }}'}]\n";
      ObjectNode body = LoopbackHttp.JSON.createObjectNode();
      body.set("template", org.meshportal.model.YamlDocuments.parse(yaml.getBytes(StandardCharsets.UTF_8),
          org.meshportal.model.YamlDocuments.Limits.ofMaxBytes(1 << 20)).documents().get(0).entity());
      body.putObject("values").put("name", "web").put("owner", "group:default/team")
          .put("repoUrl", "github.com?owner=acme&repo=web").put("branchName", "b").put("targetPath", "web")
          .put("assignee", "jdoe").put("dryRun", true);
      body.putObject("secrets").put("USER_OAUTH_TOKEN", "user-token-9c2e");
      body.putArray("directoryContents").addObject().put("path", "skeleton/catalog-info.yaml")
          .put("base64Content", Base64.getEncoder().encodeToString("name: ${{ values.name }}\n".getBytes(StandardCharsets.UTF_8)));
      LoopbackHttp.Response r = http.post("/api/scaffolder/v2/dry-run", body.toString());
      answered.put(shape.getKey(), r.status());
      if (r.status() == 200 && shape.getKey().equals("pull-request")) {
        // fetch:plain of a remote tree: this server reads template files only from the template's own folder
        assertTrue(r.body().contains("\"stepId\":\"fetch-docs\",\"status\":\"failed\""), r.body());
      } else if (r.status() == 200) {
        assertFalse(r.body().contains("\"status\":\"failed\""), shape.getKey() + ": " + r.body());
      } else {
        assertEquals("NotFoundError", r.json().at("/error/name").asText(), r.body());
        assertTrue(r.json().at("/error/message").asText().startsWith("Template action with ID 'fetch:"), r.body());
      }
    }
    Map<String, Integer> expected = new java.util.LinkedHashMap<>();
    shapes.keySet().forEach(k -> expected.put(k, k.equals("docs-template-cookiecutter") || k.equals("rails-demo") ? 404 : 200));
    assertEquals(expected, answered);
    assertEquals(List.of(), calls(), "dry runs call no forge");
  }

  // ------------------------------------------------------------------ helpers

  private List<String> calls() {
    synchronized (requests) {
      return requests.stream().map(r -> r.method() + " " + r.path()).toList();
    }
  }

  private static String status(JsonNode completion) {
    return completion.path("message").asText().replace("Run completed with status: ", "");
  }

  private void assertNoTokenAnywhere() throws IOException {
    try (var files = Files.walk(tmp.resolve("data"))) {
      for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
        if (!p.toString().endsWith(".db") && !p.toString().contains("index")) {
          assertFalse(Files.readString(p, StandardCharsets.ISO_8859_1).contains(TOKEN), p.toString());
        }
      }
    }
  }

  private static String template(String name, String action, String input) {
    return """
        apiVersion: scaffolder.backstage.io/v1beta3
        kind: Template
        metadata: {name: %s}
        spec:
          type: service
          steps:
            - id: fetch
              action: fetch:plain
              input: {url: ./skeleton}
            - id: publish
              action: %s
              input:
        %s  output:
            remoteUrl: ${{ steps.publish.output.remoteUrl }}
            repoContentsUrl: ${{ steps.publish.output.repoContentsUrl }}
            commitHash: ${{ steps.publish.output.commitHash }}
            pullRequestNumber: ${{ steps.publish.output.pullRequestNumber }}
            targetBranchName: ${{ steps.publish.output.targetBranchName }}
            mergeRequestUrl: ${{ steps.publish.output.mergeRequestUrl }}
            projectPath: ${{ steps.publish.output.projectPath }}
        """.formatted(name, action, input.indent(10));
  }

  /** Creates the task over HTTP and reads its event stream to the completion event, whose body it returns. */
  private JsonNode runTask(String template) throws Exception {
    LoopbackHttp.Response created = http.post("/api/scaffolder/v2/tasks",
        "{\"templateRef\":\"template:default/" + template + "\",\"values\":{}}");
    assertEquals(201, created.status(), created.body());
    String id = created.json().get("id").asText();
    HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + app.port() + "/api/scaffolder/v2/tasks/" + id + "/eventstream"))
        .timeout(Duration.ofSeconds(60)).GET().build(), HttpResponse.BodyHandlers.ofString());
    assertFalse(r.body().contains(TOKEN), "the token never reaches the task's events");
    taskLog = r.body();
    String[] lines = r.body().split("\n");
    for (int i = 0; i < lines.length - 1; i++) {
      if (lines[i].equals("event: completion") && lines[i + 1].startsWith("data: ")) {
        return LoopbackHttp.JSON.readTree(lines[i + 1].substring(6)).path("body");
      }
    }
    throw new AssertionError("no completion event in " + r.body());
  }
}
