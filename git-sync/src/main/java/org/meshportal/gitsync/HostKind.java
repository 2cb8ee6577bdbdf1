package org.meshportal.gitsync;

import java.util.Locale;

/** The kind of Git host, which decides the shape of its web URLs. */
public enum HostKind {
  GITHUB,
  GITLAB,
  GITEA,
  BITBUCKET,
  /** A {@code file://} repository: no web UI, URLs keep the GitHub shape so they parse back. */
  FILE;

  /** Guesses the kind from a host name, for hosts without an integration entry. */
  static HostKind guess(String host) {
    String h = host.toLowerCase(Locale.ROOT);
    if (h.contains("gitlab")) {
      return GITLAB;
    }
    if (h.contains("bitbucket")) {
      return BITBUCKET;
    }
    if (h.contains("gitea") || h.contains("forgejo") || h.contains("codeberg")) {
      return GITEA;
    }
    return GITHUB;
  }
}
