package org.meshportal.catalog.git;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.meshportal.testfixtures.GitCli;
import org.meshportal.testfixtures.MeshRepoGenerator;

/** A real upstream repository driven with the isolated git CLI, filled by the mesh repository generator (seed 42). */
final class GitUpstream {
  final Path dir;

  GitUpstream(Path dir) {
    this.dir = dir;
  }

  static GitUpstream generate(Path dir, double scale, boolean withBad) {
    MeshRepoGenerator.write(dir, 42, scale, withBad);
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
    git("commit", "-q", "--allow-empty", "-m", message);
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
    return GitCli.git(dir, args);
  }
}
