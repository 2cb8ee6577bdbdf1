package org.meshportal.gitsync;

import java.util.Map;
import java.util.Optional;

/** The Git hosts whose push webhooks are understood. */
public enum WebhookKind {
  /** {@code X-Hub-Signature-256: sha256=<hex HMAC-SHA256>}, event in {@code X-GitHub-Event}. */
  GITHUB,
  /** {@code X-Gitlab-Token: <secret>}, event in {@code X-Gitlab-Event}. */
  GITLAB,
  /** {@code X-Gitea-Signature: <hex HMAC-SHA256>}, event in {@code X-Gitea-Event}. */
  GITEA;

  /**
   * The kind a request's headers announce. Gitea also sends GitHub's headers, so its own header
   * is checked first.
   */
  public static Optional<WebhookKind> detect(Map<String, String> headers) {
    if (WebhookVerifier.header(headers, "X-Gitea-Event") != null
        || WebhookVerifier.header(headers, "X-Gitea-Signature") != null) {
      return Optional.of(GITEA);
    }
    if (WebhookVerifier.header(headers, "X-Gitlab-Event") != null
        || WebhookVerifier.header(headers, "X-Gitlab-Token") != null) {
      return Optional.of(GITLAB);
    }
    if (WebhookVerifier.header(headers, "X-GitHub-Event") != null
        || WebhookVerifier.header(headers, "X-Hub-Signature-256") != null) {
      return Optional.of(GITHUB);
    }
    return Optional.empty();
  }
}
