package org.meshportal.gitsync;

import java.util.List;
import java.util.Objects;

/**
 * What changed on a mirrored branch between the last processed commit and a new one. Immutable
 * and replayable: it names the repository, both commits and every changed path.
 *
 * @param repoId the {@link MirrorSpec#id()} of the mirror
 * @param branch the watched branch
 * @param fromCommit the last processed commit, {@code null} on the first sync
 * @param toCommit the new commit; read files at it through a {@link CommitReader}
 * @param fullResync {@code true} on a first sync, a force-push or history rewrite, or a changed
 *     url/branch: consumers must replace everything they hold for this repository; {@code changes}
 *     then lists every file at {@code toCommit} as {@link ChangeKind#ADDED}
 * @param changes changed paths, sorted by path
 */
public record ChangeSet(
    String repoId,
    String branch,
    String fromCommit,
    String toCommit,
    boolean fullResync,
    List<FileChange> changes) {

  public ChangeSet {
    Objects.requireNonNull(repoId, "repoId");
    Objects.requireNonNull(branch, "branch");
    Objects.requireNonNull(toCommit, "toCommit");
    changes = List.copyOf(changes);
  }
}
