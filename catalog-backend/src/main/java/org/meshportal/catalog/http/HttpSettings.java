package org.meshportal.catalog.http;

import java.util.Objects;

/**
 * Where the server listens and how it is reached.
 *
 * @param host interface to bind, e.g. {@code 0.0.0.0}
 * @param port TCP port; 0 picks a free one
 * @param backendBaseUrl {@code backend.baseUrl}, handed to the frontend's runtime config
 * @param maxRequestBodyBytes {@code backend.maxRequestBodyBytes}: larger request bodies get 413
 * @param maxRefsPerRequest {@code catalog.maxRefsPerRequest}: the most refs one {@code POST
 *     /entities/by-refs} may ask for
 */
public record HttpSettings(String host, int port, String backendBaseUrl, long maxRequestBodyBytes, int maxRefsPerRequest) {
  /**
   * 12 MiB: a {@code catalog.maxFileSizeBytes} (5 MiB) entity sent to {@code validate-entity} still
   * fits after JSON escaping (quotes and newlines of embedded definitions double in size).
   */
  public static final long DEFAULT_MAX_REQUEST_BODY_BYTES = 12L << 20;
  public static final int DEFAULT_MAX_REFS_PER_REQUEST = 1000;

  public HttpSettings(String host, int port, String backendBaseUrl) {
    this(host, port, backendBaseUrl, DEFAULT_MAX_REQUEST_BODY_BYTES, DEFAULT_MAX_REFS_PER_REQUEST);
  }

  public HttpSettings {
    if (maxRequestBodyBytes <= 0) {
      throw new IllegalArgumentException("backend.maxRequestBodyBytes must be positive, got " + maxRequestBodyBytes);
    }
    if (maxRefsPerRequest <= 0) {
      throw new IllegalArgumentException("catalog.maxRefsPerRequest must be positive, got " + maxRefsPerRequest);
    }
    Objects.requireNonNull(host, "backend.listen.host");
    Objects.requireNonNull(backendBaseUrl, "backend.baseUrl");
    if (port < 0 || port > 65535) {
      throw new IllegalArgumentException("backend.listen.port must be 0..65535, got " + port);
    }
  }
}
