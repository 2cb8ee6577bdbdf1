package org.meshportal.catalog.processing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * An entity a source produced, validated and normalized but not stitched.
 *
 * @param ref canonical ref
 * @param parents canonical refs of the entities whose processing emitted it (empty for roots)
 * @param file location ref of the file it came from, or null (providers)
 */
record EmittedEntity(ObjectNode entity, String ref, List<String> parents, String file) {}
