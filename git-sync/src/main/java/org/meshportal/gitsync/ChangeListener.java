package org.meshportal.gitsync;

/**
 * Receives change sets of mirrored branches. Called on git-sync's executor, one change set at a
 * time per mirror. Returning normally accepts the change set: the mirror then records
 * {@code toCommit} as processed. Throwing rejects it: the exception is logged, the processed
 * commit stays, and the next sync delivers the (possibly larger) change set again, so consumers
 * must be idempotent.
 */
@FunctionalInterface
public interface ChangeListener {

  /**
   * @param change what changed
   * @param files reads files at {@code change.toCommit()}; valid only during this call
   */
  void onChange(ChangeSet change, CommitReader files) throws Exception;

  /**
   * Called once per mirror, at its first sync after it was added (a process start), before any
   * change set and before fetching, when an earlier run left a processed commit: lets a listener
   * rebuild what it keeps in memory for that commit, so the next change set (from that commit)
   * can be handled incrementally. A failure is logged and otherwise ignored.
   *
   * @param repoId the {@link MirrorSpec#id()} of the mirror
   * @param branch the watched branch
   * @param processed reads files at the processed commit ({@link CommitReader#commit()}); valid only during this call
   */
  default void onResume(String repoId, String branch, CommitReader processed) throws Exception {}
}
