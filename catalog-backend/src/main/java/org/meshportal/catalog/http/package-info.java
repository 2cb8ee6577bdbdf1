/**
 * The HTTP layer, the only package that imports Javalin. {@link
 * org.meshportal.catalog.http.HttpServer} mounts one router per Backstage plugin under
 * {@code /api/<plugin>} (catalog, search, auth, permission; the scaffolder plugs in through the
 * package-private {@code Plugin} interface), the health probes and optionally the frontend bundle.
 * Handlers parse with one small function per request shape ({@code FilterParams},
 * {@code PredicateParser}, {@code CatalogParams}, {@code CatalogBodies}, {@code SearchParams}),
 * call one index or service method and render; {@code ErrorMapping} is the one place that turns
 * exceptions into Backstage's error envelope.
 */
package org.meshportal.catalog.http;
