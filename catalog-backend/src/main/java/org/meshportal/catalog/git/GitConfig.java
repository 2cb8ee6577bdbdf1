package org.meshportal.catalog.git;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.meshportal.catalog.config.ConfigException;
import org.meshportal.gitsync.GitCredentials;
import org.meshportal.gitsync.HostIntegration;
import org.meshportal.gitsync.HostKind;

/**
 * Reads {@code catalog.providers.git} and {@code integrations} (already checked against the schema)
 * into typed settings; every problem becomes a {@link ConfigException} naming the key.
 */
public final class GitConfig {
  private static final Map<String, HostKind> INTEGRATION_KINDS = Map.of(
      "github", HostKind.GITHUB, "gitlab", HostKind.GITLAB, "gitea", HostKind.GITEA,
      "bitbucketCloud", HostKind.BITBUCKET, "git", HostKind.GITHUB);

  private GitConfig() {}

  /** One integrations entry: the host's kind and credentials, and its webhook secret (or null). */
  public record Integration(HostIntegration host, String webhookSecret) {
    /** Never shows the webhook secret: records end up in logs and exception messages. */
    @Override
    public String toString() {
      return "Integration[host=" + host + ", webhookSecret=" + (webhookSecret == null ? "none" : "***") + "]";
    }
  }

  /** @param node the {@code catalog.providers.git} node (may be missing) */
  public static List<GitProviderConfig> providers(JsonNode node) {
    List<GitProviderConfig> out = new ArrayList<>();
    if (node == null || node.isMissingNode() || node.isNull()) {
      return out;
    }
    node.fields().forEachRemaining(e -> out.add(provider(e.getKey(), e.getValue())));
    return out;
  }

  private static GitProviderConfig provider(String id, JsonNode p) {
    String key = "catalog.providers.git." + id;
    String url = text(p, "url");
    if (url == null) {
      throw new ConfigException(key + ".url is required");
    }
    List<String> paths = new ArrayList<>();
    JsonNode cp = p.path("catalogPath");
    if (cp.isTextual()) {
      paths.add(cp.asText());
    } else {
      cp.forEach(x -> paths.add(x.asText()));
    }
    Map<String, String> overrides = new LinkedHashMap<>();
    p.path("kcpPathOverrides").fields().forEachRemaining(e -> overrides.put(e.getKey(), e.getValue().asText()));
    String kcpRoot = text(p, "kcpRoot");
    if (paths.isEmpty() && kcpRoot == null && overrides.isEmpty()) {
      throw new ConfigException(key + " needs catalogPath, kcpRoot or kcpPathOverrides: it would read nothing");
    }
    try {
      GitProviderConfig config = new GitProviderConfig(id, url, text(p, "branch"), paths, kcpRoot, overrides,
          text(p, "namespace"), duration(p.path("schedule").path("frequency"), key + ".schedule.frequency"),
          credentials(p.path("auth"), key + ".auth"), text(p, "webhookSecret"),
          p.path("maxDeletionShare").asDouble(GitProviderConfig.DEFAULT_MAX_DELETION_SHARE));
      config.mirrorSpec(); // validates id, url and branch now rather than at start-up
      return config;
    } catch (IllegalArgumentException e) {
      throw new ConfigException(key + ": " + e.getMessage());
    }
  }

  /** @param node the {@code integrations} node (may be missing) */
  public static List<Integration> integrations(JsonNode node) {
    List<Integration> out = new ArrayList<>();
    if (node == null || node.isMissingNode()) {
      return out;
    }
    node.fields().forEachRemaining(e -> {
      HostKind kind = INTEGRATION_KINDS.get(e.getKey());
      if (kind == null) {
        throw new ConfigException("integrations." + e.getKey() + " is not supported (use "
            + String.join(", ", new java.util.TreeSet<>(INTEGRATION_KINDS.keySet())) + ")");
      }
      for (int i = 0; i < e.getValue().size(); i++) {
        JsonNode entry = e.getValue().get(i);
        String key = "integrations." + e.getKey() + "[" + i + "]";
        String host = text(entry, "host");
        if (host == null) {
          throw new ConfigException(key + ".host is required");
        }
        try {
          out.add(new Integration(new HostIntegration(kind, host, credentials(entry, key)), text(entry, "webhookSecret")));
        } catch (IllegalArgumentException ex) {
          throw new ConfigException(key + ": " + ex.getMessage());
        }
      }
    });
    return out;
  }

  private static GitCredentials credentials(JsonNode auth, String key) {
    String token = text(auth, "token");
    String username = text(auth, "username");
    String password = text(auth, "password");
    String sshKey = text(auth, "sshPrivateKey");
    int given = (token != null ? 1 : 0) + (password != null ? 1 : 0) + (sshKey != null ? 1 : 0);
    if (given > 1) {
      throw new ConfigException(key + ": give only one of token, username/password and sshPrivateKey");
    }
    if (token != null) {
      return GitCredentials.token(token, username);
    }
    if (password != null) {
      if (username == null) {
        throw new ConfigException(key + ".username is required with password");
      }
      return GitCredentials.password(username, password);
    }
    if (sshKey != null) {
      String knownHosts = text(auth, "knownHosts");
      if (knownHosts == null) {
        throw new ConfigException(key + ".knownHosts is required with sshPrivateKey (host keys are always checked)");
      }
      return GitCredentials.sshKey(sshKey, knownHosts, text(auth, "sshPassphrase"));
    }
    return GitCredentials.NONE;
  }

  private static Duration duration(JsonNode node, String key) {
    if (node.isMissingNode() || node.isNull()) {
      return null;
    }
    Duration d = Duration.ofMillis(node.path("milliseconds").asLong(0))
        .plusSeconds(node.path("seconds").asLong(0))
        .plusMinutes(node.path("minutes").asLong(0))
        .plusHours(node.path("hours").asLong(0));
    if (d.isZero() || d.isNegative()) {
      throw new ConfigException(key + " must be positive");
    }
    return d;
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.path(field);
    return v.isTextual() && !v.asText().isBlank() ? v.asText() : null;
  }
}
