package org.meshportal.catalog.app;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/**
 * The demo catalog shipped inside the jar (resources under {@code demo/}, listed in
 * {@code demo/index.txt}). It is copied under the data directory so it can be read like any
 * file location, and refreshed on every start so a newer jar brings its newer demo.
 */
final class DemoCatalog {
  private static final String ROOT = "demo/";

  private DemoCatalog() {}

  /** Copies the demo files to {@code target} and returns the path of its root catalog file. */
  static Path install(Path target) {
    try {
      List<String> files = read(ROOT + "index.txt").lines().map(String::strip).filter(s -> !s.isEmpty()).toList();
      for (String file : files) {
        Path dest = target.resolve(file).normalize();
        if (!dest.startsWith(target)) {
          throw new IllegalStateException("demo file outside its folder: " + file);
        }
        Files.createDirectories(dest.getParent());
        try (InputStream in = open(ROOT + file)) {
          Files.copy(in, dest, StandardCopyOption.REPLACE_EXISTING);
        }
      }
      return target.resolve("catalog-info.yaml");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot install the demo catalog under " + target, e);
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
