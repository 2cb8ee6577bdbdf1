package org.meshportal.catalog.search;

import org.meshportal.catalog.access.AccessPolicy;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
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

/**
 * A catalog built from a repository made by {@code shared/datasets/gen_mesh_repo.py}: its root
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
    generate(repo, seed, scale);
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

  private static void generate(Path out, int seed, double scale) throws Exception {
    List<String> cmd = List.of("python3", generator().toString(), "--out", out.toString(),
        "--seed", Integer.toString(seed), "--scale", Double.toString(scale), "--quiet");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("gen_mesh_repo.py failed: " + output);
    }
  }

  /** The shared generator, found by walking up from the working directory (the module folder under Maven). */
  private static Path generator() {
    Path start = Path.of("").toAbsolutePath();
    for (Path d = start; d != null; d = d.getParent()) {
      Path candidate = d.resolve("shared/datasets/gen_mesh_repo.py");
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("shared/datasets/gen_mesh_repo.py not found above " + start);
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
