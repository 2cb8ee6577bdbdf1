package org.meshportal.templates;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Reads files from a template's own source. {@code baseUrl} is the template's own location, as
 * Backstage's {@code templateInfo.baseUrl}: the {@code file:} URI or http(s) blob URL of its
 * {@code template.yaml} (or a directory URL ending in {@code /}); {@code url} is relative to it
 * ({@code ./skeleton}) or absolute. Implementations must not follow symbolic links out of the source.
 */
public interface TemplateFiles {
  /**
   * Copies the file or directory tree at {@code url} into the empty directory {@code target}
   * (a directory source is copied as its contents; a file keeps its name).
   */
  void fetch(String baseUrl, String url, Path target) throws IOException;
}
