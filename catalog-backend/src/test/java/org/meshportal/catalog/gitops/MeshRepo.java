package org.meshportal.catalog.gitops;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A generated Platform Mesh repository as a bare upstream (what the server pulls from and pushes
 * to) plus a working clone the test edits. Driven by the git CLI with no user or system config.
 */
final class MeshRepo {
  private final Path upstream;
  private final Path work;

  private MeshRepo(Path upstream, Path work) {
    this.upstream = upstream;
    this.work = work;
  }

  static MeshRepo generate(Path dir, int seed, double scale) {
    Path work = dir.resolve("work");
    Path upstream = dir.resolve("upstream.git");
    run(dir, "python3", generator().toString(), "--out", work.toString(), "--seed", Integer.toString(seed),
        "--scale", Double.toString(scale), "--quiet");
    MeshRepo repo = new MeshRepo(upstream, work);
    run(work, "git", "init", "-q", "-b", "main");
    repo.commitAndPush(null);
    return repo;
  }

  /** Commits everything in the working clone; pushes to upstream (creating it on the first call). */
  void commitAndPush(String message) {
    run(work, "git", "add", "-A");
    run(work, "git", "commit", "-q", "-m", message == null ? "generated mesh repository" : message);
    if (message == null) {
      run(work.getParent(), "git", "clone", "-q", "--bare", work.toString(), upstream.toString());
      run(work, "git", "remote", "add", "origin", upstream.toString());
    } else {
      run(work, "git", "push", "-q", "origin", "main");
    }
  }

  /** The upstream's file URL, as the provider, the scaffolder and webhooks name it. */
  String url() {
    return upstream.toUri().toString().replaceFirst("^file:/+", "file:///").replaceAll("/+$", "");
  }

  String head() {
    return git("rev-parse", "main").trim();
  }

  /** git against the bare upstream. */
  String git(String... args) {
    List<String> cmd = new ArrayList<>(List.of("git", "--git-dir", upstream.toString()));
    cmd.addAll(List.of(args));
    return run(upstream.getParent(), cmd.toArray(String[]::new));
  }

  String read(String path) throws IOException {
    return Files.readString(work.resolve(path), StandardCharsets.UTF_8);
  }

  void write(String path, String content) throws IOException {
    Files.writeString(work.resolve(path), content, StandardCharsets.UTF_8);
  }

  private static Path generator() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path candidate = p.resolve("shared/datasets/gen_mesh_repo.py");
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("shared/datasets/gen_mesh_repo.py not found above the working directory; the tests need the project's shared folder beside the clone");
  }

  private static String run(Path cwd, String... cmd) {
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true);
    // Isolated from the machine's git configuration; fixed identity.
    pb.environment().put("GIT_CONFIG_GLOBAL", "/dev/null");
    pb.environment().put("GIT_CONFIG_NOSYSTEM", "1");
    pb.environment().put("GIT_AUTHOR_NAME", "Test");
    pb.environment().put("GIT_AUTHOR_EMAIL", "test@example.com");
    pb.environment().put("GIT_COMMITTER_NAME", "Test");
    pb.environment().put("GIT_COMMITTER_EMAIL", "test@example.com");
    try {
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", cmd) + " failed: " + out);
      }
      return out;
    } catch (IOException e) {
      throw new IllegalStateException(String.join(" ", cmd) + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
