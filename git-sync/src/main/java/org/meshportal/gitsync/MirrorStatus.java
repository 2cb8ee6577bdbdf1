package org.meshportal.gitsync;

import java.time.Duration;
import java.time.Instant;

/**
 * A point-in-time view of one mirror, for a status endpoint. When a fetch fails the commits and
 * success time keep their last good values; only {@code lastError} changes.
 *
 * @param id the mirror id
 * @param url the remote url, user-info redacted
 * @param branch the watched branch
 * @param state overall state
 * @param processedCommit the last commit whose change set the listeners accepted, or null
 * @param fetchedCommit the branch head in the mirror after the last successful fetch, or null
 * @param lastFetchAt when the last fetch attempt started, or null
 * @param lastFetchDuration how long it took, or null
 * @param lastSuccessAt when a fetch last succeeded, or null
 * @param lastChangeAt when a change set was last accepted, or null
 * @param lastError the error of the last attempt, null after a success
 * @param syncing whether a sync is running now
 * @param syncCount syncs attempted since start
 */
public record MirrorStatus(
    String id,
    String url,
    String branch,
    State state,
    String processedCommit,
    String fetchedCommit,
    Instant lastFetchAt,
    Duration lastFetchDuration,
    Instant lastSuccessAt,
    Instant lastChangeAt,
    Error lastError,
    boolean syncing,
    long syncCount) {

  public enum State {
    /** Not fetched yet since start. */
    PENDING,
    /** Last sync succeeded and its change set, if any, was accepted. */
    OK,
    /** The remote repository has no commits yet; nothing to process. */
    EMPTY,
    /** The last attempt failed; the last good state is kept. */
    ERROR
  }

  /** The error of a failed attempt: a reason to act on and a secret-free message. */
  public record Error(GitSyncException.Reason reason, String message, Instant at) {}
}
