package org.meshportal.catalog.permission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Backstage's permission criteria: exactly one of {@code {allOf:[…]}}, {@code {anyOf:[…]}},
 * {@code {not: …}} or a rule leaf {@code {rule, resourceType, params}}.
 */
public sealed interface Condition {
  record AllOf(List<Condition> children) implements Condition {
    public AllOf {
      children = List.copyOf(children);
    }
  }

  record AnyOf(List<Condition> children) implements Condition {
    public AnyOf {
      children = List.copyOf(children);
    }
  }

  record Not(Condition child) implements Condition {}

  /** @param params rule parameters; values are JSON primitives or arrays of primitives */
  record Rule(String rule, String resourceType, Map<String, JsonNode> params) implements Condition {
    public Rule {
      Objects.requireNonNull(rule, "rule");
      params = params == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    /** A string parameter, or null when absent or not a string. */
    public String string(String name) {
      JsonNode v = params.get(name);
      return v != null && v.isValueNode() && !v.isNull() ? v.asText() : null;
    }

    /** A string-array parameter (a scalar counts as a one-element list); empty when absent. */
    public List<String> strings(String name) {
      JsonNode v = params.get(name);
      List<String> out = new ArrayList<>();
      if (v == null || v.isNull()) {
        return out;
      }
      if (v.isArray()) {
        v.forEach(item -> out.add(item.asText()));
      } else {
        out.add(v.asText());
      }
      return out;
    }
  }

  /**
   * Parses a criteria tree.
   *
   * @throws IllegalArgumentException naming what is wrong, e.g. a node mixing {@code allOf} and {@code rule}
   */
  static Condition parse(JsonNode node) {
    if (node == null || !node.isObject()) {
      throw new IllegalArgumentException("a condition must be an object");
    }
    int kinds = (node.has("allOf") ? 1 : 0) + (node.has("anyOf") ? 1 : 0) + (node.has("not") ? 1 : 0)
        + (node.has("rule") ? 1 : 0);
    if (kinds != 1) {
      throw new IllegalArgumentException(kinds == 0
          ? "a condition needs one of allOf, anyOf, not or rule"
          : "a condition may not mix allOf, anyOf, not and rule at the same level");
    }
    if (node.has("allOf") || node.has("anyOf")) {
      String key = node.has("allOf") ? "allOf" : "anyOf";
      JsonNode list = node.get(key);
      if (!list.isArray() || list.isEmpty()) {
        throw new IllegalArgumentException(key + " must be a non-empty list");
      }
      List<Condition> children = new ArrayList<>();
      list.forEach(c -> children.add(parse(c)));
      return key.equals("allOf") ? new AllOf(children) : new AnyOf(children);
    }
    if (node.has("not")) {
      return new Not(parse(node.get("not")));
    }
    JsonNode rule = node.get("rule");
    JsonNode resourceType = node.get("resourceType");
    if (!rule.isTextual() || resourceType == null || !resourceType.isTextual()) {
      throw new IllegalArgumentException("a rule condition needs a string rule and resourceType");
    }
    Map<String, JsonNode> params = new LinkedHashMap<>();
    JsonNode p = node.get("params");
    if (p != null && !p.isNull()) {
      if (!p.isObject()) {
        throw new IllegalArgumentException("params of rule " + rule.textValue() + " must be an object");
      }
      Iterator<Map.Entry<String, JsonNode>> it = p.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        params.put(e.getKey(), e.getValue());
      }
    }
    return new Rule(rule.textValue(), resourceType.textValue(), params);
  }

  /** The wire form of Backstage's conditional decisions. */
  default JsonNode toJson() {
    JsonNodeFactory f = JsonNodeFactory.instance;
    return switch (this) {
      case AllOf all -> {
        ObjectNode o = f.objectNode();
        all.children().forEach(c -> o.withArray("allOf").add(c.toJson()));
        yield o;
      }
      case AnyOf any -> {
        ObjectNode o = f.objectNode();
        any.children().forEach(c -> o.withArray("anyOf").add(c.toJson()));
        yield o;
      }
      case Not not -> f.objectNode().set("not", not.child().toJson());
      case Rule r -> {
        ObjectNode o = f.objectNode().put("rule", r.rule()).put("resourceType", r.resourceType());
        ObjectNode params = o.putObject("params");
        r.params().forEach(params::set);
        yield o;
      }
    };
  }
}
