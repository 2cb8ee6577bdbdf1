package org.meshportal.catalog.auth;

/**
 * A sign-in that failed with Backstage's plain {@code Error} (no HTTP status of its own): the
 * popup shows {@code {name: "Error", message}}, a refresh wraps it in a 401. Messages are shown to
 * the user and never carry tokens or secrets.
 */
public final class SignInException extends RuntimeException {
  public SignInException(String message) {
    super(message, null, false, false);
  }

  public String errorName() {
    return "Error";
  }
}
