package org.meshportal.catalog.git;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A real upstream repository driven with the git CLI, filled by the mesh repository generator. */
final class GitUpstream {
  final Path dir;

  GitUpstream(Path dir) {
    this.dir = dir;
  }

  /** The generator script, found by walking up from the working directory; the tests fail without it. */
  static Path generator() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      Path candidate = p.resolve("shared/datasets/gen_mesh_repo.py");
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("shared/datasets/gen_mesh_repo.py not found above the working directory; the tests need the project's shared folder beside the clone");
  }

  static GitUpstream generate(Path dir, double scale, boolean withBad) {
    List<String> cmd = new ArrayList<>(List.of("python3", generator().toString(), "--out", dir.toString(),
        "--scale", Double.toString(scale), "--quiet"));
    if (withBad) {
      cmd.add("--with-bad");
    }
    run(dir.getParent(), cmd.toArray(String[]::new));
    GitUpstream up = new GitUpstream(dir);
    up.git("init", "-q", "-b", "main");
    up.commitAll("generated mesh repository");
    return up;
  }

  /** App-config for a provider {@code mesh} on this repository: catalog files and {@code kcp/}, webhook secret {@code s3cret}. */
  String meshProviderConfig() {
    return """
        catalog:
          providers:
            git:
              mesh:
                url: %s
                catalogPath: catalog-info.yaml
                kcpRoot: kcp
                webhookSecret: s3cret
        """.formatted(url());
  }

  String url() {
    return dir.toUri().toString().replaceFirst("^file:/+", "file:///").replaceAll("/+$", "");
  }

  String head() {
    return git("rev-parse", "HEAD").trim();
  }

  String commitAll(String message) {
    git("add", "-A");
    git("-c", "user.name=Test", "-c", "user.email=test@example.com", "commit", "-q", "--allow-empty", "-m", message);
    return head();
  }

  void write(String path, String content) throws IOException {
    Path file = dir.resolve(path);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content, StandardCharsets.UTF_8);
  }

  String read(String path) throws IOException {
    return Files.readString(dir.resolve(path), StandardCharsets.UTF_8);
  }

  void delete(String path) throws IOException {
    Files.delete(dir.resolve(path));
  }

  String git(String... args) {
    String[] cmd = new String[args.length + 3];
    cmd[0] = "git";
    cmd[1] = "-C";
    cmd[2] = dir.toString();
    System.arraycopy(args, 0, cmd, 3, args.length);
    return run(dir.getParent(), cmd);
  }

  private static String run(Path cwd, String... cmd) {
    try {
      Process p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true).start();
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
