package org.meshportal.openapi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The OpenAPI 3.1 documents (YAML) of every HTTP surface the server publishes, one per Backstage
 * plugin plus {@code health} for the root probes. Paths inside a plugin document are relative to
 * {@code /api/<plugin>}; the health document's paths are absolute.
 *
 * <p>To document a new plugin, add {@code <plugin>.yaml} next to this class and its id to
 * {@link #PLUGINS}.
 */
public final class OpenApiDocuments {
  /** Plugins served under {@code /api/<id>}, each with a document {@code <id>.yaml}. */
  public static final List<String> PLUGINS = List.of("catalog", "search", "auth", "permission", "scaffolder", "git-sync");

  /** The document for the root health routes. */
  public static final String HEALTH = "health";

  private OpenApiDocuments() {}

  /** The YAML text of {@code <id>.yaml}. */
  public static String yaml(String id) {
    try (InputStream in = OpenApiDocuments.class.getResourceAsStream(id + ".yaml")) {
      if (in == null) {
        throw new IllegalArgumentException("No OpenAPI document for '" + id + "'");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the OpenAPI document " + id + ".yaml", e);
    }
  }
}
