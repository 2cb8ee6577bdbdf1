package org.meshportal.catalog.http;

/** Where the HTTP layer reports each request, and what {@code GET /metrics} serves. */
public interface RequestMetrics {
  /**
   * @param route the matched route template ({@code /api/catalog/entities/by-name/{kind}/{namespace}/{name}}),
   *     or a fixed word for requests that matched none, so that paths cannot multiply series
   */
  void record(String method, String route, int status, long nanos);

  /** The metrics in Prometheus' text exposition format. */
  String scrape();
}
