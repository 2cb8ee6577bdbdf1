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
}
