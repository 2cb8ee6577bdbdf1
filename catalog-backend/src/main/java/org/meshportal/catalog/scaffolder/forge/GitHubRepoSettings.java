package org.meshportal.catalog.scaffolder.forge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import org.meshportal.model.errors.InputException;
import org.meshportal.templates.action.ActionContext;

/**
 * What {@code publish:github} does to a repository besides creating and pushing it, with
 * Backstage's inputs and GitHub's documented REST routes: the {@code access} admin, collaborators,
 * topics, and protection of the default branch (on by default, as in Backstage). As in Backstage,
 * a collaborator, the topics or the protection that GitHub refuses is logged and skipped; the
 * repository stays.
 */
final class GitHubRepoSettings {
  private GitHubRepoSettings() {}

  /** Input schema properties, spliced into publish:github's. */
  static final String PROPERTIES = """
      "access":{"type":"string","description":"A user or <owner>/<team> made admin of the repository"},
      "collaborators":{"type":"array","items":{"type":"object","additionalProperties":false,"required":["access"],
        "properties":{"user":{"type":"string"},"team":{"type":"string"},"username":{"type":"string","description":"Deprecated: a team slug"},
          "access":{"type":"string","enum":["pull","push","admin","maintain","triage"]}}}},
      "topics":{"type":"array","items":{"type":"string"}},
      "protectDefaultBranch":{"type":"boolean","description":"Protect the default branch after the push (default true)"},
      "protectEnforceAdmins":{"type":"boolean","description":"The protection applies to admins too (default true)"},
      "requireCodeOwnerReviews":{"type":"boolean"},
      "requiredApprovingReviewCount":{"type":"number","minimum":0,"maximum":6,"description":"Default 1"},
      "dismissStaleReviews":{"type":"boolean"},
      "requireLastPushApproval":{"type":"boolean"},
      "bypassPullRequestAllowances":{"type":"object","additionalProperties":false,"properties":{
        "users":{"type":"array","items":{"type":"string"}},"teams":{"type":"array","items":{"type":"string"}},
        "apps":{"type":"array","items":{"type":"string"}}}},
      "restrictions":{"type":"object","additionalProperties":false,"required":["users","teams"],"properties":{
        "users":{"type":"array","items":{"type":"string"}},"teams":{"type":"array","items":{"type":"string"}},
        "apps":{"type":"array","items":{"type":"string"}}}},
      "requiredStatusCheckContexts":{"type":"array","items":{"type":"string"}},
      "requireBranchesToBeUpToDate":{"type":"boolean","description":"Default true"},
      "requiredConversationResolution":{"type":"boolean"},
      "requiredCommitSigning":{"type":"boolean"},
      "requiredLinearHistory":{"type":"boolean"}""";

  /** Checks the inputs GitHub would refuse only after the repository exists. */
  static void check(String id, JsonNode in) {
    for (JsonNode c : in.path("collaborators")) {
      int named = (c.has("user") ? 1 : 0) + (c.has("team") ? 1 : 0) + (c.has("username") ? 1 : 0);
      if (named != 1) {
        throw new InputException(id + ": each entry of collaborators names exactly one of user, team or username");
      }
    }
  }

  /** Before the repository is created: an {@code <owner>/<team>} access names a team that must exist. */
  static void checkAccessTeam(ForgeApi api, String owner, JsonNode in) throws Exception {
    String access = text(in, "access");
    if (access != null && access.startsWith(owner + "/")) {
      String team = access.substring(owner.length() + 1);
      try {
        api.get("/orgs/" + seg(owner) + "/teams/" + seg(team));
      } catch (ForgeApi.ForgeApiException e) {
        if (e.status() == 404) {
          throw new InputException("publish:github: access names team " + access + ", which GitHub does not have");
        }
        throw e;
      }
    }
  }

  /** After creation, before the push: the admin named by {@code access}, collaborators and topics. */
  static void apply(ForgeApi api, ActionContext ctx, String owner, String repo) throws Exception {
    JsonNode in = ctx.input();
    String repoPath = "/repos/" + seg(owner) + "/" + seg(repo);
    String access = text(in, "access");
    if (access != null && access.startsWith(owner + "/")) {
      api.put(teamPath(owner, access.substring(owner.length() + 1), repo), permission("admin"));
    } else if (access != null && !access.equals(owner)) {
      api.put(repoPath + "/collaborators/" + seg(access), permission("admin"));
    }
    for (JsonNode c : in.path("collaborators")) {
      String level = c.path("access").asText();
      String name = c.has("user") ? c.get("user").asText() : c.has("team") ? c.get("team").asText() : c.path("username").asText();
      try {
        if (c.has("user")) {
          api.put(repoPath + "/collaborators/" + seg(entityName(name)), permission(level));
        } else {
          api.put(teamPath(owner, entityName(name), repo), permission(level));
        }
      } catch (ForgeApi.ForgeApiException e) {
        ctx.log("Skipping " + level + " access for " + name + ", " + e.getMessage());
      }
    }
    if (in.path("topics").isArray()) {
      ArrayNode names = JsonNodeFactory.instance.arrayNode();
      java.util.List<String> list = new java.util.ArrayList<>();
      in.get("topics").forEach(t -> list.add(t.asText().toLowerCase(Locale.ROOT)));
      list.forEach(names::add);
      ObjectNode body = JsonNodeFactory.instance.objectNode();
      body.set("names", names);
      try {
        api.put(repoPath + "/topics", body);
      } catch (ForgeApi.ForgeApiException e) {
        ctx.log("Skipping topics " + String.join(" ", list) + ", " + e.getMessage());
      }
    }
  }

  /** After the push: protects the default branch unless {@code protectDefaultBranch} is false. */
  static void protect(ForgeApi api, ActionContext ctx, String owner, String repo, String branch) throws Exception {
    JsonNode in = ctx.input();
    if (!in.path("protectDefaultBranch").asBoolean(true)) {
      return;
    }
    String path = "/repos/" + seg(owner) + "/" + seg(repo) + "/branches/" + seg(branch) + "/protection";
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    ObjectNode checks = body.putObject("required_status_checks");
    checks.put("strict", in.path("requireBranchesToBeUpToDate").asBoolean(true));
    checks.set("contexts", in.has("requiredStatusCheckContexts") ? in.get("requiredStatusCheckContexts")
        : JsonNodeFactory.instance.arrayNode());
    body.set("restrictions", in.has("restrictions") ? in.get("restrictions") : JsonNodeFactory.instance.nullNode());
    body.put("enforce_admins", in.path("protectEnforceAdmins").asBoolean(true));
    ObjectNode reviews = body.putObject("required_pull_request_reviews");
    reviews.put("required_approving_review_count", in.path("requiredApprovingReviewCount").asInt(1))
        .put("require_code_owner_reviews", in.path("requireCodeOwnerReviews").asBoolean(false))
        .put("dismiss_stale_reviews", in.path("dismissStaleReviews").asBoolean(false))
        .put("require_last_push_approval", in.path("requireLastPushApproval").asBoolean(false));
    if (in.has("bypassPullRequestAllowances")) {
      reviews.set("bypass_pull_request_allowances", in.get("bypassPullRequestAllowances"));
    }
    body.put("required_conversation_resolution", in.path("requiredConversationResolution").asBoolean(false));
    body.put("required_linear_history", in.path("requiredLinearHistory").asBoolean(false));
    try {
      api.put(path, body);
      if (in.path("requiredCommitSigning").asBoolean(false)) {
        api.post(path + "/required_signatures", JsonNodeFactory.instance.objectNode());
      }
    } catch (ForgeApi.ForgeApiException e) {
      // GitHub refuses protection on private repositories of free plans: the repository is still good
      ctx.log("Skipping: default branch protection on '" + repo + "', " + e.getMessage());
    }
  }

  private static String teamPath(String org, String team, String repo) {
    return "/orgs/" + seg(org) + "/teams/" + seg(team) + "/repos/" + seg(org) + "/" + seg(repo);
  }

  private static ObjectNode permission(String level) {
    return JsonNodeFactory.instance.objectNode().put("permission", level);
  }

  /** The name part of an entity ref ({@code user:default/jdoe} → {@code jdoe}), as Backstage takes it. */
  static String entityName(String ref) {
    return ref.replaceAll("^.*[:/]", "");
  }

  private static String seg(String s) {
    return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
  }

  private static String text(JsonNode in, String field) {
    JsonNode v = in.get(field);
    return v == null || v.isNull() || v.asText().isEmpty() ? null : v.asText();
  }
}
