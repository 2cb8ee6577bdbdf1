package org.meshportal.gitsync;

import java.util.List;
import java.util.Optional;

/**
 * One bare mirror of one remote branch, on local disk. Low-level service provider interface used
 * by {@link GitMirrors}; the implementation lives in {@code org.meshportal.gitsync.jgit}. Methods
 * may be called from several threads, but {@link #fetch()} is only called by one at a time.
 *
 * @apiNote internal SPI; other modules use {@link GitMirrors}.
 */
public interface GitMirror extends AutoCloseable {

  MirrorSpec spec();

  /**
   * Brings the watched branch up to date with the remote.
   *
   * @return the branch head after the fetch, or empty when the remote has no branches at all
   * @throws GitSyncException when the remote cannot be reached, refuses the credentials or lacks
   *     the branch ({@link GitSyncException.Reason#BRANCH_NOT_FOUND}); the mirror is then left as
   *     it was
   */
  Optional<String> fetch();

  /** Whether the mirror holds this commit. */
  boolean hasCommit(String commit);

  /** Whether {@code ancestor} is reachable from (or equal to) {@code descendant}. */
  boolean isAncestor(String ancestor, String descendant);

  /** Changes between two commits (rename detection on), sorted by path. */
  Diff diff(String fromCommit, String toCommit);

  /** Reads files at a commit; the caller closes it. */
  CommitReader reader(String commit);

  @Override
  void close();

  /** A diff and the number of objects read to compute it. */
  record Diff(List<FileChange> changes, long objectsRead) {
    public Diff {
      changes = List.copyOf(changes);
    }
  }
}
