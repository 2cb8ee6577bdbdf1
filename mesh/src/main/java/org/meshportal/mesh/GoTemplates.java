package org.meshportal.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Unquoted Go-template placeholders. Real manifests (Account extensions, api-syncagent naming, Helm
 * values) hold {@code {{ .data.x }}}; quoted it is a string and stays one, but unquoted YAML reads it
 * as a flow mapping whose only key is another mapping, i.e. as data. Such a value is put back as the
 * placeholder's text and each one is named, so a document keeps its meaning instead of gaining a
 * nonsense object.
 */
final class GoTemplates {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int MAX_DEPTH = 64;

  private GoTemplates() {}

  /** Whether the bytes can hold a placeholder at all: most files do not, and are not walked. */
  static boolean mayHold(byte[] bytes) {
    for (int i = 0; i + 1 < bytes.length; i++) {
      if (bytes[i] == '{' && bytes[i + 1] == '{') {
        return true;
      }
    }
    return false;
  }

  /** Replaces unquoted placeholders in the document by their text; returns the JSON paths replaced. */
  static List<String> restore(ObjectNode document) {
    List<String> replaced = new ArrayList<>();
    walk(document, "", replaced, 0);
    return replaced;
  }

  private static void walk(JsonNode node, String path, List<String> replaced, int depth) {
    if (depth > MAX_DEPTH) {
      return;
    }
    if (node instanceof ObjectNode object) {
      for (Iterator<Map.Entry<String, JsonNode>> it = object.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> f = it.next();
        String text = placeholder(f.getValue());
        String at = path + "." + f.getKey();
        if (text != null) {
          f.setValue(TextNode.valueOf(text));
          replaced.add(at);
        } else {
          walk(f.getValue(), at, replaced, depth + 1);
        }
      }
    } else if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        String text = placeholder(array.get(i));
        if (text != null) {
          array.set(i, TextNode.valueOf(text));
          replaced.add(path + "[" + i + "]");
        } else {
          walk(array.get(i), path + "[" + i + "]", replaced, depth + 1);
        }
      }
    }
  }

  /**
   * The text of {@code {{ action }}} read as YAML: an object with one key, null-valued, that is the
   * JSON of an object with one null-valued key (the action). Null when the value is anything else.
   */
  static String placeholder(JsonNode value) {
    if (!(value instanceof ObjectNode outer) || outer.size() != 1) {
      return null;
    }
    Map.Entry<String, JsonNode> only = outer.fields().next();
    String key = only.getKey();
    if (!only.getValue().isNull() || !key.startsWith("{") || !key.endsWith("}")) {
      return null;
    }
    JsonNode inner;
    try {
      inner = JSON.readTree(key);
    } catch (java.io.IOException e) {
      return null;
    }
    if (!(inner instanceof ObjectNode in) || in.size() != 1) {
      return null;
    }
    Map.Entry<String, JsonNode> action = in.fields().next();
    return action.getValue().isNull() && !action.getKey().isBlank() ? "{{ " + action.getKey().strip() + " }}" : null;
  }
}
