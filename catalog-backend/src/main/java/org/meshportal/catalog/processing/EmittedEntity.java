package org.meshportal.catalog.processing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.meshportal.model.RelationRules;

/**
 * An entity a source produced, validated and normalized but not stitched.
 *
 * @param ref canonical ref
 * @param parents canonical refs of the entities whose processing emitted it (empty for roots)
 * @param file location ref of the file it came from, or null (providers)
 * @param extraEdges forward relations a provider supplies beyond those the spec declares (e.g.
 *     Platform Mesh bindings); stored and reversed like spec relations
 */
record EmittedEntity(
    ObjectNode entity, String ref, List<String> parents, String file, List<RelationRules.Edge> extraEdges) {

  EmittedEntity(ObjectNode entity, String ref, List<String> parents, String file) {
    this(entity, ref, parents, file, List.of());
  }
}
