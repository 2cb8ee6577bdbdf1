package org.meshportal.catalog.http;

import java.util.Map;
import org.meshportal.openapi.OpenApiDocuments;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** The OpenAPI documents converted to JSON once, for {@code GET /api/<plugin>/openapi.json}. */
final class OpenApiSpecs {
  private OpenApiSpecs() {}

  /** The document for {@code id} as JSON bytes. */
  static byte[] json(String id, Json json) {
    Object tree = new Load(LoadSettings.builder().build()).loadFromString(OpenApiDocuments.yaml(id));
    if (!(tree instanceof Map<?, ?>)) {
      throw new IllegalStateException("OpenAPI document " + id + ".yaml is not a YAML mapping");
    }
    return json.bytes(tree);
  }
}
