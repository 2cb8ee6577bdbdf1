package org.meshportal.gitsync;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** Host → kind and credentials, from Backstage-style {@code integrations} config. Immutable. */
public final class Integrations {

  private final Map<String, HostIntegration> byHost;

  public Integrations(List<HostIntegration> entries) {
    Map<String, HostIntegration> map = new HashMap<>();
    for (HostIntegration e : entries) {
      if (map.putIfAbsent(e.host(), e) != null) {
        throw new IllegalArgumentException("integrations: host " + e.host() + " is listed twice");
      }
    }
    this.byHost = Map.copyOf(map);
  }

  public static Integrations none() {
    return new Integrations(List.of());
  }

  /** The entry for a host ({@code host} or {@code host:port}), matched case-insensitively. */
  public Optional<HostIntegration> forHost(String host) {
    if (host == null) {
      return Optional.empty();
    }
    String h = host.toLowerCase(Locale.ROOT);
    HostIntegration exact = byHost.get(h);
    if (exact != null) {
      return Optional.of(exact);
    }
    int colon = h.lastIndexOf(':');
    return colon > 0 ? Optional.ofNullable(byHost.get(h.substring(0, colon))) : Optional.empty();
  }

  /** Credentials for a remote URL: the integration's for its host, else anonymous. */
  public GitCredentials credentialsFor(String url) {
    return forHost(RepoUrls.host(url)).map(HostIntegration::credentials)
        .orElse(GitCredentials.NONE);
  }

  /** The host kind for a URL: configured, {@code FILE} for file://, else guessed from the name. */
  public HostKind kindFor(String url) {
    if (url.regionMatches(true, 0, "file:", 0, 5)) {
      return HostKind.FILE;
    }
    String host = RepoUrls.host(url);
    return forHost(host).map(HostIntegration::kind)
        .orElseGet(() -> HostKind.guess(host == null ? "" : host));
  }

  /** Hosts only, never credentials. */
  @Override
  public String toString() {
    return "Integrations" + new java.util.TreeSet<>(byHost.keySet());
  }
}
