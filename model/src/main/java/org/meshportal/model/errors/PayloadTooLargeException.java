package org.meshportal.model.errors;

/** A request larger than a configured limit: HTTP 413 {@code PayloadTooLargeError}, as Express names it. */
public final class PayloadTooLargeException extends PortalException {
  public PayloadTooLargeException(String message) {
    super(message);
  }

  @Override
  public String errorName() {
    return "PayloadTooLargeError";
  }
}
