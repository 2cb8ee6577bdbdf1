package org.meshportal.templates;

import com.fasterxml.jackson.databind.node.ArrayNode;

/**
 * Values or secrets did not match the template's schemas. The HTTP layer answers 400 with
 * {@code {"errors": errors()}} (Backstage's shape for this case, not the usual error envelope).
 */
public final class TaskValidationException extends RuntimeException {
  private final ArrayNode errors;

  public TaskValidationException(ArrayNode errors) {
    super("Parameter validation failed: " + errors.size() + " error(s)", null, false, false);
    this.errors = errors;
  }

  /** {@code [{path, property, message, schema, instance, name, argument, stack}]}. */
  public ArrayNode errors() {
    return errors.deepCopy();
  }
}
