package org.meshportal.model.errors;

/** Backstage's {@code NotAllowedError}. */
public final class NotAllowedException extends PortalException {
  public NotAllowedException(String message) {
    super(message);
  }

  public NotAllowedException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public String errorName() {
    return "NotAllowedError";
  }
}
