package org.meshportal.catalog.scaffolder.forge;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
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
  private final Map<String, Endpoint> endpoints;

  /**
   * A host listed under {@code integrations.github} or {@code integrations.gitlab} and where its API
   * is. Only these hosts get API calls: a generic {@code integrations.git} entry is not a forge.
   *
   * @param apiBaseUrl the entry's {@code apiBaseUrl}, or null for the forge's usual one
   */
  public record Endpoint(HostKind kind, String host, String apiBaseUrl) {
    public Endpoint {
      if (kind != HostKind.GITHUB && kind != HostKind.GITLAB) {
        throw new IllegalArgumentException("only GitHub and GitLab have a forge API here, not " + kind);
      }
      host = host.toLowerCase(Locale.ROOT);
      if (apiBaseUrl == null) {
        apiBaseUrl = kind == HostKind.GITLAB ? "https://" + host + "/api/v4"
            : host.equals("github.com") ? "https://api.github.com" : "https://" + host + "/api/v3";
      }
    }
  }

  public ForgeHosts(Integrations integrations, List<Endpoint> endpoints) {
    this.integrations = integrations;
    Map<String, Endpoint> byHost = new HashMap<>();
    endpoints.forEach(e -> byHost.put(e.host(), e));
    this.endpoints = Map.copyOf(byHost);
  }

  /** A repository named by a RepoUrlPicker value {@code host?owner=o&repo=r}. */
  record Target(String host, String owner, String repo) {}

  /** The API of {@code kind} for {@code host}, with the integration's token. */
  record Api(String baseUrl, String token) {
    /** Spelled out so the token cannot reach a log through the record's default. */
    @Override
    public String toString() {
      return "Api[baseUrl=" + baseUrl + ", token=***]";
    }
  }

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
    HostIntegration integration = integrations.forHost(host)
        .filter(i -> endpoints.containsKey(i.host()) && endpoints.get(i.host()).kind() == kind)
        .orElseThrow(() -> new NotAllowedException(action + " to '" + host + "' is not allowed: configure integrations."
            + kind.name().toLowerCase(Locale.ROOT) + " for this host"));
    String token = switch (integration.credentials()) {
      case GitCredentials.Token t -> t.token();
      case GitCredentials.UsernamePassword p -> p.password();
      default -> throw new InputException(action + ": integrations." + kind.name().toLowerCase(Locale.ROOT)
          + " for '" + host + "' has no token");
    };
    return new Api(endpoints.get(integration.host()).apiBaseUrl(), token);
  }

  Integrations integrations() {
    return integrations;
  }
}
