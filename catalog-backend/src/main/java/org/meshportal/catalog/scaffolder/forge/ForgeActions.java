package org.meshportal.catalog.scaffolder.forge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.meshportal.catalog.access.AccessPolicy;
import org.meshportal.gitsync.GitCredentials;
import org.meshportal.gitsync.GitPublishing;
import org.meshportal.gitsync.HostKind;
import org.meshportal.model.errors.InputException;
import org.meshportal.templates.action.ActionContext;
import org.meshportal.templates.action.TemplateAction;

/**
 * Backstage's forge publishers: {@code publish:github}, {@code publish:github:pull-request},
 * {@code publish:gitlab} and {@code publish:gitlab:merge-request}. Each calls the forge's REST API
 * of a configured integration (see {@link ForgeHosts}), then pushes through git-sync's
 * {@link GitPublishing}, after {@link AccessPolicy#checkPush} has allowed the clone URL the forge
 * returned. Not run in dry runs: the engine answers with the example outputs instead.
 */
public final class ForgeActions {
  private ForgeActions() {}

  public static List<TemplateAction> all(GitPublishing git, ForgeHosts hosts, AccessPolicy access) {
    Pusher pusher = new Pusher(git, hosts, access);
    return List.of(new GitHubRepo(hosts, pusher), new GitHubPullRequest(hosts, pusher),
        new GitLabProject(hosts, pusher), new GitLabMergeRequest(hosts, pusher));
  }

  /** Every push of these actions, so none can skip the sandbox. */
  private record Pusher(GitPublishing git, ForgeHosts hosts, AccessPolicy access) {
    GitPublishing.Pushed createNew(String cloneUrl, String branch, Path source, GitPublishing.CommitMessage msg,
        GitCredentials userCredentials) {
      access.checkPush(cloneUrl);
      return git.publishNew(cloneUrl, credentials(cloneUrl, userCredentials), branch, source, msg);
    }

    /** For a change made through a forge's API instead of a push: the same write rule. */
    void checkWrite(String cloneUrl) {
      access.checkPush(cloneUrl);
    }

    GitPublishing.Pushed onBranch(String cloneUrl, String base, String branch, Path overlay,
        GitPublishing.CommitMessage msg, GitCredentials userCredentials) {
      access.checkPush(cloneUrl);
      return git.publishOnBranch(cloneUrl, credentials(cloneUrl, userCredentials), base, branch, overlay, msg);
    }

    private GitCredentials credentials(String cloneUrl, GitCredentials userCredentials) {
      return userCredentials != null ? userCredentials : hosts.integrations().credentialsFor(cloneUrl);
    }
  }

  private abstract static class ForgeAction implements TemplateAction {
    final String id;
    final String description;
    final JsonNode input;
    final JsonNode output;
    final ForgeHosts hosts;
    final Pusher pusher;

    ForgeAction(String id, String description, String input, String output, ForgeHosts hosts, Pusher pusher) {
      this.id = id;
      this.description = description;
      try {
        this.input = ForgeApi.JSON.readTree(input);
        this.output = ForgeApi.JSON.readTree(output);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      this.hosts = hosts;
      this.pusher = pusher;
    }
    // Inputs are closed (additionalProperties: false): a Backstage option we do not implement
    // (secrets, repository variables, merge settings) fails the task instead of being dropped.

    @Override public String id() { return id; }
    @Override public String description() { return description; }
    @Override public JsonNode inputSchema() { return input; }
    @Override public JsonNode outputSchema() { return output; }

    ForgeApi api(HostKind kind, ForgeHosts.Target target, JsonNode in) {
      // Real templates pin their forge this way (allowedHosts: [github.com]); a repoUrl elsewhere is an input error.
      JsonNode allowed = in.path("allowedHosts");
      if (allowed.isArray() && !allowed.isEmpty()) {
        boolean listed = false;
        for (JsonNode h : allowed) {
          listed |= h.asText().equalsIgnoreCase(target.host());
        }
        if (!listed) {
          throw new InputException(id + ": repoUrl host " + target.host() + " is not in allowedHosts " + allowed);
        }
      }
      ForgeHosts.Api api = hosts.api(id, kind, target.host());
      String userToken = text(in, "token", null);
      return new ForgeApi(id, api.baseUrl(), userToken != null ? userToken : api.token());
    }

    /** The push credentials of a step's own {@code token}, or null to use the integration's. */
    static GitCredentials userCredentials(JsonNode in, HostKind kind) {
      String token = text(in, "token", null);
      if (token == null) {
        return null;
      }
      // GitLab takes an OAuth token as the password of user oauth2; GitHub takes any user name.
      return kind == HostKind.GITLAB ? GitCredentials.token(token, "oauth2") : GitCredentials.token(token);
    }

    static String text(JsonNode in, String field, String dflt) {
      JsonNode v = in.get(field);
      return v == null || v.isNull() || v.asText().isEmpty() ? dflt : v.asText();
    }

    static String required(JsonNode body, String field, String what) {
      String v = body.path(field).asText("");
      if (v.isEmpty()) {
        throw new IllegalStateException(what + " answered without " + field);
      }
      return v;
    }

    Path source(ActionContext ctx) {
      String rel = text(ctx.input(), "sourcePath", "./");
      Path source = ctx.workspace().resolve(rel);
      if (!Files.isDirectory(source)) {
        throw new InputException(id + ": sourcePath " + rel + " is not a directory in the workspace");
      }
      return source;
    }

    /** The source files placed under {@code targetPath} of the repository (a copy when a target is given). */
    Path overlay(ActionContext ctx) throws IOException {
      Path source = source(ctx);
      String targetPath = text(ctx.input(), "targetPath", null);
      if (targetPath == null || targetPath.equals(".") || targetPath.equals("./")) {
        return source;
      }
      Path tmp = ctx.createTempDirectory();
      Path dest = tmp.resolve(targetPath).normalize();
      if (!dest.startsWith(tmp) || Path.of(targetPath).isAbsolute()) {
        throw new InputException(id + ": targetPath " + targetPath + " must stay inside the repository");
      }
      try (Stream<Path> files = Files.walk(source)) {
        for (Path p : (Iterable<Path>) files::iterator) {
          Path to = dest.resolve(source.relativize(p).toString());
          if (Files.isDirectory(p)) {
            Files.createDirectories(to);
          } else if (Files.isRegularFile(p)) {
            Files.createDirectories(to.getParent());
            Files.copy(p, to);
          }
        }
      }
      return tmp;
    }

    static GitPublishing.CommitMessage commit(JsonNode in, String messageField, String dflt) {
      return new GitPublishing.CommitMessage(text(in, messageField, dflt), text(in, "gitAuthorName", "Scaffolder"),
          text(in, "gitAuthorEmail", "scaffolder@localhost"));
    }

    static String seg(String s) {
      return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    static ObjectNode obj() {
      return JsonNodeFactory.instance.objectNode();
    }

    static void out(ActionContext ctx, String name, String value) {
      ctx.output(name, JsonNodeFactory.instance.textNode(value));
    }
  }

  private static final String COMMIT_PROPS = """
      "allowedHosts":{"type":"array","items":{"type":"string"},"description":"Hosts repoUrl may name; another host fails the step"},
      "token":{"type":"string","description":"A user's token (RepoUrlPicker requestUserCredentials) used instead of the integration's, for the API and the push"},
      "sourcePath":{"type":"string","description":"Workspace sub-directory to publish, defaults to the whole workspace"},
      "gitAuthorName":{"type":"string"},
      "gitAuthorEmail":{"type":"string"}""";

  /** publish:github: creates the repository (as an organization's or the token user's) and pushes the workspace. */
  static final class GitHubRepo extends ForgeAction {
    GitHubRepo(ForgeHosts hosts, Pusher pusher) {
      super("publish:github", "Creates a GitHub repository and pushes the workspace to it.", """
          {"type":"object","additionalProperties":false,"required":["repoUrl"],"properties":{
            "repoUrl":{"type":"string","title":"Repository Location","description":"host?owner=<owner>&repo=<repo>"},
            "description":{"type":"string"},
            "repoVisibility":{"type":"string","enum":["private","internal","public"]},
            "defaultBranch":{"type":"string","description":"Defaults to master, as in Backstage"},
            "gitCommitMessage":{"type":"string"},
            %s,
            %s}}""".formatted(COMMIT_PROPS, GitHubRepoSettings.PROPERTIES), """
          {"type":"object","properties":{
            "remoteUrl":{"type":"string","examples":["https://github.com/acme/web.git"]},
            "repoContentsUrl":{"type":"string","examples":["https://github.com/acme/web/blob/master"]},
            "commitHash":{"type":"string","examples":["0000000000000000000000000000000000000000"]}}}""",
          hosts, pusher);
    }

    @Override
    public void execute(ActionContext ctx) throws Exception {
      JsonNode in = ctx.input();
      ForgeHosts.Target t = ForgeHosts.parse(id, text(in, "repoUrl", null));
      if (t.owner().contains("/")) {
        throw new InputException(id + ": a GitHub owner has no '/': " + t.owner());
      }
      Path source = source(ctx);
      GitHubRepoSettings.check(id, in);
      ForgeApi api = api(HostKind.GITHUB, t, in);
      String visibility = text(in, "repoVisibility", "private");
      ObjectNode body = obj().put("name", t.repo()).put("private", !visibility.equals("public"));
      if (in.hasNonNull("description")) {
        body.put("description", in.get("description").asText());
      }
      // GitHub creates an organization's repository and a user's own at different routes.
      boolean org = "Organization".equals(api.get("/users/" + seg(t.owner())).path("type").asText());
      GitHubRepoSettings.checkAccessTeam(api, t.owner(), in);
      ctx.log("Creating GitHub repository " + t.owner() + "/" + t.repo());
      JsonNode repo;
      if (org) {
        body.put("visibility", visibility);
        repo = api.post("/orgs/" + seg(t.owner()) + "/repos", body);
      } else {
        repo = api.post("/user/repos", body);
      }
      String cloneUrl = required(repo, "clone_url", "GitHub");
      GitHubRepoSettings.apply(api, ctx, t.owner(), t.repo());
      String branch = text(in, "defaultBranch", "master");
      GitPublishing.Pushed pushed = pusher.createNew(cloneUrl, branch, source, commit(in, "gitCommitMessage",
          "initial commit"), userCredentials(in, HostKind.GITHUB));
      GitHubRepoSettings.protect(api, ctx, t.owner(), t.repo(), pushed.branch());
      out(ctx, "remoteUrl", cloneUrl);
      out(ctx, "repoContentsUrl", required(repo, "html_url", "GitHub") + "/blob/" + pushed.branch());
      out(ctx, "commitHash", pushed.commitHash());
    }
  }

  /** publish:github:pull-request: pushes the workspace to a branch and opens a pull request from it. */
  static final class GitHubPullRequest extends ForgeAction {
    GitHubPullRequest(ForgeHosts hosts, Pusher pusher) {
      super("publish:github:pull-request", "Pushes the workspace to a branch of a GitHub repository and opens a pull request.", """
          {"type":"object","additionalProperties":false,"required":["repoUrl","branchName","title","description"],"properties":{
            "repoUrl":{"type":"string","description":"host?owner=<owner>&repo=<repo>"},
            "branchName":{"type":"string"},
            "targetBranchName":{"type":"string","description":"Defaults to the repository's default branch"},
            "title":{"type":"string"},
            "description":{"type":"string"},
            "draft":{"type":"boolean"},
            "targetPath":{"type":"string","description":"Repository sub-directory the files go to"},
            "commitMessage":{"type":"string"},
            %s}}""".formatted(COMMIT_PROPS), """
          {"type":"object","properties":{
            "remoteUrl":{"type":"string","examples":["https://github.com/acme/web/pull/1"]},
            "pullRequestUrl":{"type":"string","examples":["https://github.com/acme/web/pull/1"]},
            "pullRequestNumber":{"type":"number","examples":[1]},
            "targetBranchName":{"type":"string","examples":["main"]},
            "commitHash":{"type":"string","examples":["0000000000000000000000000000000000000000"]}}}""",
          hosts, pusher);
    }

    @Override
    public void execute(ActionContext ctx) throws Exception {
      JsonNode in = ctx.input();
      ForgeHosts.Target t = ForgeHosts.parse(id, text(in, "repoUrl", null));
      Path overlay = overlay(ctx);
      ForgeApi api = api(HostKind.GITHUB, t, in);
      String repoPath = "/repos/" + seg(t.owner()) + "/" + seg(t.repo());
      JsonNode repo = api.get(repoPath);
      String target = text(in, "targetBranchName", required(repo, "default_branch", "GitHub"));
      String branch = text(in, "branchName", null);
      ctx.log("Pushing branch " + branch + " of " + t.owner() + "/" + t.repo());
      GitPublishing.Pushed pushed = pusher.onBranch(required(repo, "clone_url", "GitHub"), target, branch, overlay,
          commit(in, "commitMessage", text(in, "title", "update")), userCredentials(in, HostKind.GITHUB));
      ObjectNode body = obj().put("title", text(in, "title", null)).put("head", branch).put("base", target)
          .put("body", text(in, "description", "")).put("draft", in.path("draft").asBoolean(false));
      JsonNode pr = api.post(repoPath + "/pulls", body);
      String url = required(pr, "html_url", "GitHub");
      out(ctx, "remoteUrl", url);
      out(ctx, "pullRequestUrl", url);
      ctx.output("pullRequestNumber", JsonNodeFactory.instance.numberNode(pr.path("number").asInt()));
      out(ctx, "targetBranchName", target);
      out(ctx, "commitHash", pushed.commitHash());
    }
  }

  /** publish:gitlab: creates the project in the owner's namespace and pushes the workspace. */
  static final class GitLabProject extends ForgeAction {
    GitLabProject(ForgeHosts hosts, Pusher pusher) {
      super("publish:gitlab", "Creates a GitLab project and pushes the workspace to it.", """
          {"type":"object","additionalProperties":false,"required":["repoUrl"],"properties":{
            "repoUrl":{"type":"string","description":"host?owner=<group or user>&repo=<project>"},
            "repoVisibility":{"type":"string","enum":["private","internal","public"]},
            "defaultBranch":{"type":"string","description":"Defaults to master, as in Backstage"},
            "gitCommitMessage":{"type":"string"},
            "settings":{"type":"object","properties":{"description":{"type":"string"},
              "visibility":{"type":"string","enum":["private","internal","public"]},
              "topics":{"type":"array","items":{"type":"string"}}}},
            "topics":{"type":"array","items":{"type":"string"},"description":"Topics of the new project"},
            %s}}""".formatted(COMMIT_PROPS), """
          {"type":"object","properties":{
            "remoteUrl":{"type":"string","examples":["https://gitlab.com/acme/web"]},
            "repoContentsUrl":{"type":"string","examples":["https://gitlab.com/acme/web/-/blob/master"]},
            "projectId":{"type":"number","examples":[1]},
            "commitHash":{"type":"string","examples":["0000000000000000000000000000000000000000"]}}}""",
          hosts, pusher);
    }

    @Override
    public void execute(ActionContext ctx) throws Exception {
      JsonNode in = ctx.input();
      ForgeHosts.Target t = ForgeHosts.parse(id, text(in, "repoUrl", null));
      Path source = source(ctx);
      ForgeApi api = api(HostKind.GITLAB, t, in);
      long namespaceId = -1;
      for (JsonNode ns : api.get("/namespaces?search=" + seg(t.owner()))) {
        if (t.owner().equalsIgnoreCase(ns.path("full_path").asText())) {
          namespaceId = ns.path("id").asLong();
        }
      }
      if (namespaceId < 0) {
        throw new InputException(id + ": GitLab has no namespace '" + t.owner() + "' visible to the integration's token");
      }
      JsonNode settings = in.path("settings");
      ObjectNode body = obj().put("namespace_id", namespaceId).put("name", t.repo()).put("path", t.repo())
          .put("visibility", settings.path("visibility").asText(text(in, "repoVisibility", "private")));
      if (settings.hasNonNull("description")) {
        body.put("description", settings.get("description").asText());
      }
      // Backstage lets settings.topics win over the top-level topics, as for the other settings
      JsonNode topics = settings.path("topics").isArray() ? settings.get("topics") : in.path("topics");
      if (topics.isArray()) {
        body.set("topics", topics);
      }
      ctx.log("Creating GitLab project " + t.owner() + "/" + t.repo());
      JsonNode project = api.post("/projects", body);
      String cloneUrl = required(project, "http_url_to_repo", "GitLab");
      GitPublishing.Pushed pushed = pusher.createNew(cloneUrl, text(in, "defaultBranch", "master"), source,
          commit(in, "gitCommitMessage", "initial commit"), userCredentials(in, HostKind.GITLAB));
      String remoteUrl = cloneUrl.replaceAll("\\.git$", "");
      out(ctx, "remoteUrl", remoteUrl);
      out(ctx, "repoContentsUrl", remoteUrl + "/-/blob/" + pushed.branch());
      ctx.output("projectId", JsonNodeFactory.instance.numberNode(project.path("id").asLong()));
      out(ctx, "commitHash", pushed.commitHash());
    }
  }

  /** publish:gitlab:merge-request: pushes the workspace to a branch and opens a merge request from it. */
  static final class GitLabMergeRequest extends ForgeAction {
    GitLabMergeRequest(ForgeHosts hosts, Pusher pusher) {
      super("publish:gitlab:merge-request", "Pushes the workspace to a branch of a GitLab project and opens a merge request.", """
          {"type":"object","additionalProperties":false,"required":["repoUrl","branchName","title","description"],"properties":{
            "repoUrl":{"type":"string","description":"host?owner=<group or user>&repo=<project>"},
            "branchName":{"type":"string"},
            "targetBranchName":{"type":"string","description":"Defaults to the project's default branch"},
            "title":{"type":"string"},
            "description":{"type":"string"},
            "draft":{"type":"boolean"},
            "removeSourceBranch":{"type":"boolean"},
            "commitAction":{"type":"string","enum":["create","update","auto","delete"],"description":"create, update and auto add or overwrite the files; delete removes the files the workspace names"},
            "assignee":{"type":"string","description":"GitLab user name the merge request is assigned to"},
            "targetPath":{"type":"string","description":"Repository sub-directory the files go to"},
            "commitMessage":{"type":"string"},
            %s}}""".formatted(COMMIT_PROPS), """
          {"type":"object","properties":{
            "mergeRequestUrl":{"type":"string","examples":["https://gitlab.com/acme/web/-/merge_requests/1"]},
            "projectid":{"type":"number","examples":[1]},
            "projectPath":{"type":"string","examples":["acme/web"]},
            "targetBranchName":{"type":"string","examples":["main"]},
            "commitHash":{"type":"string","examples":["0000000000000000000000000000000000000000"]}}}""",
          hosts, pusher);
    }

    @Override
    public void execute(ActionContext ctx) throws Exception {
      JsonNode in = ctx.input();
      ForgeHosts.Target t = ForgeHosts.parse(id, text(in, "repoUrl", null));
      Path overlay = overlay(ctx);
      ForgeApi api = api(HostKind.GITLAB, t, in);
      JsonNode project = api.get("/projects/" + seg(t.owner() + "/" + t.repo()));
      long projectId = project.path("id").asLong();
      String target = text(in, "targetBranchName", required(project, "default_branch", "GitLab"));
      String branch = text(in, "branchName", null);
      String commitHash;
      GitPublishing.CommitMessage message = commit(in, "commitMessage", text(in, "title", "update"));
      if ("delete".equals(text(in, "commitAction", null))) {
        pusher.checkWrite(required(project, "http_url_to_repo", "GitLab"));
        ctx.log("Deleting the workspace's files on branch " + branch + " of " + t.owner() + "/" + t.repo());
        commitHash = GitLabCommits.deleteOnBranch(api, projectId, target, branch, overlay, message);
      } else {
        ctx.log("Pushing branch " + branch + " of " + t.owner() + "/" + t.repo());
        commitHash = pusher.onBranch(required(project, "http_url_to_repo", "GitLab"), target, branch,
            overlay, message, userCredentials(in, HostKind.GITLAB)).commitHash();
      }
      String title = text(in, "title", null);
      ObjectNode body = obj().put("source_branch", branch).put("target_branch", target)
          .put("title", in.path("draft").asBoolean(false) ? "Draft: " + title : title)
          .put("description", text(in, "description", ""))
          .put("remove_source_branch", in.path("removeSourceBranch").asBoolean(false));
      String assignee = text(in, "assignee", null);
      if (assignee != null) {
        JsonNode users = api.get("/users?username=" + seg(assignee));
        if (users.isArray() && !users.isEmpty() && users.get(0).hasNonNull("id")) {
          body.putArray("assignee_ids").add(users.get(0).get("id").asLong());
        } else {
          ctx.log("GitLab user " + assignee + " was not found; the merge request has no assignee");
        }
      }
      JsonNode mr = api.post("/projects/" + projectId + "/merge_requests", body);
      out(ctx, "mergeRequestUrl", required(mr, "web_url", "GitLab"));
      ctx.output("projectid", JsonNodeFactory.instance.numberNode(projectId));
      out(ctx, "projectPath", project.path("path_with_namespace").asText(t.owner() + "/" + t.repo()));
      out(ctx, "targetBranchName", target);
      out(ctx, "commitHash", Objects.requireNonNull(commitHash));
    }
  }
}
