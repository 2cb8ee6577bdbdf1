package org.meshportal.gitsync;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads files of one commit straight from a mirror's object database (there is no work tree).
 * Not thread-safe; open one per task and close it.
 */
public interface CommitReader extends AutoCloseable {

  /** The full commit id this reader reads. */
  String commit();

  /** The bytes of a file at this commit, or empty when there is no such file. */
  Optional<byte[]> read(String path);

  /**
   * The bytes of many files at once, keyed by the path as given; paths with no such file are left
   * out. Gives the same bytes as {@link #read} for each path, but an implementation may find them
   * all in one pass over the tree instead of one lookup per path.
   */
  default Map<String, byte[]> readAll(Collection<String> paths) {
    Map<String, byte[]> out = new LinkedHashMap<>();
    for (String path : paths) {
      read(path).ifPresent(bytes -> out.put(path, bytes));
    }
    return out;
  }

  /**
   * Paths of all files at this commit matching a glob, sorted. Glob syntax is that of
   * {@link java.nio.file.FileSystem#getPathMatcher} ({@code *} within a directory, {@code **}
   * across directories, {@code {a,b}}); {@code **}{@code /x} also matches {@code x} at the root.
   */
  List<String> list(String glob);

  @Override
  void close();
}
