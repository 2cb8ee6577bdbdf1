package org.meshportal.gitsync;

import java.util.Locale;
import java.util.Objects;

/**
 * One entry of Backstage-style {@code integrations} config: a host, its kind and the credentials
 * to use for every repository on it.
 *
 * @param host host name, with {@code :port} when not the default
 */
public record HostIntegration(HostKind kind, String host, GitCredentials credentials) {

  public HostIntegration {
    Objects.requireNonNull(kind, "kind");
    if (host == null || host.isBlank() || host.contains("/")) {
      throw new IllegalArgumentException(
          "integrations." + kind.name().toLowerCase(Locale.ROOT) + " host must be a host name, got '"
              + host + "'");
    }
    host = host.toLowerCase(Locale.ROOT);
    credentials = credentials == null ? GitCredentials.NONE : credentials;
  }

  /** Spelled out so a credentials type added later cannot leak through the record's default. */
  @Override
  public String toString() {
    return "HostIntegration[kind=" + kind + ", host=" + host + ", credentials=" + credentials.getClass().getSimpleName() + "]";
  }
}
