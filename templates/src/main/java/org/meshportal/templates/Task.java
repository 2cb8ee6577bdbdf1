package org.meshportal.templates;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Backstage's {@code SerializedTask}; serialises to the exact wire shape. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Task(String id, ObjectNode spec, String status, String createdAt, String lastHeartbeatAt,
    String createdBy) {}
