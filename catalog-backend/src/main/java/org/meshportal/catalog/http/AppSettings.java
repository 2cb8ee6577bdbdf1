package org.meshportal.catalog.http;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A built Backstage frontend to serve at {@code /}.
 *
 * @param distDirectory {@code app.distDir}: the bundle's {@code dist} folder with {@code index.html}
 * @param appBaseUrl {@code app.baseUrl}, injected into the page's runtime config
 */
public record AppSettings(Path distDirectory, String appBaseUrl) {
  public AppSettings {
    Objects.requireNonNull(distDirectory, "app.distDir");
    Objects.requireNonNull(appBaseUrl, "app.baseUrl");
  }
}
