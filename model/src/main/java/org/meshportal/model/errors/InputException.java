package org.meshportal.model.errors;

/** Backstage's {@code InputError}. */
public final class InputException extends PortalException {
  public InputException(String message) {
    super(message);
  }

  public InputException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public String errorName() {
    return "InputError";
  }
}
