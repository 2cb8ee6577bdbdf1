package org.meshportal.catalog.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.meshportal.model.errors.InputException;
import org.meshportal.model.query.EntityPredicate;

/**
 * Backstage's predicate queries ({@code @backstage/filter-predicates}): logical
 * {@code $all/$any/$not} nodes and field nodes whose values are primitives or one of
 * {@code $exists/$in/$hasPrefix/$contains}.
 */
final class PredicateParser {
  private PredicateParser() {}

  /** A missing or null query matches everything. */
  static EntityPredicate parse(JsonNode query) {
    if (query == null || query.isMissingNode() || query.isNull()) {
      return new EntityPredicate.MatchAll();
    }
    return parseNode(query, "query");
  }

  /** As {@link #parse}, rejecting field keys outside {@code allowedKeys} (case-insensitive). */
  static EntityPredicate parse(JsonNode query, Set<String> allowedKeys) {
    EntityPredicate predicate = parse(query);
    checkKeys(predicate, allowedKeys);
    return predicate;
  }

  private static EntityPredicate parseNode(JsonNode node, String at) {
    if (!node.isObject()) {
      throw invalid(at, "expected an object, got " + describe(node));
    }
    if (node.size() == 1) {
      String only = node.fieldNames().next();
      JsonNode value = node.get(only);
      switch (only) {
        case "$all":
          return EntityPredicate.all(parseList(value, at + ".$all", true));
        case "$any": {
          List<EntityPredicate> children = parseList(value, at + ".$any", false);
          return children.isEmpty() ? new EntityPredicate.MatchNone() : EntityPredicate.any(children);
        }
        case "$not":
          return new EntityPredicate.Not(parseNode(value, at + ".$not"));
        default:
          break;
      }
    }
    List<EntityPredicate> fields = new ArrayList<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = e.getKey();
      if (key.startsWith("$")) {
        throw invalid(at, "unknown operator '" + key + "'");
      }
      if (key.isEmpty()) {
        throw invalid(at, "empty field name");
      }
      fields.add(parseField(key, e.getValue(), at + "." + key));
    }
    return fields.isEmpty() ? new EntityPredicate.MatchAll() : EntityPredicate.all(fields);
  }

  private static List<EntityPredicate> parseList(JsonNode value, String at, boolean dropMatchAll) {
    if (!value.isArray()) {
      throw invalid(at, "expected an array, got " + describe(value));
    }
    List<EntityPredicate> children = new ArrayList<>();
    int i = 0;
    for (JsonNode child : value) {
      EntityPredicate p = parseNode(child, at + "[" + i++ + "]");
      // {} inside $all is "true" and adds nothing (the client sends {"$all":[{}, filter]})
      if (!(dropMatchAll && p instanceof EntityPredicate.MatchAll)) {
        children.add(p);
      }
    }
    return children.isEmpty() && dropMatchAll ? List.of(new EntityPredicate.MatchAll()) : children;
  }

  private static EntityPredicate parseField(String key, JsonNode value, String at) {
    if (isPrimitive(value)) {
      return new EntityPredicate.ValueIn(key, List.of(value.asText()));
    }
    if (!value.isObject() || value.size() != 1) {
      throw invalid(at, "expected a string, number, boolean or a single operator object, got " + describe(value));
    }
    String op = value.fieldNames().next();
    JsonNode arg = value.get(op);
    switch (op) {
      case "$exists":
        if (!arg.isBoolean()) {
          throw invalid(at, "$exists expects a boolean");
        }
        EntityPredicate.Exists exists = new EntityPredicate.Exists(key);
        return arg.booleanValue() ? exists : new EntityPredicate.Not(exists);
      case "$in":
        return new EntityPredicate.ValueIn(key, primitives(arg, at + ".$in"));
      case "$hasPrefix":
        if (!arg.isTextual()) {
          throw invalid(at, "$hasPrefix expects a string");
        }
        return new EntityPredicate.HasPrefix(key, arg.textValue());
      case "$contains":
        if (isPrimitive(arg)) {
          return new EntityPredicate.ValueIn(key, List.of(arg.asText()));
        }
        if (key.equals("relations") && arg.isObject()) {
          return parseRelationContains(arg, at + ".$contains");
        }
        throw invalid(at, "$contains expects a string, number or boolean");
      default:
        throw invalid(at, "unknown operator '" + op + "'");
    }
  }

  private static EntityPredicate parseRelationContains(JsonNode arg, String at) {
    JsonNode type = arg.get("type");
    if (type == null || !type.isTextual() || type.textValue().isEmpty()) {
      throw invalid(at, "relations $contains needs a string 'type'");
    }
    for (Iterator<String> names = arg.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!name.equals("type") && !name.equals("targetRef")) {
        throw invalid(at, "unknown key '" + name + "'");
      }
    }
    String key = "relations." + type.textValue();
    JsonNode target = arg.get("targetRef");
    if (target == null) {
      return new EntityPredicate.Exists(key);
    }
    if (target.isTextual()) {
      return new EntityPredicate.ValueIn(key, List.of(target.textValue()));
    }
    if (target.isObject() && target.size() == 1 && target.has("$in")) {
      List<String> refs = primitives(target.get("$in"), at + ".targetRef.$in");
      if (refs.isEmpty()) {
        throw invalid(at, "targetRef $in must not be empty");
      }
      return new EntityPredicate.ValueIn(key, refs);
    }
    throw invalid(at, "targetRef must be a string or {$in: [...]}");
  }

  private static List<String> primitives(JsonNode arg, String at) {
    if (!arg.isArray()) {
      throw invalid(at, "expected an array of strings, numbers or booleans");
    }
    List<String> values = new ArrayList<>();
    for (JsonNode v : arg) {
      if (!isPrimitive(v)) {
        throw invalid(at, "expected an array of strings, numbers or booleans");
      }
      values.add(v.asText());
    }
    return values;
  }

  private static boolean isPrimitive(JsonNode v) {
    return v.isTextual() || v.isNumber() || v.isBoolean();
  }

  private static String describe(JsonNode v) {
    return v.isNull() ? "null" : v.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
  }

  private static InputException invalid(String at, String reason) {
    return new InputException("Invalid filter predicate value at " + at + ": " + reason);
  }

  private static void checkKeys(EntityPredicate p, Set<String> allowed) {
    switch (p) {
      case EntityPredicate.All a -> a.children().forEach(c -> checkKeys(c, allowed));
      case EntityPredicate.Any a -> a.children().forEach(c -> checkKeys(c, allowed));
      case EntityPredicate.Not n -> checkKeys(n.child(), allowed);
      case EntityPredicate.ValueIn v -> checkKey(v.key(), allowed);
      case EntityPredicate.Exists e -> checkKey(e.key(), allowed);
      case EntityPredicate.HasPrefix h -> checkKey(h.key(), allowed);
      case EntityPredicate.ValueContains c -> c.keys().forEach(k -> checkKey(k, allowed));
      case EntityPredicate.MatchAll m -> {}
      case EntityPredicate.MatchNone m -> {}
    }
  }

  private static void checkKey(String key, Set<String> allowed) {
    if (!allowed.contains(key)) {
      throw new InputException("Invalid filter predicate: unknown field '" + key + "', expected one of " + allowed);
    }
  }
}
