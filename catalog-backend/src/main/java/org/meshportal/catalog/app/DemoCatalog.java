package org.meshportal.catalog.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import org.meshportal.gitsync.GitCredentials;
import org.meshportal.gitsync.GitPublishing;

/**
 * The demo shipped inside the jar: a catalog (resources under {@code demo/}, listed in
 * {@code demo/index.txt}), copied under the data directory and read as a file location, and a
 * Platform Mesh repository ({@code demo-mesh/}) turned into a local Git repository that a git
 * provider mirrors and the account template commits to.
 */
final class DemoCatalog {
  private static final String ROOT = "demo/";
  private static final String MESH_ROOT = "demo-mesh/";

  private DemoCatalog() {}

  /** Copies the demo files to {@code target} and returns the path of its root catalog file. */
  static Path install(Path target) {
    copy(ROOT, target);
    return target.resolve("catalog-info.yaml");
  }

  /**
   * Creates the demo Platform Mesh repository (a bare Git repository under {@code dataDir}) from
   * the files under {@code demo-mesh/} on first start, and returns its {@code file://} URL. An
   * existing repository is left as it is, so commits made through templates survive restarts.
   */
  static String installMeshRepository(Path dataDir, GitPublishing publishing) {
    Path repo = dataDir.resolve("demo-mesh.git");
    String url = repo.toUri().toString();
    if (Files.isDirectory(repo)) {
      return url;
    }
    Path source = dataDir.resolve("demo-mesh-source");
    copy(MESH_ROOT, source);
    publishing.publishNew(url, GitCredentials.NONE, "main", source,
        new GitPublishing.CommitMessage("Demo Platform Mesh repository", "Mesh Portal", "portal@example.com"));
    return url;
  }

  private static void copy(String root, Path target) {
    try {
      List<String> files = read(root + "index.txt").lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
      for (String file : files) {
        Path dest = target.resolve(file).normalize();
        if (!dest.startsWith(target)) {
          throw new IllegalStateException("demo file outside its folder: " + file);
        }
        Files.createDirectories(dest.getParent());
        try (InputStream in = open(root + file)) {
          Files.copy(in, dest, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot install the demo files under " + target, e);
    }
  }

  private static String read(String resource) throws IOException {
    try (InputStream in = open(resource)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static InputStream open(String resource) throws IOException {
    InputStream in = DemoCatalog.class.getClassLoader().getResourceAsStream(resource);
    if (in == null) {
      throw new IOException("missing resource " + resource);
    }
    return in;
  }
}
