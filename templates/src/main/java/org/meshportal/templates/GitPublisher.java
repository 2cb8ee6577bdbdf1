package org.meshportal.templates;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Pushes scaffolded files to Git; implemented by git-sync/catalog-backend. The given directories
 * are read only and are not retained after the call returns.
 */
public interface GitPublisher {

  /** Creates a repository whose first commit holds exactly the files of {@code sourceDir}. */
  Published createRepository(NewRepository request) throws IOException;

  /**
   * Commits the files of {@code overlayDir} on top of {@code baseBranch} (adding or overwriting, never
   * deleting) and pushes the result to {@code branch}; {@code branch} may equal {@code baseBranch}.
   */
  Published commitToBranch(BranchCommit request) throws IOException;

  record CommitInfo(String message, String authorName, String authorEmail) {}

  /** {@code repoUrl} is as the template gave it (RepoUrlPicker form {@code host?owner=o&repo=r} or a URL). */
  record NewRepository(String repoUrl, Path sourceDir, String defaultBranch, String description, CommitInfo commit) {}

  record BranchCommit(String repoUrl, String baseBranch, String branch, Path overlayDir, CommitInfo commit) {}

  /** {@code repoContentsUrl} is a URL of the tree at the pushed branch, suitable for catalog:register. */
  record Published(String remoteUrl, String repoContentsUrl, String commitHash) {}
}
