package org.meshportal.catalog.scaffolder;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import org.meshportal.model.errors.InputException;
import org.meshportal.templates.LocalTemplateFiles;
import org.meshportal.templates.TemplateFiles;

/**
 * Template files next to the template: {@code file:} sources are copied from disk. Templates
 * registered from {@code url:} locations cannot be read yet; they fail with a message saying so.
 */
public final class CatalogTemplateFiles implements TemplateFiles {
  private final TemplateFiles local = new LocalTemplateFiles();

  @Override
  public void fetch(String baseUrl, String url, Path target) throws IOException {
    String scheme = scheme(url);
    if (scheme == null && baseUrl != null) {
      scheme = scheme(baseUrl);
    }
    if (scheme == null || scheme.equals("file")) {
      local.fetch(baseUrl, url, target);
      return;
    }
    throw new InputException("Cannot fetch " + url + " (template base " + baseUrl + "): reading template files from "
        + scheme + " URLs is not supported yet; register the template from a file location");
  }

  private static String scheme(String url) {
    try {
      return URI.create(url).getScheme();
    } catch (IllegalArgumentException e) {
      throw new InputException("Invalid URL " + url + ": " + e.getMessage());
    }
  }
}
