package org.meshportal.templates.action;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;

/**
 * One scaffolder step kind ({@code fetch:template}, {@code publish:git}, ...). Implementations take
 * their collaborators through the constructor and must be thread-safe: one instance serves every task.
 * The engine validates the rendered input against {@link #inputSchema()} before calling
 * {@link #execute}; a thrown exception fails the step with its message.
 */
public interface TemplateAction {
  String id();

  String description();

  /** JSON Schema of the input object. */
  JsonNode inputSchema();

  /** JSON Schema of the outputs; also the source of dry-run placeholder outputs. */
  JsonNode outputSchema();

  /** {@code [{description, example}]} shown by {@code GET /v2/actions}. */
  default ArrayNode examples() {
    return JsonNodeFactory.instance.arrayNode();
  }

  /** Actions without side effects outside the workspace run in dry-run; others are skipped. */
  default boolean supportsDryRun() {
    return false;
  }

  void execute(ActionContext ctx) throws Exception;
}
