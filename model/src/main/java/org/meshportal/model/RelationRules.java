package org.meshportal.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The relation table of Backstage's built-in kinds: which spec fields produce which relation
 * pairs. Implemented in this module.
 */
public final class RelationRules {
  private RelationRules() {}

  /** A relation pair: {@code forward} is stored on {@code source}, {@code reverse} on the target. */
  public record Edge(String source, String forward, String target, String reverse) {}

  /**
   * The forward relations an entity declares through its spec, with their reverse types. Refs are
   * resolved with the field's default kind and the entity's namespace and returned canonical.
   *
   * @throws IllegalArgumentException naming the field when a ref is malformed (e.g. a
   *     {@code dependsOn} entry without a kind)
   */
  public static List<Edge> edges(JsonNode entity) {
    throw new UnsupportedOperationException("not implemented yet");
  }
}
