package org.meshportal.catalog.processing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.meshportal.model.Entities;
import org.meshportal.model.EntityRef;
import org.meshportal.model.RelationRules;

/**
 * Relations a provider hands in on an entity's {@code relations} array (outgoing only, as
 * {@code {type, targetRef}}), for edges no spec field declares. Backstage ignores {@code relations}
 * on input; providers of this backend use it to add edges such as a Group's {@code consumesApi}.
 */
final class ProviderRelations {
  private ProviderRelations() {}

  /**
   * Removes {@code relations} from the entity and returns them as forward edges.
   *
   * @throws IllegalArgumentException for a malformed item or a relation type without a known reverse
   */
  static List<RelationRules.Edge> take(ObjectNode entity) {
    JsonNode relations = entity.remove("relations");
    if (relations == null || relations.isNull()) {
      return List.of();
    }
    if (!relations.isArray()) {
      throw new IllegalArgumentException("Provider relations must be an array");
    }
    String source = Entities.ref(entity).canonical();
    List<RelationRules.Edge> edges = new ArrayList<>(relations.size());
    for (JsonNode r : relations) {
      String type = r.path("type").asText("");
      String target = r.path("targetRef").asText("");
      if (type.isEmpty() || target.isEmpty()) {
        throw new IllegalArgumentException("Provider relation of " + source + " needs a type and a targetRef");
      }
      String canonical = EntityRef.parse(target).canonical();
      edges.add(new RelationRules.Edge(source, type, canonical, RelationRules.reverseOf(type)));
    }
    return List.copyOf(edges);
  }
}
