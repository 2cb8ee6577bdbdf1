package org.meshportal.templates;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * JSON Schema validation (draft-07, like Backstage's {@code jsonschema} library) turned into
 * Backstage's {@code ValidationError} objects. Remote {@code $ref}s are never fetched: template
 * authors must not make the server reach out to URLs. Unknown keywords ({@code ui:*}) are ignored.
 */
final class SchemaValidation {
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private final JsonSchemaFactory factory = JsonSchemaFactory.builder(JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7))
      .schemaLoaders(loaders -> loaders.values(List::clear))
      .build();
  private final SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().build();

  /** Errors of {@code instance} against {@code schema}; {@code root} names the instance ("instance", "secrets"). */
  ArrayNode validate(JsonNode schema, JsonNode instance, String root) {
    ArrayNode out = F.arrayNode();
    List<ValidationMessage> messages;
    try {
      messages = factory.getSchema(schema, config).validate(instance).stream()
          .sorted(Comparator.comparing(m -> m.getInstanceLocation().toString()))
          .toList();
    } catch (RuntimeException e) {
      out.add(error(root, F.arrayNode(), "schema", "schema is invalid: " + e.getMessage(), schema, instance, null));
      return out;
    }
    for (ValidationMessage m : messages) {
      ArrayNode path = F.arrayNode();
      StringBuilder property = new StringBuilder(root);
      var loc = m.getInstanceLocation();
      for (int i = 0; i < loc.getNameCount(); i++) {
        Object el = loc.getElement(i);
        if (el instanceof Integer idx) {
          path.add(idx);
          property.append('[').append(idx).append(']');
        } else {
          path.add(String.valueOf(el));
          property.append('.').append(el);
        }
      }
      Object[] args = m.getArguments() == null ? new Object[0] : m.getArguments();
      String keyword = m.getType();
      String argument = null;
      String message;
      switch (keyword) {
        case "required" -> {
          argument = m.getProperty() != null ? m.getProperty() : args.length > 0 ? String.valueOf(args[0]) : "";
          message = "secrets".equals(root) ? "secrets." + argument + " is required" : "requires property \"" + argument + "\"";
        }
        case "pattern" -> {
          argument = args.length > 0 ? String.valueOf(args[0]) : "";
          message = "does not match pattern \"" + argument + "\"";
        }
        case "type" -> {
          argument = args.length > 1 ? String.valueOf(args[1]) : "";
          message = "is not of a type(s) " + argument;
        }
        case "enum" -> {
          argument = args.length > 0 ? String.valueOf(args[0]) : "";
          message = "is not one of enum values: " + argument.replaceAll("[\\[\\]\"]", "");
        }
        case "minLength", "maxLength", "minimum", "maximum", "minItems", "maxItems" -> {
          argument = args.length > 0 ? String.valueOf(args[0]) : "";
          message = "does not meet " + (keyword.startsWith("min") ? "minimum" : "maximum")
              + (keyword.endsWith("Length") ? " length" : "") + " of " + argument;
        }
        default -> {
          argument = args.length > 0 ? Arrays.stream(args).map(String::valueOf).collect(Collectors.joining(",")) : null;
          String raw = m.getMessage();
          int colon = raw.indexOf(": ");
          message = raw.startsWith("$") && colon > 0 ? raw.substring(colon + 2) : raw;
        }
      }
      String prop = "secrets".equals(root) && "required".equals(keyword) ? "secrets." + argument : property.toString();
      out.add(error(prop, path, keyword, message, m.getSchemaNode(), m.getInstanceNode(), argument));
    }
    return out;
  }

  private static ObjectNode error(String property, ArrayNode path, String name, String message, JsonNode schema,
      JsonNode instance, String argument) {
    ObjectNode e = F.objectNode();
    e.set("path", path);
    e.put("property", property);
    e.put("message", message);
    e.set("schema", schema == null ? F.objectNode() : schema);
    e.set("instance", instance == null ? F.nullNode() : instance);
    e.put("name", name);
    if (argument != null) {
      e.put("argument", argument);
    }
    e.put("stack", property + " " + message);
    return e;
  }
}
