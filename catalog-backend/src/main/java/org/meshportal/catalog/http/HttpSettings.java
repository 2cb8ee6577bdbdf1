package org.meshportal.catalog.http;

import java.util.Objects;

/**
 * Where the server listens and how it is reached.
 *
 * @param host interface to bind, e.g. {@code 0.0.0.0}
 * @param port TCP port; 0 picks a free one
 * @param backendBaseUrl {@code backend.baseUrl}, handed to the frontend's runtime config
 */
public record HttpSettings(String host, int port, String backendBaseUrl) {
  public HttpSettings {
    Objects.requireNonNull(host, "backend.listen.host");
    Objects.requireNonNull(backendBaseUrl, "backend.baseUrl");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("backend.listen.port must be 0..65535, got " + port);
    }
  }
}
