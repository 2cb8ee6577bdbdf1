package org.meshportal.templates.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.meshportal.model.errors.InputException;
import org.meshportal.templates.GitPublisher;
import org.meshportal.templates.action.ActionContext;

/**
 * Platform Mesh actions. They write one manifest into the mesh repo's folder layout, where the
 * folder path below {@code <kcpRoot>} is the kcp logical cluster path ({@code root:orgs:acme} →
 * {@code kcp/root/orgs/acme/}), and push it with {@link GitPublisher#commitToBranch}.
 */
final class MeshActions {
  private static final Pattern SEGMENT = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
  private static final Pattern PATH = Pattern.compile(SEGMENT.pattern() + "(:" + SEGMENT.pattern() + ")*");
  private static final Pattern OBJECT_NAME = Pattern.compile("[a-z0-9]([-a-z0-9.]*[a-z0-9])?");

  private MeshActions() {}

  private static final String PUBLISH_OUTPUT = """
      {"type":"object","properties":{
        "workspacePath":{"type":"string","examples":["root:orgs:acme:team-a"]},
        "filePath":{"type":"string","examples":["kcp/root/orgs/acme/account-team-a.yaml"]},
        "branch":{"type":"string","examples":["main"]},
        "remoteUrl":{"type":"string","examples":["https://git.example.com/mesh.git"]},
        "repoContentsUrl":{"type":"string","examples":["https://git.example.com/mesh/tree/main"]},
        "commitHash":{"type":"string","examples":["0000000000000000000000000000000000000000"]}}}""";

  static final class CreateAccount extends BaseAction {
    private final GitPublisher git;
    private final MeshRepoSettings settings;

    CreateAccount(GitPublisher git, MeshRepoSettings settings) {
      super("mesh:account:create",
          "Adds a Platform Mesh Account (core.platform-mesh.io/v1alpha1) manifest to the mesh repository.", """
          {"type":"object","required":["name","displayName"],"properties":{
            "name":{"type":"string","pattern":"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$","maxLength":63,"description":"Account (and workspace) name"},
            "type":{"type":"string","enum":["org","account"],"default":"account"},
            "parentPath":{"type":"string","description":"Logical cluster path of the parent workspace, e.g. root:orgs:acme; root:orgs for an org"},
            "displayName":{"type":"string","maxLength":255},
            "description":{"type":"string"},
            "creator":{"type":"string"},
            "data":{"type":"object"},
            "labels":{"type":"object","additionalProperties":{"type":"string"}},
            "branch":{"type":"string","description":"Branch to push to; defaults to the configured one"},
            "commitMessage":{"type":"string"}}}""", PUBLISH_OUTPUT);
      this.git = git;
      this.settings = settings;
    }

    @Override
    public void execute(ActionContext ctx) throws Exception {
      JsonNode in = ctx.input();
      String name = in.get("name").asText();
      String type = text(in, "type", "account");
      String parent = text(in, "parentPath", "org".equals(type) ? "root:orgs" : null);
      if (parent == null) {
        throw new InputException("parentPath is required for an account, e.g. root:orgs:<org>");
      }
      checkPath(parent);
      if ("org".equals(type) ? !parent.equals("root:orgs") : !parent.startsWith("root:orgs:")) {
        throw new InputException("org".equals(type)
            ? "An org account must be created in root:orgs, not " + parent
            : "An account must be created below an org (root:orgs:<org>...), not " + parent);
      }
      ObjectNode doc = JSON.createObjectNode();
      doc.put("apiVersion", "core.platform-mesh.io/v1alpha1").put("kind", "Account");
      ObjectNode meta = doc.putObject("metadata").put("name", name);
      if (in.has("labels")) {
        meta.set("labels", in.get("labels"));
      }
      ObjectNode spec = doc.putObject("spec").put("type", type).put("displayName", in.get("displayName").asText());
      for (String optional : new String[] {"description", "creator"}) {
        if (in.hasNonNull(optional)) {
          spec.put(optional, in.get(optional).asText());
        }
      }
      if (in.has("data")) {
        spec.set("data", in.get("data"));
      }
      String file = folder(settings, parent) + "/account-" + name + ".yaml";
      push(ctx, git, settings, file, doc, "account-" + name, "Add account " + parent + ":" + name,
          parent + ":" + name);
    }
  }

  static final class CreateApiBinding extends BaseAction {
    private final GitPublisher git;
    private final MeshRepoSettings settings;

    CreateApiBinding(GitPublisher git, MeshRepoSettings settings) {
      super("mesh:apibinding:create",
          "Adds a kcp APIBinding (apis.kcp.io/v1alpha2) manifest to a workspace folder of the mesh repository.", """
          {"type":"object","required":["workspacePath","exportPath","exportName"],"properties":{
            "workspacePath":{"type":"string","description":"Logical cluster path of the consumer workspace, e.g. root:orgs:acme:team-a"},
            "exportPath":{"type":"string","description":"Logical cluster path of the provider workspace that holds the APIExport"},
            "exportName":{"type":"string","description":"Name of the APIExport"},
            "name":{"type":"string","description":"Binding name, defaults to the export name"},
            "permissionClaims":{"type":"array","items":{"type":"object"},"description":"Accepted permission claims, copied verbatim"},
            "branch":{"type":"string"},
            "commitMessage":{"type":"string"}}}""", PUBLISH_OUTPUT);
      this.git = git;
      this.settings = settings;
    }

    @Override
    public void execute(ActionContext ctx) throws Exception {
      JsonNode in = ctx.input();
      String workspace = in.get("workspacePath").asText();
      String exportPath = in.get("exportPath").asText();
      String exportName = in.get("exportName").asText();
      String name = text(in, "name", exportName);
      checkPath(workspace);
      checkPath(exportPath);
      if (!OBJECT_NAME.matcher(exportName).matches() || !OBJECT_NAME.matcher(name).matches()) {
        throw new InputException("APIBinding and APIExport names must be lowercase DNS names, got " + name);
      }
      ObjectNode doc = JSON.createObjectNode();
      doc.put("apiVersion", "apis.kcp.io/v1alpha2").put("kind", "APIBinding");
      doc.putObject("metadata").put("name", name);
      ObjectNode spec = doc.putObject("spec");
      spec.putObject("reference").putObject("export").put("path", exportPath).put("name", exportName);
      if (in.has("permissionClaims")) {
        spec.set("permissionClaims", in.get("permissionClaims"));
      }
      String file = folder(settings, workspace) + "/apibinding-" + name + ".yaml";
      push(ctx, git, settings, file, doc, "apibinding-" + name, "Bind " + exportName + " in " + workspace, workspace);
    }
  }

  private static void checkPath(String path) {
    if (!PATH.matcher(path).matches() || !(path.equals("root") || path.startsWith("root:"))) {
      throw new InputException("Not a kcp logical cluster path below root: " + path);
    }
  }

  /** {@code root:orgs:acme} → {@code kcp/root/orgs/acme}. */
  static String folder(MeshRepoSettings settings, String path) {
    return settings.kcpRoot() + "/" + path.replace(':', '/');
  }

  private static void push(ActionContext ctx, GitPublisher git, MeshRepoSettings settings, String file,
      ObjectNode doc, String branchSuffix, String defaultMessage, String workspacePath) throws Exception {
    Path overlay = ctx.createTempDirectory();
    Path target = overlay.resolve(file);
    Files.createDirectories(target.getParent());
    Files.writeString(target, Yaml.write(doc));
    // Keep a copy in the workspace so later steps (and dry-run) can show what was written.
    Path inWorkspace = ctx.workspace().resolve(file);
    Files.createDirectories(inWorkspace.getParent());
    Files.writeString(inWorkspace, Yaml.write(doc));
    JsonNode in = ctx.input();
    String branch = BaseAction.text(in, "branch", settings.commitsToBase() ? settings.baseBranch()
        : settings.branchPrefix() + branchSuffix);
    ctx.log("Writing " + file + " to branch " + branch + " of the mesh repository");
    var result = git.commitToBranch(new GitPublisher.BranchCommit(settings.repoUrl(), settings.baseBranch(), branch,
        overlay, new GitPublisher.CommitInfo(BaseAction.text(in, "commitMessage", defaultMessage), "Scaffolder",
            "scaffolder@localhost")));
    var f = BaseAction.JSON.getNodeFactory();
    ctx.output("workspacePath", f.textNode(workspacePath));
    ctx.output("filePath", f.textNode(file));
    ctx.output("branch", f.textNode(branch));
    Outputs.published(ctx, result);
  }
}
