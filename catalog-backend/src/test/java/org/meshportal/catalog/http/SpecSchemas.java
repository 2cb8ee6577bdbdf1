package org.meshportal.catalog.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.util.Locale;
import java.util.Set;
import org.meshportal.openapi.OpenApiDocuments;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** Validates responses against the response schemas of the OpenAPI documents. */
final class SpecSchemas {
  private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);

  private SpecSchemas() {}

  static JsonNode document(String id) {
    Object tree = new Load(LoadSettings.builder().build()).loadFromString(OpenApiDocuments.yaml(id));
    return TestServer.MAPPER.valueToTree(tree);
  }

  /**
   * Asserts that {@code response} matches the documented response of {@code plugin}'s operation
   * {@code method pathTemplate} (path relative to the plugin) for its status, or the default one.
   */
  static void assertMatches(String plugin, String method, String pathTemplate, TestServer.Response response) {
    JsonNode doc = document(plugin);
    JsonNode operation = doc.path("paths").path(pathTemplate).path(method.toLowerCase(Locale.ROOT));
    assertTrue(operation.isObject(), "no spec operation " + method + " " + pathTemplate + " in " + plugin);
    JsonNode responses = operation.path("responses");
    JsonNode documented = responses.get(Integer.toString(response.status()));
    if (documented == null) {
      documented = responses.get("default");
    }
    assertNotNull(documented, "status " + response.status() + " not documented for " + method + " " + pathTemplate);
    if (documented.has("$ref")) {
      documented = doc.at(documented.get("$ref").asText().substring(1));
    }
    JsonNode schemaNode = documented.path("content").path("application/json").path("schema");
    if (schemaNode.isMissingNode()) {
      assertEquals("", response.body(), "documented without a body");
      return;
    }
    assertTrue(response.header("content-type").startsWith("application/json"), response.header("content-type"));
    ObjectNode wrapper = schemaNode.deepCopy();
    wrapper.put("$schema", "https://json-schema.org/draft/2020-12/schema");
    wrapper.set("components", doc.path("components"));
    JsonSchema schema = FACTORY.getSchema(wrapper);
    Set<ValidationMessage> errors = schema.validate(response.json());
    assertTrue(errors.isEmpty(), method + " " + pathTemplate + " " + response.status() + ": " + errors + "\n" + response.body());
  }
}
