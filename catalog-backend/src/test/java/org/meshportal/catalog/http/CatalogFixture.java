package org.meshportal.catalog.http;

import org.meshportal.catalog.access.AccessPolicy;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.meshportal.catalog.auth.AuthSettings;
import org.meshportal.catalog.processing.CatalogEngine;
import org.meshportal.catalog.processing.CatalogEntityService;
import org.meshportal.catalog.processing.CatalogLocationService;
import org.meshportal.catalog.processing.ConfigLocation;
import org.meshportal.catalog.processing.ProcessingSettings;
import org.meshportal.catalog.processing.UrlReader;
import org.meshportal.catalog.store.CatalogStore;
import org.meshportal.catalog.store.H2CatalogStore;
import org.meshportal.indexer.EntityIndex;
import org.meshportal.indexer.lucene.LuceneEntityIndex;

/**
 * The real catalog behind the server: an H2 store and a Lucene index in a temp folder, the engine
 * reading {@code catalog-info.yaml} there as a static config location, and {@code file:} URLs
 * readable as {@code url} locations.
 */
final class CatalogFixture implements AutoCloseable {
  static final String ENTITIES = """
      apiVersion: backstage.io/v1alpha1
      kind: Component
      metadata:
        name: service-a
        title: Service A
        description: Handles payments
        tags: [java, payments]
        annotations:
          backstage.io/techdocs-ref: dir:.
      spec:
        type: service
        lifecycle: production
        owner: team-a
        providesApis: [api-a]
      ---
      apiVersion: backstage.io/v1alpha1
      kind: Component
      metadata:
        name: Service-B
        description: The storefront
        tags: [typescript]
      spec:
        type: website
        lifecycle: experimental
        owner: team-b
      ---
      apiVersion: backstage.io/v1alpha1
      kind: Component
      metadata:
        name: lib-c
      spec:
        type: library
        lifecycle: production
        owner: team-a
      ---
      apiVersion: backstage.io/v1alpha1
      kind: API
      metadata:
        name: api-a
      spec:
        type: openapi
        lifecycle: production
        owner: team-a
        definition: "openapi: 3.0.0"
      ---
      apiVersion: backstage.io/v1alpha1
      kind: Group
      metadata:
        name: team-a
      spec:
        type: team
        children: []
      ---
      apiVersion: backstage.io/v1alpha1
      kind: Group
      metadata:
        name: team-b
      spec:
        type: team
        children: []
      """;

  final Path dir;
  final CatalogStore store;
  final EntityIndex index;
  final CatalogEngine engine;
  final TestServer server;

  private CatalogFixture(Path dir, CatalogStore store, EntityIndex index, CatalogEngine engine, TestServer server) {
    this.dir = dir;
    this.store = store;
    this.index = index;
    this.engine = engine;
    this.server = server;
  }

  static CatalogFixture start(Path dir) {
    return start(dir, TestServer.settings());
  }

  /** As {@link #start(Path)}, with the server's listen settings and limits. */
  static CatalogFixture start(Path dir, HttpSettings http) {
    try {
      Path file = dir.resolve("catalog-info.yaml");
      Files.writeString(file, ENTITIES);
      Files.createDirectories(dir.resolve("store"));
      CatalogStore store = H2CatalogStore.open(dir.resolve("store"));
      EntityIndex index = LuceneEntityIndex.open(dir.resolve("index"));
      ProcessingSettings settings = ProcessingSettings.defaults()
          .withAllowedKinds(Set.of())
          .withConfigLocations(List.of(new ConfigLocation("file", file.toString())));
      CatalogEngine engine = new CatalogEngine(store, index, settings, CatalogFixture::readFileUrl,
          AccessPolicy.readingFrom(dir));
      engine.start();
      AuthSettings auth = new AuthSettings("http://localhost:7007/api/auth", dir.resolve("keys"),
          AuthSettings.GuestSettings.defaults(), List.of(), false, null);
      TestServer server = TestServer.start(HttpServer.builder(http, auth)
          .catalog(index, new CatalogEntityService(engine), new CatalogLocationService(engine, store)));
      return new CatalogFixture(dir, store, index, engine, server);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A {@link UrlReader} for {@code file:} URLs only. */
  private static Optional<byte[]> readFileUrl(String url) throws IOException {
    if (!url.startsWith("file:")) {
      return Optional.empty();
    }
    Path path = Path.of(URI.create(url));
    return Files.exists(path) ? Optional.of(Files.readAllBytes(path)) : Optional.empty();
  }

  @Override
  public void close() {
    server.close();
    index.close();
    store.close();
  }
}
