package org.meshportal.templates.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.meshportal.model.errors.InputException;
import org.meshportal.templates.GitPublisher;
import org.meshportal.templates.action.ActionContext;

/**
 * publish:git: pushes a workspace directory as a new repository, or (with {@code branch}) as a
 * commit on a branch of an existing repository.
 */
final class PublishGitAction extends BaseAction {
  private final GitPublisher git;

  PublishGitAction(GitPublisher git) {
    super("publish:git", "Publishes a workspace directory to Git: a new repository, or a new branch of an existing one.", """
        {"type":"object","required":["repoUrl"],"properties":{
          "repoUrl":{"type":"string","title":"Repository Location","description":"host?owner=<owner>&repo=<repo> or a Git URL"},
          "description":{"type":"string"},
          "defaultBranch":{"type":"string","description":"Default branch of a new repository, defaults to main"},
          "branch":{"type":"string","description":"Push to this branch of an existing repository instead of creating one"},
          "baseBranch":{"type":"string","description":"Branch that branch starts from, defaults to defaultBranch"},
          "sourcePath":{"type":"string","description":"Workspace sub-directory to publish, defaults to the whole workspace"},
          "gitCommitMessage":{"type":"string"},
          "gitAuthorName":{"type":"string"},
          "gitAuthorEmail":{"type":"string"}}}""", """
        {"type":"object","properties":{
          "remoteUrl":{"type":"string","examples":["https://git.example.com/acme/web.git"]},
          "repoContentsUrl":{"type":"string","examples":["https://git.example.com/acme/web/tree/main"]},
          "commitHash":{"type":"string","examples":["0000000000000000000000000000000000000000"]}}}""");
    this.git = git;
  }

  @Override
  public void execute(ActionContext ctx) throws Exception {
    JsonNode in = ctx.input();
    Path source = ctx.workspace().resolve(text(in, "sourcePath", "./"));
    if (!Files.isDirectory(source)) {
      throw new InputException("sourcePath " + text(in, "sourcePath", "./") + " is not a directory in the workspace");
    }
    var commit = new GitPublisher.CommitInfo(text(in, "gitCommitMessage", "initial commit"),
        text(in, "gitAuthorName", "Scaffolder"), text(in, "gitAuthorEmail", "scaffolder@localhost"));
    String repoUrl = text(in, "repoUrl", null);
    String defaultBranch = text(in, "defaultBranch", "main");
    GitPublisher.Published result;
    if (in.hasNonNull("branch")) {
      ctx.log("Pushing to branch " + in.get("branch").asText() + " of " + repoUrl);
      result = git.commitToBranch(new GitPublisher.BranchCommit(repoUrl, text(in, "baseBranch", defaultBranch),
          in.get("branch").asText(), source, commit));
    } else {
      ctx.log("Creating repository " + repoUrl);
      result = git.createRepository(new GitPublisher.NewRepository(repoUrl, source, defaultBranch,
          text(in, "description", null), commit));
    }
    Outputs.published(ctx, result);
  }
}
