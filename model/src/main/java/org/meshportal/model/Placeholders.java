package org.meshportal.model;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.meshportal.model.errors.InputException;

/**
 * Substitutes Backstage's placeholders in an entity tree: an object whose only key is
 * {@code $text}, {@code $json} or {@code $yaml} with a string value becomes the referenced file's
 * text, parsed JSON or parsed YAML (first document). Like Backstage, objects with another
 * {@code $}-key or a non-string value (JSON Schema's {@code $ref}, for example) are left alone, and
 * substituted content is not searched for further placeholders.
 *
 * <p>Stateless and thread-safe; all I/O goes through the caller's {@link FileReader}.
 */
public final class Placeholders {
  private static final ObjectReader JSON = new ObjectMapper()
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .reader();

  private Placeholders() {}

  /**
   * Reads the file a placeholder refers to. The caller resolves {@code ref} (relative to the
   * entity's location) and reads it; a missing file should throw with a clear reason.
   */
  @FunctionalInterface
  public interface FileReader {
    byte[] read(String ref) throws Exception;
  }

  /**
   * Whether any object key in the tree starts with {@code $}. Substitution copies the whole tree,
   * and most documents have no such key, so callers check this first.
   */
  public static boolean mayContain(JsonNode node) {
    if (node.isObject()) {
      for (var e : node.properties()) {
        if (e.getKey().startsWith("$") || mayContain(e.getValue())) {
          return true;
        }
      }
    } else if (node.isArray()) {
      for (JsonNode item : node) {
        if (mayContain(item)) {
          return true;
        }
      }
    }
    return false;
  }

  /** {@link #substitute(JsonNode, FileReader, YamlDocuments.Limits)} with the default YAML limits. */
  public static JsonNode substitute(JsonNode tree, FileReader reader) {
    return substitute(tree, reader, YamlDocuments.Limits.ofMaxBytes(YamlDocuments.DEFAULT_MAX_BYTES));
  }

  /**
   * Returns a copy of {@code tree} with every placeholder replaced; {@code tree} is not changed.
   *
   * @throws InputException naming the placeholder and the reference when a file cannot be read or
   *     parsed
   */
  public static JsonNode substitute(JsonNode tree, FileReader reader, YamlDocuments.Limits yamlLimits) {
    return walk(tree, reader, yamlLimits);
  }

  private static JsonNode walk(JsonNode node, FileReader reader, YamlDocuments.Limits limits) {
    if (node.isArray()) {
      ArrayNode out = JsonNodeFactory.instance.arrayNode(node.size());
      for (JsonNode item : node) {
        out.add(walk(item, reader, limits));
      }
      return out;
    }
    if (!node.isObject()) {
      return node.deepCopy();
    }
    if (node.size() == 1) {
      Map.Entry<String, JsonNode> only = node.properties().iterator().next();
      String key = only.getKey();
      if (key.startsWith("$") && only.getValue().isTextual()) {
        JsonNode resolved = resolve(key, only.getValue().asText(), reader, limits);
        if (resolved != null) {
          return resolved;
        }
      }
    }
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      out.set(e.getKey(), walk(e.getValue(), reader, limits));
    }
    return out;
  }

  /** The replacement, or null when the key names no known placeholder. */
  private static JsonNode resolve(String key, String ref, FileReader reader, YamlDocuments.Limits limits) {
    if (!key.equals("$text") && !key.equals("$json") && !key.equals("$yaml")) {
      return null;
    }
    byte[] content;
    try {
      content = reader.read(ref);
    } catch (Exception e) {
      throw new InputException("Placeholder " + key + " could not read location " + ref + ", " + reason(e), e);
    }
    if (content == null) {
      throw new InputException("Placeholder " + key + " could not read location " + ref + ", no content");
    }
    switch (key) {
      case "$text" -> {
        return JsonNodeFactory.instance.textNode(new String(content, StandardCharsets.UTF_8));
      }
      case "$json" -> {
        try {
          return JSON.readTree(content);
        } catch (IOException e) {
          throw new InputException("Placeholder $json failed to parse JSON data at " + ref + ", "
              + originalMessage(e), e);
        }
      }
      default -> {
        try {
          return YamlDocuments.parseFirst(content, limits);
        } catch (IllegalArgumentException e) {
          throw new InputException("Placeholder $yaml failed to parse YAML data at " + ref + ", " + e.getMessage(), e);
        }
      }
    }
  }

  /** Jackson's message without its source excerpt, which may be long. */
  private static String originalMessage(IOException e) {
    if (e instanceof com.fasterxml.jackson.core.JsonProcessingException j) {
      String where = j.getLocation() == null ? ""
          : " at line " + j.getLocation().getLineNr() + ", column " + j.getLocation().getColumnNr();
      return j.getOriginalMessage() + where;
    }
    return reason(e);
  }

  private static String reason(Exception e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }
}
