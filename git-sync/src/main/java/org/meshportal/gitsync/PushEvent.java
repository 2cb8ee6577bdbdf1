package org.meshportal.gitsync;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A branch push announced by a webhook.
 *
 * @param kind the host kind that sent it
 * @param repositoryUrls every URL the payload gives for the repository (clone, web, ssh)
 * @param branch the pushed branch (short name)
 * @param afterCommit the new head, or null when the payload has none
 */
public record PushEvent(
    WebhookKind kind, List<String> repositoryUrls, String branch, String afterCommit) {

  public PushEvent {
    Objects.requireNonNull(kind, "kind");
    repositoryUrls = List.copyOf(repositoryUrls);
  }

  public Optional<String> branchName() {
    return Optional.ofNullable(branch);
  }
}
