package org.meshportal.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The relation table of Backstage's built-in kinds: which spec fields produce which relation
 * pairs. Kinds match case-sensitively, as Backstage's processors compare {@code entity.kind}.
 */
public final class RelationRules {
  public static final String OWNED_BY = "ownedBy";
  public static final String OWNER_OF = "ownerOf";
  public static final String PART_OF = "partOf";
  public static final String HAS_PART = "hasPart";
  public static final String PROVIDES_API = "providesApi";
  public static final String API_PROVIDED_BY = "apiProvidedBy";
  public static final String CONSUMES_API = "consumesApi";
  public static final String API_CONSUMED_BY = "apiConsumedBy";
  public static final String DEPENDS_ON = "dependsOn";
  public static final String DEPENDENCY_OF = "dependencyOf";
  public static final String MEMBER_OF = "memberOf";
  public static final String HAS_MEMBER = "hasMember";
  public static final String CHILD_OF = "childOf";
  public static final String PARENT_OF = "parentOf";

  private static final Map<String, String> REVERSE = Map.ofEntries(
      Map.entry(OWNED_BY, OWNER_OF), Map.entry(OWNER_OF, OWNED_BY),
      Map.entry(PART_OF, HAS_PART), Map.entry(HAS_PART, PART_OF),
      Map.entry(PROVIDES_API, API_PROVIDED_BY), Map.entry(API_PROVIDED_BY, PROVIDES_API),
      Map.entry(CONSUMES_API, API_CONSUMED_BY), Map.entry(API_CONSUMED_BY, CONSUMES_API),
      Map.entry(DEPENDS_ON, DEPENDENCY_OF), Map.entry(DEPENDENCY_OF, DEPENDS_ON),
      Map.entry(MEMBER_OF, HAS_MEMBER), Map.entry(HAS_MEMBER, MEMBER_OF),
      Map.entry(CHILD_OF, PARENT_OF), Map.entry(PARENT_OF, CHILD_OF));

  /** One row of the table: a spec field, the default kind of its refs (null = must be written), the forward type. */
  private record Rule(String field, String defaultKind, String forward) {}

  private static final Rule OWNER = new Rule("owner", "Group", OWNED_BY);
  private static final Rule SYSTEM = new Rule("system", "System", PART_OF);
  private static final Rule DEPENDS = new Rule("dependsOn", null, DEPENDS_ON);
  private static final Rule DEPENDENCY = new Rule("dependencyOf", null, DEPENDENCY_OF);

  private static final Map<String, List<Rule>> RULES = Map.of(
      "Component", List.of(OWNER,
          new Rule("subcomponentOf", "Component", PART_OF),
          new Rule("providesApis", "API", PROVIDES_API),
          new Rule("consumesApis", "API", CONSUMES_API),
          DEPENDS, DEPENDENCY, SYSTEM),
      "API", List.of(OWNER, SYSTEM),
      "Resource", List.of(OWNER, DEPENDS, DEPENDENCY, SYSTEM),
      "System", List.of(OWNER, new Rule("domain", "Domain", PART_OF)),
      "Domain", List.of(OWNER, new Rule("subdomainOf", "Domain", PART_OF)),
      "User", List.of(new Rule("memberOf", "Group", MEMBER_OF)),
      "Group", List.of(
          new Rule("parent", "Group", CHILD_OF),
          new Rule("children", "Group", PARENT_OF),
          new Rule("members", "User", HAS_MEMBER)),
      "Template", List.of(OWNER));

  private RelationRules() {}

  /** A relation pair: {@code forward} is stored on {@code source}, {@code reverse} on the target. */
  public record Edge(String source, String forward, String target, String reverse) {}

  /**
   * The forward relations an entity declares through its spec, with their reverse types. Refs are
   * resolved with the field's default kind and the entity's namespace and returned canonical.
   * Edges come in table order, then in the order the spec lists them; duplicates are kept (the
   * stitcher de-duplicates).
   *
   * @throws IllegalArgumentException naming the field when a ref is malformed (e.g. a
   *     {@code dependsOn} entry without a kind)
   */
  public static List<Edge> edges(JsonNode entity) {
    List<Rule> rules = RULES.get(Entities.kind(entity));
    if (rules == null) {
      return List.of();
    }
    String source = Entities.ref(entity).canonical();
    String namespace = Entities.namespace(entity);
    JsonNode spec = entity.path("spec");
    List<Edge> edges = new ArrayList<>();
    for (Rule rule : rules) {
      JsonNode value = spec.get(rule.field());
      if (value == null || value.isNull()) {
        continue;
      }
      if (value.isArray()) {
        for (int i = 0; i < value.size(); i++) {
          edges.add(edge(source, rule, value.get(i), "spec." + rule.field() + "[" + i + "]", namespace));
        }
      } else {
        edges.add(edge(source, rule, value, "spec." + rule.field(), namespace));
      }
    }
    return edges;
  }

  /** The type stored on the target for a forward type, e.g. {@code ownedBy} → {@code ownerOf}. */
  public static String reverseOf(String type) {
    String reverse = REVERSE.get(type);
    if (reverse == null) {
      throw new IllegalArgumentException("Unknown relation type \"" + type + "\"");
    }
    return reverse;
  }

  private static Edge edge(String source, Rule rule, JsonNode ref, String field, String namespace) {
    if (!ref.isTextual()) {
      throw new IllegalArgumentException("Invalid entity reference in " + field + ": expected a string but found " + ref);
    }
    EntityRef target;
    try {
      target = EntityRef.parse(ref.asText(), rule.defaultKind(), namespace);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("Invalid entity reference in " + field + ": " + e.getMessage(), e);
    }
    return new Edge(source, rule.forward(), target.canonical(), REVERSE.get(rule.forward()));
  }
}
