package org.meshportal.catalog.processing;

import org.meshportal.catalog.access.AccessPolicy;
import org.meshportal.catalog.access.HostRule;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.meshportal.catalog.store.CatalogStore;
import org.meshportal.catalog.store.H2CatalogStore;
import org.meshportal.indexer.EntityIndex;
import org.meshportal.indexer.lucene.LuceneEntityIndex;

/** A running catalog for tests: real H2 store under a temp dir, engine and services. */
final class Catalog implements AutoCloseable {
  static final ObjectMapper JSON = new ObjectMapper();

  final Path dataDir;
  final ProcessingSettings settings;
  final EntityIndex index;
  final CatalogStore store;
  final CatalogEngine engine;
  final CatalogLocationService locations;
  final CatalogEntityService entities;

  Catalog(Path dataDir, ProcessingSettings settings, EntityIndex index) {
    this.dataDir = dataDir;
    this.settings = settings;
    this.index = index;
    this.store = H2CatalogStore.open(dataDir.resolve("store"));
    this.engine = new CatalogEngine(store, index, settings, null, policy(dataDir));
    this.locations = new CatalogLocationService(engine, store);
    this.entities = new CatalogEntityService(engine);
    engine.start();
  }

  /** Reads below the test's temp folder (the data dir's parent) and from the fake host git.example. */
  static AccessPolicy policy(Path dataDir) {
    return new AccessPolicy(List.of(dataDir.getParent()), List.of(), List.of(HostRule.parse("git.example", List.of())),
        List.of(), List.of());
  }

  static ProcessingSettings settings() {
    return ProcessingSettings.defaults().withAllowedLocationTypes(Set.of("file", "url")).withAllowedKinds(Set.of());
  }

  static Catalog open(Path dataDir) {
    return open(dataDir, settings());
  }

  /** A catalog over the real Lucene index in {@code <dataDir>/index}. */
  static Catalog open(Path dataDir, ProcessingSettings settings) {
    return new Catalog(dataDir, settings, LuceneEntityIndex.open(dataDir.resolve("index")));
  }

  /** The served entity, or null. */
  JsonNode entity(String ref) {
    return index.byRef(ref).map(b -> {
      try {
        return JSON.readTree(b);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }).orElse(null);
  }

  List<String> relations(String ref) {
    JsonNode e = entity(ref);
    return e == null ? List.of() : java.util.stream.StreamSupport.stream(e.path("relations").spliterator(), false)
        .map(r -> r.path("type").asText() + " " + r.path("targetRef").asText())
        .toList();
  }

  List<String> statusMessages(String ref) {
    JsonNode e = entity(ref);
    return e == null ? List.of() : java.util.stream.StreamSupport.stream(e.path("status").path("items").spliterator(), false)
        .map(i -> i.path("message").asText())
        .toList();
  }

  static Path write(Path file, String content) {
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, content, StandardCharsets.UTF_8);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String component(String name, String extraSpec) {
    return """
        apiVersion: backstage.io/v1alpha1
        kind: Component
        metadata:
          name: %s
        spec:
          type: service
          lifecycle: production
          owner: team-a
        %s
        """.formatted(name, extraSpec.isEmpty() ? "" : extraSpec.indent(2).stripTrailing());
  }

  @Override
  public void close() {
    index.close();
    store.close();
  }
}
