package org.meshportal.gitsync.jgit;

import java.nio.file.Path;
import org.meshportal.gitsync.GitMirror;
import org.meshportal.gitsync.MirrorSpec;

/** Opens JGit-backed bare mirrors; the only public door into this package. */
public final class JGitMirrors {

  private JGitMirrors() {}

  /**
   * Opens the bare mirror in {@code gitDir}, creating an empty one when the directory does not
   * hold a repository yet. Nothing is fetched. The caller owns and closes the result.
   */
  public static GitMirror open(Path gitDir, MirrorSpec spec) {
    return JGitMirror.open(gitDir, spec);
  }
}
