package org.meshportal.catalog.processing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** $text/$json/$yaml substitution, used until the model's Placeholders is wired in. */
final class InterimPlaceholders implements PlaceholderResolver {
  private final ObjectMapper json = new ObjectMapper();
  private final DocumentParser yaml;

  InterimPlaceholders(DocumentParser yaml) {
    this.yaml = yaml;
  }

  @Override
  public JsonNode resolve(JsonNode document, Reader reader) {
    return substitute(document, reader);
  }

  private JsonNode substitute(JsonNode node, Reader reader) {
    if (node instanceof ObjectNode o) {
      if (o.size() == 1) {
        Map.Entry<String, JsonNode> only = o.properties().iterator().next();
        String key = only.getKey();
        if (key.equals("$text") || key.equals("$json") || key.equals("$yaml")) {
          return replace(key, only.getValue(), reader);
        }
      }
      ObjectNode copy = JsonNodeFactory.instance.objectNode();
      o.properties().forEach(e -> copy.set(e.getKey(), substitute(e.getValue(), reader)));
      return copy;
    }
    if (node instanceof ArrayNode a) {
      ArrayNode copy = JsonNodeFactory.instance.arrayNode();
      a.forEach(item -> copy.add(substitute(item, reader)));
      return copy;
    }
    return node;
  }

  private JsonNode replace(String key, JsonNode target, Reader reader) {
    if (!target.isTextual()) {
      throw new IllegalArgumentException("Placeholder " + key + " must have a string value");
    }
    String text;
    try {
      text = reader.read(target.asText());
    } catch (IOException | RuntimeException e) {
      throw new IllegalArgumentException("Placeholder " + key + " could not read " + target.asText() + ", " + e.getMessage());
    }
    return switch (key) {
      case "$text" -> JsonNodeFactory.instance.textNode(text);
      case "$json" -> {
        try {
          yield json.readTree(text);
        } catch (JsonProcessingException e) {
          throw new IllegalArgumentException("Placeholder $json failed to parse JSON data at " + target.asText());
        }
      }
      default -> {
        List<DocumentParser.Document> docs = yaml.parse(text.getBytes(StandardCharsets.UTF_8));
        if (docs.size() != 1 || docs.get(0).error() != null) {
          throw new IllegalArgumentException("Placeholder $yaml failed to parse YAML data at " + target.asText());
        }
        yield docs.get(0).tree();
      }
    };
  }
}
