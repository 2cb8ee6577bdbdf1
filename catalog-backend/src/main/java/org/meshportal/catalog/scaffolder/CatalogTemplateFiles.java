package org.meshportal.catalog.scaffolder;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;
import org.meshportal.catalog.access.AccessPolicy;
import org.meshportal.model.errors.InputException;
import org.meshportal.templates.LocalTemplateFiles;
import org.meshportal.templates.TemplateFiles;

/**
 * Template files next to the template, read through the server's {@link AccessPolicy}: a
 * {@code file:} source must lie below a readable directory (a dry run: below the files it was
 * sent, nothing else). URL sources are judged by the policy first; reading template files from
 * URLs is not supported yet, so an allowed one still fails with a message saying so.
 */
public final class CatalogTemplateFiles implements TemplateFiles {
  private final AccessPolicy access;

  public CatalogTemplateFiles(AccessPolicy access) {
    this.access = Objects.requireNonNull(access, "access");
  }

  @Override
  public void fetch(String baseUrl, String url, Path target, boolean confinedToBase) throws IOException {
    URI resolved = LocalTemplateFiles.resolve(baseUrl, url);
    String scheme = resolved.getScheme();
    if (scheme == null) {
      throw new InputException("Cannot fetch " + url + ": it resolves to " + resolved + ", which is not a URL");
    }
    if (scheme.equals("file")) {
      Path source = Path.of(resolved).normalize();
      if (confinedToBase) {
        Path base = LocalTemplateFiles.baseDirectory(baseUrl);
        if (base == null) {
          throw new InputException("Cannot fetch " + url + ": the template has no local directory to read from");
        }
        AccessPolicy.checkFileReadWithin(source, base);
      } else {
        access.checkFileRead(source);
      }
      LocalTemplateFiles.copy(source, url, target);
      return;
    }
    access.checkUrlRead(resolved.toString());
    throw new InputException("Cannot fetch " + url + " (template base " + baseUrl + "): reading template files from "
        + scheme + " URLs is not supported yet; register the template from a file location");
  }
}
