package org.meshportal.gitsync;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;

/**
 * A file on a branch of a hosted repository, as named by a {@code url} Location target.
 *
 * @param kind the host kind, which decides URL shapes
 * @param webUrl the repository's web address without a trailing slash (e.g.
 *     {@code https://github.com/org/repo}); for {@link HostKind#FILE} the repository directory URL
 * @param cloneUrl what to fetch from
 * @param branch the branch (or other ref name) from the URL
 * @param path repository-relative file path, no leading slash; may be empty for the root
 */
public record RepoLocation(
    HostKind kind, String webUrl, String cloneUrl, String branch, String path) {

  public RepoLocation {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(webUrl, "webUrl");
    Objects.requireNonNull(cloneUrl, "cloneUrl");
    Objects.requireNonNull(branch, "branch");
    path = path == null ? "" : path;
  }

  /**
   * The location of {@code target} relative to this file (as a Location's relative target is
   * read): same repository and branch, so the same commit; {@code /x} is from the repository root.
   *
   * @throws IllegalArgumentException when the target climbs above the repository root
   */
  public RepoLocation resolve(String target) {
    try {
      return new RepoLocation(kind, webUrl, cloneUrl, branch, resolvePath(path, target));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("target '" + target + "' leaves the repository of " + blobUrl());
    }
  }

  /**
   * Resolves {@code target} against the repository file {@code from} (a path relative to the
   * repository root); {@code /x} is from the root.
   *
   * @throws IllegalArgumentException when the target climbs above the repository root
   */
  public static String resolvePath(String from, String target) {
    Deque<String> parts = new ArrayDeque<>();
    if (!target.startsWith("/")) {
      int slash = from.lastIndexOf('/');
      if (slash > 0) {
        for (String s : from.substring(0, slash).split("/")) {
          parts.addLast(s);
        }
      }
    }
    for (String s : target.split("/")) {
      if (s.isEmpty() || s.equals(".")) {
        continue;
      }
      if (s.equals("..")) {
        if (parts.isEmpty()) {
          throw new IllegalArgumentException("target '" + target + "' of " + from + " leaves the repository");
        }
        parts.removeLast();
      } else {
        parts.addLast(s);
      }
    }
    return String.join("/", parts);
  }

  /** The web URL of this file. */
  public String blobUrl() {
    return RepoUrls.blobUrl(kind, webUrl, branch, path);
  }

  /** The source annotations for an entity read from this file. */
  public SourceUrls sourceUrls() {
    return RepoUrls.sourceUrls(kind, webUrl, branch, path);
  }

  /**
   * A mirror of this repository branch, with an id derived from host, repository and branch (and a
   * short hash so distinct repositories never share one).
   */
  public MirrorSpec mirrorSpec(Integrations integrations) {
    return new MirrorSpec(mirrorId(cloneUrl, branch), cloneUrl, branch,
        integrations.credentialsFor(cloneUrl), null);
  }

  static String mirrorId(String cloneUrl, String branch) {
    String key = RepoUrls.repoKey(cloneUrl) + "#" + branch;
    String readable = key.replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("^[^A-Za-z0-9]+", "");
    if (readable.length() > 80) {
      readable = readable.substring(readable.length() - 80).replaceAll("^[^A-Za-z0-9]+", "");
    }
    try {
      byte[] digest = java.security.MessageDigest.getInstance("SHA-256")
          .digest(key.getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return (readable.isEmpty() ? "repo" : readable).toLowerCase(Locale.ROOT) + "-"
          + HexFormat.of().formatHex(digest, 0, 4);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
