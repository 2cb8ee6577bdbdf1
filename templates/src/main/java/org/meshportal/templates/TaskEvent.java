package org.meshportal.templates;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Backstage's {@code SerializedTaskEvent}: {@code type} is one of {@code log}, {@code completion},
 * {@code cancelled}, {@code recovered}; ids are monotonic across the whole backend.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskEvent(long id, String taskId, String type, ObjectNode body, String createdAt,
    @JsonProperty("isTaskRecoverable") Boolean isTaskRecoverable) {

  /** Not part of the wire shape: a helper, hidden from Jackson. */
  @JsonIgnore
  public boolean isCompletion() {
    return "completion".equals(type);
  }
}
