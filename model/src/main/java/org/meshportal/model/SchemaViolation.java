package org.meshportal.model;

/**
 * The first problem found by a validation stage. Carries the JavaScript error class name Backstage
 * would print in front of the message ({@code TypeError} for schema checks, {@code Error} for
 * field-format and root-field policies), because Backstage's wrapped messages include it.
 */
final class SchemaViolation extends RuntimeException {
  private final String jsErrorName;

  SchemaViolation(String jsErrorName, String message) {
    super(message, null, false, false);
    this.jsErrorName = jsErrorName;
  }

  static SchemaViolation typeError(String message) {
    return new SchemaViolation("TypeError", message);
  }

  static SchemaViolation error(String message) {
    return new SchemaViolation("Error", message);
  }

  /** {@code TypeError: <message>}, the way Backstage stringifies a cause. */
  String asCause() {
    return jsErrorName + ": " + getMessage();
  }
}
