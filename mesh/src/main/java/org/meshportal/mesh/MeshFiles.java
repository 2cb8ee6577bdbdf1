package org.meshportal.mesh;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.TreeMap;

/**
 * The files of one repository as the mesh reader sees them: relative, {@code /}-separated paths
 * and their bytes. The catalog adapts its Git checkout or tree to this; tests use {@link #of}.
 */
public interface MeshFiles {

  /** Every file path in the repository (order does not matter). */
  List<String> list();

  /** The bytes of one listed file. */
  byte[] read(String path) throws IOException;

  /** Size of a file without reading it, when cheap; -1 when unknown. */
  default long size(String path) {
    return -1;
  }

  /**
   * Whether {@link #read} and {@link #size} may be called from several threads at once; the
   * reader then parses many files in parallel.
   */
  default boolean concurrentReads() {
    return false;
  }

  /** An in-memory file set; the map is copied. */
  static MeshFiles of(Map<String, byte[]> files) {
    Map<String, byte[]> copy = new TreeMap<>(files);
    return new MeshFiles() {
      @Override
      public List<String> list() {
        return List.copyOf(copy.keySet());
      }

      @Override
      public byte[] read(String path) {
        byte[] bytes = copy.get(path);
        if (bytes == null) {
          throw new UncheckedIOException(new IOException("no such file: " + path));
        }
        return bytes;
      }

      @Override
      public boolean concurrentReads() {
        return true;
      }

      @Override
      public long size(String path) {
        byte[] bytes = copy.get(path);
        if (bytes == null) {
          throw new NoSuchElementException(path);
        }
        return bytes.length;
      }
    };
  }
}
