package org.meshportal.catalog.scaffolder.forge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.meshportal.gitsync.GitPublishing;
import org.meshportal.model.errors.InputException;

/**
 * {@code commitAction: delete} of {@code publish:gitlab:merge-request}: the files the workspace
 * holds (at their place under {@code targetPath}) are deleted on a new branch through GitLab's
 * Commits API ({@code POST /projects/:id/repository/commits}, one {@code delete} action per file,
 * {@code start_branch} the target), which is how Backstage commits for this action. A push cannot
 * say "delete", so this path makes no push; the sandbox's write rule is checked on the project's
 * clone URL all the same.
 */
final class GitLabCommits {
  private GitLabCommits() {}

  /** Deletes the overlay's files on {@code branch}, started from {@code target}; returns the commit's id. */
  static String deleteOnBranch(ForgeApi api, long projectId, String target, String branch, Path overlay,
      GitPublishing.CommitMessage msg) throws IOException, InterruptedException {
    List<String> paths;
    try (Stream<Path> files = Files.walk(overlay)) {
      paths = files.filter(Files::isRegularFile).map(p -> overlay.relativize(p).toString().replace('\\', '/'))
          .sorted().toList();
    }
    if (paths.isEmpty()) {
      throw new InputException("publish:gitlab:merge-request: commitAction delete needs files in the workspace"
          + " naming what to delete; sourcePath holds none");
    }
    ObjectNode body = JsonNodeFactory.instance.objectNode().put("branch", branch).put("start_branch", target)
        .put("commit_message", msg.message()).put("author_name", msg.authorName()).put("author_email", msg.authorEmail());
    ArrayNode actions = body.putArray("actions");
    paths.forEach(p -> actions.addObject().put("action", "delete").put("file_path", p));
    JsonNode commit = api.post("/projects/" + projectId + "/repository/commits", body);
    String id = commit.path("id").asText("");
    if (id.isEmpty()) {
      throw new IllegalStateException("GitLab answered the commit without id");
    }
    return id;
  }
}
