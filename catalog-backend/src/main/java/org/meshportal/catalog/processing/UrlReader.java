package org.meshportal.catalog.processing;

import java.io.IOException;
import java.util.Optional;

/** Reads {@code url} location targets (implemented by git-sync and friends). */
public interface UrlReader {
  /**
   * @return the content, or empty when the target does not exist
   * @throws IOException when the target exists but could not be read; the message is shown to users
   */
  Optional<byte[]> read(String url) throws IOException;
}
