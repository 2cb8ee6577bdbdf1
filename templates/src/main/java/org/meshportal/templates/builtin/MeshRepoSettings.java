package org.meshportal.templates.builtin;

import java.util.Objects;

/**
 * Where the {@code mesh:*} actions write: the mesh GitOps repository, the folder that holds the
 * {@code root/...} workspace tree ({@code kcp} by default), the branch to start from, and whether
 * changes go straight to that branch or to a new branch {@code <branchPrefix><kind>-<name>} for
 * review.
 */
public record MeshRepoSettings(String repoUrl, String kcpRoot, String baseBranch, String branchPrefix) {
  public MeshRepoSettings {
    Objects.requireNonNull(repoUrl, "mesh repoUrl");
    kcpRoot = kcpRoot == null || kcpRoot.isBlank() ? "kcp" : kcpRoot.replaceAll("^/+|/+$", "");
    baseBranch = baseBranch == null || baseBranch.isBlank() ? "main" : baseBranch;
    if (kcpRoot.contains("..")) {
      throw new IllegalArgumentException("mesh kcpRoot must not contain '..': " + kcpRoot);
    }
  }

  /** True when changes are committed straight to {@link #baseBranch()}. */
  public boolean commitsToBase() {
    return branchPrefix == null || branchPrefix.isBlank();
  }
}
