package org.meshportal.templates;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Optional;
import org.meshportal.model.EntityRef;

/**
 * The catalog as the scaffolder needs it; implemented by catalog-backend. Implementations must be
 * thread-safe (tasks run concurrently).
 */
public interface TemplateCatalog {
  /** The stitched entity for a ref (Templates, and the caller's User entity), if present. */
  Optional<JsonNode> findEntity(EntityRef ref);

  /** Entities for several refs, in order; missing ones are skipped. */
  default List<JsonNode> fetchEntities(List<EntityRef> refs) {
    return refs.stream().map(this::findEntity).flatMap(Optional::stream).toList();
  }

  /**
   * Registers a location ({@code type} is {@code url} or {@code file}) and returns the entities read
   * from it (what Backstage's {@code POST /locations?dryRun=true} reports). Duplicates are not an
   * error: an existing registration is refreshed.
   */
  List<JsonNode> registerLocation(String type, String target);
}
