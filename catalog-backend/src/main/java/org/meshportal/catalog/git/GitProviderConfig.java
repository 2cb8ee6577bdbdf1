package org.meshportal.catalog.git;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.meshportal.gitsync.GitCredentials;
import org.meshportal.gitsync.MirrorSpec;

/**
 * One {@code catalog.providers.git.<id>} entry.
 *
 * @param id provider id; also the mirror id and the catalog source {@code provider:git-<id>}
 * @param url remote URL (secrets belong in {@code credentials}, never here)
 * @param branch watched branch
 * @param catalogPaths globs of entry files (e.g. {@code catalog-info.yaml}); empty reads no Backstage files
 * @param kcpRoot Platform Mesh tree folder, or null for none
 * @param kcpPathOverrides folder → workspace path
 * @param namespace namespace of derived mesh entities
 * @param pollInterval scheduled fetch interval, or null for start-up, webhook and manual syncs only
 * @param credentials how to authenticate
 * @param webhookSecret shared secret of this repository's webhooks, or null
 * @param maxDeletionShare a change deleting more than this share of the provider's entities is held
 */
public record GitProviderConfig(
    String id,
    String url,
    String branch,
    List<String> catalogPaths,
    String kcpRoot,
    Map<String, String> kcpPathOverrides,
    String namespace,
    Duration pollInterval,
    GitCredentials credentials,
    String webhookSecret,
    double maxDeletionShare) {

  public static final double DEFAULT_MAX_DELETION_SHARE = 0.5;
  public static final String DEFAULT_NAMESPACE = "platform-mesh";

  public GitProviderConfig {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(url, "url");
    branch = branch == null || branch.isBlank() ? "main" : branch;
    catalogPaths = List.copyOf(catalogPaths == null ? List.of() : catalogPaths);
    kcpPathOverrides = Map.copyOf(kcpPathOverrides == null ? Map.of() : kcpPathOverrides);
    namespace = namespace == null || namespace.isBlank() ? DEFAULT_NAMESPACE : namespace;
    credentials = credentials == null ? GitCredentials.NONE : credentials;
    if (!(maxDeletionShare >= 0 && maxDeletionShare <= 1)) {
      throw new IllegalArgumentException(
          "catalog.providers.git." + id + ".maxDeletionShare must be between 0 and 1, got " + maxDeletionShare);
    }
  }

  /** The mirror of this provider; validates id, url and branch. */
  public MirrorSpec mirrorSpec() {
    return new MirrorSpec(id, url, branch, credentials, pollInterval);
  }

  /** The catalog source the provider's entities belong to. */
  public String providerId() {
    return "git-" + id;
  }

  @Override
  public String toString() {
    return "GitProviderConfig[id=" + id + ", url=" + mirrorSpec().redactedUrl() + ", branch=" + branch + "]";
  }
}
