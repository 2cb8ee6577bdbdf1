package org.meshportal.templates;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Replaces every secret value by {@code ***} in text and JSON trees. Immutable. */
final class Redactor {
  static final String MASK = "***";
  private final List<String> secrets;

  Redactor(JsonNode secretValues) {
    Set<String> values = new TreeSet<>();
    collect(secretValues, values);
    // Longest first, so a secret that contains another is masked whole.
    this.secrets = values.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
  }

  private static void collect(JsonNode n, Set<String> out) {
    if (n == null || n.isNull()) {
      return;
    }
    if (n.isContainerNode()) {
      n.forEach(child -> collect(child, out));
    } else {
      String s = n.asText();
      if (!s.isBlank()) {
        out.add(s);
      }
    }
  }

  boolean isEmpty() {
    return secrets.isEmpty();
  }

  String redact(String text) {
    if (text == null) {
      return null;
    }
    String out = text;
    for (String s : secrets) {
      out = out.replace(s, MASK);
    }
    return out;
  }

  /** A redacted deep copy. */
  <T extends JsonNode> T redact(T node) {
    @SuppressWarnings("unchecked")
    T copy = (T) node.deepCopy();
    if (!secrets.isEmpty()) {
      redactInPlace(copy);
    }
    return copy;
  }

  private void redactInPlace(JsonNode node) {
    if (node instanceof ObjectNode obj) {
      Iterator<Map.Entry<String, JsonNode>> it = obj.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getValue().isTextual()) {
          e.setValue(TextNode.valueOf(redact(e.getValue().textValue())));
        } else {
          redactInPlace(e.getValue());
        }
      }
    } else if (node instanceof ArrayNode arr) {
      for (int i = 0; i < arr.size(); i++) {
        if (arr.get(i).isTextual()) {
          arr.set(i, TextNode.valueOf(redact(arr.get(i).textValue())));
        } else {
          redactInPlace(arr.get(i));
        }
      }
    }
  }
}
