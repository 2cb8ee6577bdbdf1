package org.meshportal.templates;

/**
 * Who starts a task: the user entity ref (null for service callers) and the caller's token, which
 * actions see as {@code secrets.backstageToken} and which is never stored.
 */
public record Caller(String userEntityRef, String token) {
  public static final Caller ANONYMOUS = new Caller(null, null);

  /** Never shows the token. */
  @Override
  public String toString() {
    return "Caller[userEntityRef=" + userEntityRef + ", token=" + (token == null ? "none" : "***") + "]";
  }
}
