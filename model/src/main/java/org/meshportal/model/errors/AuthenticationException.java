package org.meshportal.model.errors;

/** Backstage's {@code AuthenticationError}. */
public final class AuthenticationException extends PortalException {
  public AuthenticationException(String message) {
    super(message);
  }

  public AuthenticationException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public String errorName() {
    return "AuthenticationError";
  }
}
