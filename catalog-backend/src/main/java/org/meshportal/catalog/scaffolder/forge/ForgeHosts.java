package org.meshportal.catalog.scaffolder.forge;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.meshportal.gitsync.GitCredentials;
import org.meshportal.gitsync.HostIntegration;
import org.meshportal.gitsync.HostKind;
import org.meshportal.gitsync.Integrations;
import org.meshportal.model.errors.InputException;
import org.meshportal.model.errors.NotAllowedException;

/**
 * Where a forge's API lives for a repository host: only hosts with an integration of the right
 * kind have one, so a template cannot point an API call (and the token) at a host nobody configured.
 */
public final class ForgeHosts {
  private final Integrations integrations;
  private final Map<String, String> apiBaseUrls;

  /** @param apiBaseUrls host → {@code apiBaseUrl} from the integration entries that set one */
  public ForgeHosts(Integrations integrations, Map<String, String> apiBaseUrls) {
    this.integrations = integrations;
    Map<String, String> lower = new HashMap<>();
    apiBaseUrls.forEach((h, u) -> lower.put(h.toLowerCase(Locale.ROOT), u));
    this.apiBaseUrls = Map.copyOf(lower);
  }

  /** A repository named by a RepoUrlPicker value {@code host?owner=o&repo=r}. */
  record Target(String host, String owner, String repo) {}

  /** The API of {@code kind} for {@code host}, with the integration's token. */
  record Api(String baseUrl, String token) {}

  static Target parse(String action, String repoUrl) {
    int q = repoUrl == null ? -1 : repoUrl.indexOf('?');
    if (q <= 0 || repoUrl.contains("://")) {
      throw new InputException(action + ": repoUrl '" + repoUrl + "' must be host?owner=<owner>&repo=<repo>");
    }
    Map<String, String> query = new HashMap<>();
    for (String pair : repoUrl.substring(q + 1).split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        query.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    String owner = query.get("owner");
    String repo = query.get("repo");
    if (owner == null || owner.isBlank() || repo == null || repo.isBlank()) {
      throw new InputException(action + ": repoUrl '" + repoUrl + "' must name an owner and a repo");
    }
    // Owner and repo become URL path segments of API calls: nothing that could climb or add a query.
    if (!(owner + "/" + repo).matches("[A-Za-z0-9._/-]+") || (owner + "/" + repo).contains("..")
        || repo.contains("/")) {
      throw new InputException(action + ": repoUrl '" + repoUrl + "' has an owner or repo name that is not allowed");
    }
    return new Target(repoUrl.substring(0, q).toLowerCase(Locale.ROOT), owner, repo);
  }

  /** Refuses (before any request) a host without an integration of {@code kind}. */
  Api api(String action, HostKind kind, String host) {
    HostIntegration integration = integrations.forHost(host).filter(i -> i.kind() == kind)
        .orElseThrow(() -> new NotAllowedException(action + " to '" + host + "' is not allowed: configure integrations."
            + kind.name().toLowerCase(Locale.ROOT) + " for this host"));
    String base = apiBaseUrls.get(integration.host());
    if (base == null) {
      base = switch (kind) {
        case GITHUB -> integration.host().equals("github.com") ? "https://api.github.com"
            : "https://" + integration.host() + "/api/v3";
        case GITLAB -> "https://" + integration.host() + "/api/v4";
        default -> throw new IllegalArgumentException(kind + " has no forge API here");
      };
    }
    String token = switch (integration.credentials()) {
      case GitCredentials.Token t -> t.token();
      case GitCredentials.UsernamePassword p -> p.password();
      default -> throw new InputException(action + ": integrations." + kind.name().toLowerCase(Locale.ROOT)
          + " for '" + host + "' has no token");
    };
    return new Api(base, token);
  }

  Integrations integrations() {
    return integrations;
  }
}
