package org.meshportal.templates;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Reads files from a template's own source. {@code baseUrl} is the template's own location, as
 * Backstage's {@code templateInfo.baseUrl}: the {@code file:} URI or http(s) blob URL of its
 * {@code template.yaml} (or a directory URL ending in {@code /}); {@code url} is relative to it
 * ({@code ./skeleton}) or absolute. Implementations must not follow symbolic links out of the source
 * and must refuse, with {@code NotAllowedError}, what the server may not read.
 */
public interface TemplateFiles {
  /**
   * Copies the file or directory tree at {@code url} into the empty directory {@code target}
   * (a directory source is copied as its contents; a file keeps its name).
   *
   * @param confinedToBase read only below the template's own directory, whatever else the server
   *     may read: a dry run reads nothing but the files it was sent
   */
  void fetch(String baseUrl, String url, Path target, boolean confinedToBase) throws IOException;
}
