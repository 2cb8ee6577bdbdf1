package org.meshportal.model.errors;

/** Backstage's {@code NotFoundError}. */
public final class NotFoundException extends PortalException {
  public NotFoundException(String message) {
    super(message);
  }

  public NotFoundException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public String errorName() {
    return "NotFoundError";
  }
}
