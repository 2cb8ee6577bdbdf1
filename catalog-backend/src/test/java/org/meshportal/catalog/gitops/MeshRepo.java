package org.meshportal.catalog.gitops;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.meshportal.testfixtures.GitCli;
import org.meshportal.testfixtures.MeshRepoGenerator;

/**
 * A generated Platform Mesh repository as a bare upstream (what the server pulls from and pushes
 * to) plus a working clone the test edits. Driven by the git CLI, isolated by {@link GitCli}.
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
    MeshRepoGenerator.write(work, seed, scale, false);
    MeshRepo repo = new MeshRepo(upstream, work);
    GitCli.git(work, "init", "-q", "-b", "main");
    repo.commitAndPush(null);
    return repo;
  }

  /** Commits everything in the working clone; pushes to upstream (creating it on the first call). */
  void commitAndPush(String message) {
    GitCli.git(work, "add", "-A");
    GitCli.git(work, "commit", "-q", "-m", message == null ? "generated mesh repository" : message);
    if (message == null) {
      GitCli.git(work.getParent(), "clone", "-q", "--bare", work.toString(), upstream.toString());
      GitCli.git(work, "remote", "add", "origin", upstream.toString());
    } else {
      GitCli.git(work, "push", "-q", "origin", "main");
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
    List<String> cmd = new ArrayList<>(List.of("--git-dir", upstream.toString()));
    cmd.addAll(List.of(args));
    return GitCli.git(upstream.getParent(), cmd.toArray(String[]::new));
  }

  String read(String path) throws IOException {
    return Files.readString(work.resolve(path), StandardCharsets.UTF_8);
  }

  void write(String path, String content) throws IOException {
    Files.writeString(work.resolve(path), content, StandardCharsets.UTF_8);
  }
}
