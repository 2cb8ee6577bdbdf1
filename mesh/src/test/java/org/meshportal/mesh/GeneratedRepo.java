package org.meshportal.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Runs the shared mesh repository generator into a temp dir and exposes the result as {@link MeshFiles}. */
final class GeneratedRepo {

  final Path root;
  final JsonNode manifest;

  private GeneratedRepo(Path root) throws IOException {
    this.root = root;
    this.manifest = new ObjectMapper().readTree(root.resolve("gen-manifest.json").toFile());
  }

  static Path generator() {
    Path dir = Path.of("").toAbsolutePath();
    for (Path d = dir; d != null; d = d.getParent()) {
      Path candidate = d.resolve("shared/datasets/gen_mesh_repo.py");
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("shared/datasets/gen_mesh_repo.py not found above " + dir);
  }

  static GeneratedRepo generate(Path out, int seed, double scale, boolean withBad) throws Exception {
    List<String> cmd = new ArrayList<>(List.of("python3", generator().toString(), "--out", out.toString(),
        "--seed", Integer.toString(seed), "--scale", Double.toString(scale), "--quiet"));
    if (withBad) {
      cmd.add("--with-bad");
    }
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("generator failed: " + output);
    }
    return new GeneratedRepo(out);
  }

  /** Runs a Python expression over the generator module, one line of input per call, returning one line each. */
  static List<String> python(String function, List<String> args) throws Exception {
    String script = "import sys, json\nsys.path.insert(0, sys.argv[1])\nimport gen_mesh_repo as g\n"
        + "for line in sys.stdin:\n  a = json.loads(line)\n  print(g." + function + "(*a))\n";
    Process p = new ProcessBuilder("python3", "-c", script, generator().getParent().toString()).start();
    ObjectMapper json = new ObjectMapper();
    try (var in = p.getOutputStream()) {
      for (String a : args) {
        in.write((a + "\n").getBytes(StandardCharsets.UTF_8));
      }
    }
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
      throw new IllegalStateException("python failed: " + new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8));
    }
    return out.lines().toList();
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
