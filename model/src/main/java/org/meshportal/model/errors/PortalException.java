package org.meshportal.model.errors;

/**
 * Base of every domain error. {@link #errorName()} is the Backstage error name clients see
 * ({@code InputError}, {@code NotFoundError}, ...); the HTTP layer maps it to a status in one place.
 * Messages are shown to API callers, so they must never carry secrets, stack traces or file system
 * paths of the server.
 */
public abstract sealed class PortalException extends RuntimeException
    permits InputException, NotFoundException, ConflictException, NotAllowedException,
        AuthenticationException, ServiceUnavailableException, PayloadTooLargeException {

  protected PortalException(String message) {
    super(message, null, false, false);
  }

  protected PortalException(String message, Throwable cause) {
    super(message, cause, false, false);
  }

  public abstract String errorName();
}
