package org.meshportal.model.errors;

/** Backstage's {@code ConflictError}. */
public final class ConflictException extends PortalException {
  public ConflictException(String message) {
    super(message);
  }

  public ConflictException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public String errorName() {
    return "ConflictError";
  }
}
