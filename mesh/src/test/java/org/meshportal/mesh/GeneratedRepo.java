package org.meshportal.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.meshportal.testfixtures.MeshRepoGenerator;

/** A repository from the test-fixtures mesh generator in a temp dir, exposed as {@link MeshFiles}. */
final class GeneratedRepo {

  final Path root;
  final JsonNode manifest;

  private GeneratedRepo(Path root) throws IOException {
    this.root = root;
    this.manifest = new ObjectMapper().readTree(root.resolve("gen-manifest.json").toFile());
  }

  static GeneratedRepo generate(Path out, int seed, double scale, boolean withBad) throws IOException {
    MeshRepoGenerator.write(out, seed, scale, withBad);
    return new GeneratedRepo(out);
  }

  MeshFiles files() {
    return directory(root);
  }

  static MeshFiles directory(Path root) {
    List<String> paths;
    try (Stream<Path> walk = Files.walk(root)) {
      paths = walk.filter(Files::isRegularFile).map(p -> root.relativize(p).toString().replace('\\', '/')).sorted().toList();
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

      @Override
      public long size(String path) {
        try {
          return Files.size(root.resolve(path));
        } catch (IOException e) {
          return -1;
        }
      }
    };
  }
}
