package org.meshportal.gitsync;

/**
 * A failure talking to a remote or reading a mirror, classified so callers and the status page can
 * act on it. Messages never contain credentials.
 */
public final class GitSyncException extends RuntimeException {

  /** What went wrong, coarse enough to act on. */
  public enum Reason {
    /** The host could not be reached (refused, unknown host, timeout). */
    UNREACHABLE,
    /** The remote refused the credentials, or needs some. */
    AUTH_FAILED,
    /** The remote answered but has no such repository. */
    REPOSITORY_NOT_FOUND,
    /** The repository exists but the watched branch does not (deleted upstream?). */
    BRANCH_NOT_FOUND,
    /** A commit or path asked for is not in the mirror. */
    NOT_FOUND,
    /** The local mirror could not be read or written. */
    IO,
    /** Anything else reported by the remote. */
    REMOTE_ERROR,
    /** A {@link ChangeListener} threw on the change set; it is delivered again next sync. */
    CONSUMER_FAILED
  }

  private final Reason reason;

  public GitSyncException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public GitSyncException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
