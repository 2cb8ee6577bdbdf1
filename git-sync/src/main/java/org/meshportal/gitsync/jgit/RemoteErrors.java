package org.meshportal.gitsync.jgit;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.regex.Pattern;
import org.eclipse.jgit.api.errors.InvalidRemoteException;
import org.eclipse.jgit.errors.NoRemoteRepositoryException;
import org.meshportal.gitsync.GitSyncException;
import org.meshportal.gitsync.GitSyncException.Reason;
import org.meshportal.gitsync.MirrorSpec;
import org.meshportal.gitsync.RepoUrls;

/** Turns JGit's transport failures into a typed, secret-free {@link GitSyncException}. */
final class RemoteErrors {
  /** A 401/403 status on its own: digits inside a path or a temp-folder name are not a status. */
  private static final Pattern HTTP_DENIED = Pattern.compile("(?<![\\w./-])40[13](?![\\w./-])");

  private RemoteErrors() {}

  static GitSyncException classify(Exception e, MirrorSpec spec) {
    Reason reason = reasonOf(e);
    String what = switch (reason) {
      case UNREACHABLE -> "cannot reach ";
      case AUTH_FAILED -> "authentication failed for ";
      case REPOSITORY_NOT_FOUND -> "repository not found: ";
      default -> "fetch failed from ";
    };
    String detail = scrub(rootMessage(e), spec);
    return new GitSyncException(reason, what + spec.redactedUrl()
        + (detail.isBlank() ? "" : " (" + detail + ")"), e);
  }

  private static Reason reasonOf(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConnectException || t instanceof UnknownHostException
          || t instanceof NoRouteToHostException || t instanceof SocketTimeoutException
          || t instanceof java.net.http.HttpTimeoutException) {
        return Reason.UNREACHABLE;
      }
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
      if (m.contains("not authorized") || m.contains("authentication") || m.contains("auth fail")
          || HTTP_DENIED.matcher(m).find() || m.contains("permission denied")
          || m.contains("no more authentication methods")) {
        return Reason.AUTH_FAILED;
      }
      if (m.contains("connection refused") || m.contains("connection reset")
          || m.contains("timed out") || m.contains("unknownhost")) {
        return Reason.UNREACHABLE;
      }
    }
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof NoRemoteRepositoryException || t instanceof InvalidRemoteException) {
        return Reason.REPOSITORY_NOT_FOUND;
      }
      String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
      if (m.contains("not found") || m.contains("does not appear to be a git repository")) {
        return Reason.REPOSITORY_NOT_FOUND;
      }
    }
    return Reason.REMOTE_ERROR;
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String m = root.getMessage();
    return m == null ? root.getClass().getSimpleName() : m;
  }

  /** Removes user-info from URLs and every literal secret of the spec. */
  static String scrub(String message, MirrorSpec spec) {
    String out = RepoUrls.redact(message);
    for (String secret : spec.credentials().secrets()) {
      if (!secret.isEmpty()) {
        out = out.replace(secret, "***");
      }
    }
    return out;
  }
}
