package org.meshportal.gitsync;

import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One repository branch to mirror.
 *
 * @param id stable identifier, used as the directory name of the bare mirror and in change sets
 * @param url remote URL: {@code https://}, {@code http://}, {@code file://}, {@code ssh://} or
 *     scp-like {@code git@host:org/repo.git}
 * @param branch the watched branch (short name, e.g. {@code main})
 * @param credentials how to authenticate; {@link GitCredentials#NONE} for anonymous
 * @param pollInterval how often to fetch on a schedule; {@code null} for on-demand only
 */
public record MirrorSpec(
    String id, String url, String branch, GitCredentials credentials, Duration pollInterval) {

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
  private static final Pattern SCP_LIKE = Pattern.compile("[^/@\\s:]+@[^/\\s:]+:.+");

  public MirrorSpec {
    if (id == null || !ID.matcher(id).matches() || id.contains("..")) {
      throw new IllegalArgumentException(
          "mirror id '" + id + "' must be 1-128 letters, digits, '.', '_' or '-'");
    }
    Objects.requireNonNull(url, "url of mirror " + id);
    String scheme = scheme(url);
    if (scheme == null) {
      throw new IllegalArgumentException("url of mirror " + id + " must be https://, http://,"
          + " file://, ssh:// or user@host:path, got '" + RepoUrls.redact(url) + "'");
    }
    if (branch == null || branch.isBlank() || branch.startsWith("refs/") || branch.contains("..")
        || branch.contains(" ")) {
      throw new IllegalArgumentException(
          "branch of mirror " + id + " must be a short branch name, got '" + branch + "'");
    }
    credentials = credentials == null ? GitCredentials.NONE : credentials;
    if (credentials instanceof GitCredentials.SshKey && !scheme.equals("ssh")) {
      throw new IllegalArgumentException(
          "mirror " + id + ": sshPrivateKey needs an ssh:// or user@host:path url");
    }
    if (pollInterval != null && (pollInterval.isNegative() || pollInterval.isZero())) {
      throw new IllegalArgumentException(
          "schedule frequency of mirror " + id + " must be positive, got " + pollInterval);
    }
  }

  public MirrorSpec(String id, String url, String branch) {
    this(id, url, branch, GitCredentials.NONE, null);
  }

  public Optional<Duration> schedule() {
    return Optional.ofNullable(pollInterval);
  }

  public MirrorSpec withPollInterval(Duration interval) {
    return new MirrorSpec(id, url, branch, credentials, interval);
  }

  public MirrorSpec withCredentials(GitCredentials creds) {
    return new MirrorSpec(id, url, branch, creds, pollInterval);
  }

  /** URL with any user-info replaced, safe for logs and status. */
  public String redactedUrl() {
    return RepoUrls.redact(url);
  }

  /** {@code https}, {@code http}, {@code file} or {@code ssh}; {@code null} when unsupported. */
  static String scheme(String url) {
    String lower = url.toLowerCase(Locale.ROOT);
    for (String s : new String[] {"https", "http", "file", "ssh"}) {
      if (lower.startsWith(s + "://")) {
        return s;
      }
    }
    return SCP_LIKE.matcher(url).matches() ? "ssh" : null;
  }

  @Override
  public String toString() {
    return "MirrorSpec[id=" + id + ", url=" + redactedUrl() + ", branch=" + branch
        + ", credentials=" + credentials + ", pollInterval=" + pollInterval + "]";
  }
}
