package org.meshportal.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A few JSON-Schema keywords, checked by hand, with the error text Backstage's Ajv wrapper
 * produces ({@code <instancePath> <message> - <param>: <value>}). Only the first failure is
 * reported, as Backstage does. Each method throws {@link SchemaViolation} ({@code TypeError}).
 */
final class SchemaCheck {
  private SchemaCheck() {}

  /** JSON pointer of a child, escaped the way Ajv's instancePath is. */
  static String child(String path, String key) {
    return path + "/" + key.replace("~", "~0").replace("/", "~1");
  }

  static String child(String path, int index) {
    return path + "/" + index;
  }

  static JsonNode object(JsonNode parent, String path) {
    if (!parent.isObject()) {
      throw fail(path, "must be object", "type", "object");
    }
    return parent;
  }

  static void required(JsonNode object, String path, String... properties) {
    for (String p : properties) {
      if (!object.has(p)) {
        throw fail(path, "must have required property '" + p + "'", "missingProperty", p);
      }
    }
  }

  /** A string of at least one character, when present. */
  static void optionalString(JsonNode object, String path, String property) {
    JsonNode v = object.get(property);
    if (v != null) {
      nonEmptyString(v, child(path, property));
    }
  }

  /** A string (empty allowed), when present. */
  static void optionalAnyString(JsonNode object, String path, String property) {
    JsonNode v = object.get(property);
    if (v != null && !v.isTextual()) {
      throw fail(child(path, property), "must be string", "type", "string");
    }
  }

  static void nonEmptyString(JsonNode value, String path) {
    if (!value.isTextual()) {
      throw fail(path, "must be string", "type", "string");
    }
    if (value.asText().isEmpty()) {
      throw fail(path, "must NOT have fewer than 1 characters", "limit", "1");
    }
  }

  static void optionalObject(JsonNode object, String path, String property) {
    JsonNode v = object.get(property);
    if (v != null) {
      object(v, child(path, property));
    }
  }

  /** An array of non-empty strings, when present. */
  static void optionalStringArray(JsonNode object, String path, String property) {
    JsonNode v = object.get(property);
    if (v != null) {
      stringArray(v, child(path, property));
    }
  }

  static void stringArray(JsonNode value, String path) {
    array(value, path);
    for (int i = 0; i < value.size(); i++) {
      nonEmptyString(value.get(i), child(path, i));
    }
  }

  static void array(JsonNode value, String path) {
    if (!value.isArray()) {
      throw fail(path, "must be array", "type", "array");
    }
  }

  static void optionalEnum(JsonNode object, String path, String property, List<String> allowed) {
    JsonNode v = object.get(property);
    if (v != null && !(v.isTextual() && allowed.contains(v.asText()))) {
      throw fail(child(path, property), "must be equal to one of the allowed values",
          "allowedValues", String.join(",", allowed));
    }
  }

  static SchemaViolation fail(String path, String message, String param, String paramValue) {
    String where = path.isEmpty() ? "<root>" : path;
    return SchemaViolation.typeError(where + " " + message + " - " + param + ": " + paramValue);
  }
}
