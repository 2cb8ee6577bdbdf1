package org.meshportal.gitsync;

import java.nio.file.Path;
import org.meshportal.gitsync.jgit.JGitPublishing;

/**
 * Pushes local files to a remote as a commit: the first commit of a new repository, or a commit on
 * a branch of an existing one. Each call works in a fresh scratch clone that is deleted afterwards.
 * Failures are {@link GitSyncException}s whose messages never contain credentials. Thread-safe.
 */
public interface GitPublishing {

  /** The JGit implementation; scratch clones go under {@code workDir} (created when missing). */
  static GitPublishing jgit(Path workDir) {
    return JGitPublishing.create(workDir);
  }

  /**
   * Pushes exactly the files of {@code sourceDir} as the first commit of {@code branch}. A
   * {@code file://} remote that does not exist yet is created as a bare repository; other remotes
   * must exist. Fails when the branch already exists on the remote.
   */
  Pushed publishNew(String remoteUrl, GitCredentials credentials, String branch, Path sourceDir,
      CommitMessage commit);

  /**
   * Commits the files of {@code overlayDir} (added or overwritten, never deleted) on top of
   * {@code branch} when the remote has it, else on top of {@code baseBranch}, and pushes the
   * result to {@code branch}.
   */
  Pushed publishOnBranch(String remoteUrl, GitCredentials credentials, String baseBranch,
      String branch, Path overlayDir, CommitMessage commit);

  /** Commit message and author (also used as committer). */
  record CommitMessage(String message, String authorName, String authorEmail) {
    public CommitMessage {
      message = message == null || message.isBlank() ? "initial commit" : message;
      authorName = authorName == null || authorName.isBlank() ? "Scaffolder" : authorName;
      authorEmail = authorEmail == null || authorEmail.isBlank() ? "scaffolder@localhost" : authorEmail;
    }
  }

  /** The pushed commit and the branch it is on. */
  record Pushed(String commitHash, String branch) {}
}
