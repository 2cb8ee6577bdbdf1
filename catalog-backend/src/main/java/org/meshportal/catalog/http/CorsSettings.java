package org.meshportal.catalog.http;

import java.util.List;

/**
 * {@code backend.cors}. Origins are glob patterns ({@code *} matches any run of characters)
 * compared case-insensitively. A null {@code allowedHeaders} reflects the preflight's
 * {@code Access-Control-Request-Headers}.
 */
public record CorsSettings(
    List<String> origins,
    List<String> methods,
    List<String> allowedHeaders,
    List<String> exposedHeaders,
    boolean credentials,
    Integer maxAgeSeconds) {

  public static final List<String> DEFAULT_METHODS = List.of("GET", "HEAD", "PATCH", "POST", "PUT", "DELETE");

  public CorsSettings {
    if (origins == null || origins.isEmpty()) {
      throw new IllegalArgumentException("backend.cors.origin must name at least one origin");
    }
    origins = List.copyOf(origins);
    methods = methods == null || methods.isEmpty() ? DEFAULT_METHODS : List.copyOf(methods);
    allowedHeaders = allowedHeaders == null ? null : List.copyOf(allowedHeaders);
    exposedHeaders = exposedHeaders == null ? List.of() : List.copyOf(exposedHeaders);
  }
}
