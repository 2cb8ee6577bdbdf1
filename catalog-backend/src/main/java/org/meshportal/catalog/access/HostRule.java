package org.meshportal.catalog.access;

import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * One entry of Backstage's {@code backend.reading.allow}: a host ({@code example.com}, or
 * {@code *.example.com} for any subdomain but not the domain itself), an optional port or port
 * range ({@code localhost:8000-8100}), and optional path prefixes that match at segment boundaries.
 * An entry without a port admits only the scheme's default port.
 */
public record HostRule(String host, boolean wildcard, int portFrom, int portTo, List<String> paths) {
  public HostRule {
    host = host.toLowerCase(Locale.ROOT);
    paths = List.copyOf(paths);
  }

  /**
   * Parses {@code host[:port[-port]]} and its {@code paths}.
   *
   * @throws IllegalArgumentException naming what is wrong
   */
  public static HostRule parse(String entry, List<String> paths) {
    String value = entry.trim();
    if (value.isEmpty() || value.contains("/") || value.contains("@")) {
      throw new IllegalArgumentException("'" + entry + "' must be a host name with an optional :port or :from-to");
    }
    int colon = value.lastIndexOf(':');
    String host = colon < 0 ? value : value.substring(0, colon);
    int from = -1;
    int to = -1;
    if (colon >= 0) {
      String ports = value.substring(colon + 1);
      int dash = ports.indexOf('-');
      try {
        from = Integer.parseInt(dash < 0 ? ports : ports.substring(0, dash));
        to = dash < 0 ? from : Integer.parseInt(ports.substring(dash + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("'" + entry + "' has an invalid port '" + ports + "'");
      }
      if (from < 1 || to > 65535 || from > to) {
        throw new IllegalArgumentException("'" + entry + "' has an invalid port range '" + ports + "'");
      }
    }
    boolean wildcard = host.startsWith("*.");
    String name = wildcard ? host.substring(2) : host;
    if (name.isEmpty() || name.contains("*")) {
      throw new IllegalArgumentException("'" + entry + "' must be a host name or *.domain");
    }
    for (String p : paths) {
      if (!p.startsWith("/")) {
        throw new IllegalArgumentException("path '" + p + "' of '" + entry + "' must start with /");
      }
    }
    return new HostRule(name, wildcard, from, to, paths);
  }

  /** Whether an absolute http(s) URL is admitted by this entry. */
  boolean matches(URI url) {
    String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https") || url.getHost() == null) {
      return false;
    }
    String urlHost = url.getHost().toLowerCase(Locale.ROOT);
    boolean hostMatches = wildcard ? urlHost.endsWith("." + host) : urlHost.equals(host);
    if (!hostMatches) {
      return false;
    }
    int defaultPort = scheme.equals("https") ? 443 : 80;
    int port = url.getPort() < 0 ? defaultPort : url.getPort();
    if (portFrom < 0) {
      if (port != defaultPort) {
        return false;
      }
    } else if (port < portFrom || port > portTo) {
      return false;
    }
    if (paths.isEmpty()) {
      return true;
    }
    String path = URI.create("http://x").resolve(url.getRawPath() == null || url.getRawPath().isEmpty()
        ? "/" : url.getRawPath()).normalize().getRawPath();
    for (String prefix : paths) {
      if (prefix.endsWith("/") ? path.startsWith(prefix) : path.equals(prefix) || path.startsWith(prefix + "/")) {
        return true;
      }
    }
    return false;
  }
}
