package org.meshportal.catalog.search;

import org.meshportal.catalog.access.AccessPolicy;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.meshportal.catalog.processing.CatalogEngine;
import org.meshportal.catalog.processing.ConfigLocation;
import org.meshportal.catalog.processing.ProcessingSettings;
import org.meshportal.catalog.store.CatalogStore;
import org.meshportal.catalog.store.H2CatalogStore;
import org.meshportal.indexer.EntityIndex;
import org.meshportal.indexer.ListRequest;
import org.meshportal.indexer.lucene.LuceneEntityIndex;
import org.meshportal.mesh.MeshFiles;
import org.meshportal.mesh.MeshOptions;
import org.meshportal.mesh.MeshReader;
import org.meshportal.mesh.MeshResult;
import org.meshportal.model.FieldProjection;
import org.meshportal.testfixtures.MeshRepoGenerator;

/**
 * A catalog built from a repository made by the test-fixtures {@link MeshRepoGenerator}: its root
 * {@code catalog-info.yaml} is a config location read by the real engine, and the entities the
 * mesh reader derives from its {@code kcp/} tree are applied as a provider snapshot. H2 store and
 * Lucene index live in the given folder.
 */
final class MeshCorpus implements AutoCloseable {
  private static final ObjectMapper JSON = new ObjectMapper();

  final Path repo;
  final CatalogStore store;
  final EntityIndex index;
  final CatalogEngine engine;
  final MeshResult mesh;

  private MeshCorpus(Path repo, CatalogStore store, EntityIndex index, CatalogEngine engine, MeshResult mesh) {
    this.repo = repo;
    this.store = store;
    this.index = index;
    this.engine = engine;
    this.mesh = mesh;
  }

  static MeshCorpus build(Path dir, int seed, double scale) throws Exception {
    Path repo = dir.resolve("repo");
    MeshRepoGenerator.write(repo, seed, scale, false);
    Files.createDirectories(dir.resolve("store"));
    CatalogStore store = H2CatalogStore.open(dir.resolve("store"));
    EntityIndex index = LuceneEntityIndex.open(dir.resolve("index"));
    ProcessingSettings settings = ProcessingSettings.defaults()
        .withAllowedKinds(Set.of())
        .withConfigLocations(List.of(new ConfigLocation("file", repo.resolve("catalog-info.yaml").toString())));
    CatalogEngine engine = new CatalogEngine(store, index, settings, MeshCorpus::readFileUrl,
        AccessPolicy.readingFrom(dir));
    engine.start();

    List<JsonNode> known = new ArrayList<>();
    for (byte[] bytes : index.list(new ListRequest(null, List.of(), null, null, null, FieldProjection.of(List.of())))
        .items()) {
      known.add(JSON.readTree(bytes));
    }
    MeshResult mesh = new MeshReader(MeshOptions.defaults()).read(directory(repo), null, known);
    engine.applyProviderSnapshot("mesh", mesh.entities(), List.of(), Map.of());
    return new MeshCorpus(repo, store, index, engine, mesh);
  }

  JsonNode manifest() throws IOException {
    return JSON.readTree(repo.resolve("gen-manifest.json").toFile());
  }

  private static MeshFiles directory(Path root) {
    List<String> paths;
    try (Stream<Path> walk = Files.walk(root)) {
      paths = walk.filter(Files::isRegularFile)
          .map(p -> root.relativize(p).toString().replace('\\', '/'))
          .sorted()
          .toList();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new MeshFiles() {
      @Override
      public List<String> list() {
        return paths;
      }

      @Override
      public byte[] read(String path) throws IOException {
        return Files.readAllBytes(root.resolve(path));
      }
    };
  }

  private static Optional<byte[]> readFileUrl(String url) throws IOException {
    if (!url.startsWith("file:")) {
      return Optional.empty();
    }
    Path path = Path.of(URI.create(url));
    return Files.exists(path) ? Optional.of(Files.readAllBytes(path)) : Optional.empty();
  }

  @Override
  public void close() {
    index.close();
    store.close();
  }
}
