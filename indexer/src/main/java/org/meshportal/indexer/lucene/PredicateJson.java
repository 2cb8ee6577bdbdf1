package org.meshportal.indexer.lucene;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.meshportal.model.query.EntityPredicate;

/** A compact JSON form of {@link EntityPredicate} for cursors (our own, not Backstage's syntax). */
final class PredicateJson {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private PredicateJson() {}

  static JsonNode write(EntityPredicate p) {
    ObjectNode o = NODES.objectNode();
    switch (p) {
      case EntityPredicate.MatchAll m -> o.put("op", "true");
      case EntityPredicate.MatchNone m -> o.put("op", "false");
      case EntityPredicate.All all -> writeChildren(o.put("op", "all"), all.children());
      case EntityPredicate.Any any -> writeChildren(o.put("op", "any"), any.children());
      case EntityPredicate.Not not -> o.put("op", "not").set("c", write(not.child()));
      case EntityPredicate.ValueIn in -> strings(o.put("op", "in").put("k", in.key()).putArray("v"), in.values());
      case EntityPredicate.Exists e -> o.put("op", "exists").put("k", e.key());
      case EntityPredicate.HasPrefix h -> o.put("op", "prefix").put("k", h.key()).put("v", h.prefix());
      case EntityPredicate.ValueContains c -> strings(o.put("op", "contains").put("v", c.term()).putArray("k"), c.keys());
    }
    return o;
  }

  /** @throws IllegalArgumentException when the JSON is not a predicate we wrote */
  static EntityPredicate read(JsonNode n) {
    if (n == null || !n.isObject()) {
      throw new IllegalArgumentException("filter is not an object");
    }
    String op = n.path("op").asText("");
    return switch (op) {
      case "true" -> new EntityPredicate.MatchAll();
      case "false" -> new EntityPredicate.MatchNone();
      case "all" -> new EntityPredicate.All(readChildren(n));
      case "any" -> new EntityPredicate.Any(readChildren(n));
      case "not" -> new EntityPredicate.Not(read(n.get("c")));
      case "in" -> new EntityPredicate.ValueIn(text(n, "k"), strings(n.get("v")));
      case "exists" -> new EntityPredicate.Exists(text(n, "k"));
      case "prefix" -> new EntityPredicate.HasPrefix(text(n, "k"), text(n, "v"));
      case "contains" -> new EntityPredicate.ValueContains(strings(n.get("k")), text(n, "v"));
      default -> throw new IllegalArgumentException("unknown filter operator '" + op + "'");
    };
  }

  private static void writeChildren(ObjectNode o, List<EntityPredicate> children) {
    ArrayNode arr = o.putArray("c");
    children.forEach(c -> arr.add(write(c)));
  }

  private static List<EntityPredicate> readChildren(JsonNode n) {
    JsonNode c = n.get("c");
    if (c == null || !c.isArray()) {
      throw new IllegalArgumentException("filter children are not a list");
    }
    List<EntityPredicate> out = new ArrayList<>();
    c.forEach(child -> out.add(read(child)));
    return out;
  }

  private static void strings(ArrayNode arr, List<String> values) {
    values.forEach(arr::add);
  }

  static List<String> strings(JsonNode n) {
    if (n == null || !n.isArray()) {
      throw new IllegalArgumentException("expected a list of strings");
    }
    List<String> out = new ArrayList<>();
    for (JsonNode v : n) {
      if (!v.isTextual()) {
        throw new IllegalArgumentException("expected a list of strings");
      }
      out.add(v.asText());
    }
    return out;
  }

  static String text(JsonNode n, String field) {
    JsonNode v = n.get(field);
    if (v == null || !v.isTextual()) {
      throw new IllegalArgumentException("missing text field '" + field + "'");
    }
    return v.asText();
  }
}
