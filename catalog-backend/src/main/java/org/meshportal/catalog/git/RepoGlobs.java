package org.meshportal.catalog.git;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;

/** Glob matching of repository paths, as {@code CommitReader.list} matches them. */
final class RepoGlobs {
  private RepoGlobs() {}

  static boolean isGlob(String s) {
    return s.contains("*") || s.contains("?") || s.contains("[") || s.contains("{");
  }

  /** A matcher for a repository-relative glob; {@code **}{@code /x} also matches {@code x} at the root. */
  static java.util.function.Predicate<String> matcher(String glob) {
    PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + glob);
    PathMatcher root = glob.startsWith("**/") ? FileSystems.getDefault().getPathMatcher("glob:" + glob.substring(3)) : null;
    return path -> {
      Path p = Path.of(path);
      return m.matches(p) || (root != null && root.matches(p));
    };
  }
}
