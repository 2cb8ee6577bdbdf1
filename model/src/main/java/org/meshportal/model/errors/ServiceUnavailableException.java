package org.meshportal.model.errors;

/** Backstage's {@code ServiceUnavailableError}. */
public final class ServiceUnavailableException extends PortalException {
  public ServiceUnavailableException(String message) {
    super(message);
  }

  public ServiceUnavailableException(String message, Throwable cause) {
    super(message, cause);
  }

  @Override
  public String errorName() {
    return "ServiceUnavailableError";
  }
}
