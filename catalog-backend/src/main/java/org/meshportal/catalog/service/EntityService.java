package org.meshportal.catalog.service;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** Entity operations that go beyond reading the index. */
public interface EntityService {
  /** Re-reads the entity's source (and its location ancestors); an unknown ref is no error. */
  void refresh(String entityRef);

  /** Deletes the entity with this uid; unknown uids are ignored (Backstage answers 204 anyway). */
  void deleteByUid(String uid);

  /** @throws org.meshportal.model.errors.NotFoundException "No such entity <ref>" */
  Ancestry ancestry(String kind, String namespace, String name);

  /**
   * Validates an entity as if read from {@code locationRef} ({@code url:...}).
   *
   * @return errors as {@code {name, message}} objects; empty when valid
   */
  List<JsonNode> validate(JsonNode entity, String locationRef);

  /** {@code POST /analyze-location}; the body and result are Backstage's shapes. */
  JsonNode analyzeLocation(JsonNode request);

  /** Files and documents that failed to become entities, and entities with processing errors. */
  List<ProcessingError> processingErrors();
}
