package org.meshportal.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Set;

/**
 * Validation and normalisation of entities read from files, per Backstage's catalog-model:
 * the envelope, metadata (name, namespace, labels, annotations, tags, links), the built-in kinds
 * and their required spec fields, and the Template kind.
 *
 * <p>Contract (implemented in this module):
 * <ul>
 *   <li>{@link #validate} returns problems as Backstage-style messages (empty list = valid); it
 *       never throws for bad input;
 *   <li>{@link #normalize} fills {@code metadata.namespace} with {@code default} when missing and
 *       sorts the string arrays Backstage sorts (providesApis, consumesApis, dependsOn,
 *       dependencyOf, memberOf, children, members).
 * </ul>
 */
public final class EntityPolicy {
  private final Set<String> allowedKinds;

  /** @param allowedKinds kinds accepted from locations ({@code catalog.rules}); empty = all built-in kinds */
  public EntityPolicy(Set<String> allowedKinds) {
    this.allowedKinds = Set.copyOf(allowedKinds);
  }

  public Set<String> allowedKinds() {
    return allowedKinds;
  }

  /** One problem found in an entity: Backstage error name and message. */
  public record Problem(String name, String message) {}

  public List<Problem> validate(JsonNode entity) {
    throw new UnsupportedOperationException("not implemented yet");
  }

  public void normalize(ObjectNode entity) {
    throw new UnsupportedOperationException("not implemented yet");
  }
}
