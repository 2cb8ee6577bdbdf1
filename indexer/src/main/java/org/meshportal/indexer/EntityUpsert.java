package org.meshportal.indexer;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * A final (stitched) entity to index, with its JSON (UTF-8) as the caller already serialised it
 * for the store, so the index need not serialise it again; null {@code json} leaves that to the
 * index. The index never modifies either.
 */
public record EntityUpsert(JsonNode entity, byte[] json) {
  public EntityUpsert {
    Objects.requireNonNull(entity, "entity");
  }
}
