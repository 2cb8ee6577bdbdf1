package org.meshportal.gitsync;

import java.util.Optional;

/**
 * What one sync of a mirror did.
 *
 * @param mirrorId the mirror
 * @param outcome what happened
 * @param changeSet the change set delivered (for CHANGED and REJECTED), else null
 * @param error the failure for FAILED (and the listener's failure for REJECTED), else null
 * @param objectsRead Git objects read to compute the change set; a diagnostic showing the cost
 *     follows the size of the change, not of the repository
 */
public record SyncResult(
    String mirrorId, Outcome outcome, ChangeSet changeSet, Exception error, long objectsRead) {

  public enum Outcome {
    /** A change set was delivered and accepted; the processed commit advanced. */
    CHANGED,
    /** The branch head equals the processed commit. */
    UNCHANGED,
    /** The remote repository has no branch yet. */
    EMPTY,
    /** A listener threw; the processed commit stays and the next sync retries. */
    REJECTED,
    /** The fetch failed; see {@link #error()}. */
    FAILED
  }

  public Optional<ChangeSet> change() {
    return Optional.ofNullable(changeSet);
  }
}
