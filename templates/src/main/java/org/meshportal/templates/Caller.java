package org.meshportal.templates;

/**
 * Who starts a task: the user entity ref (null for service callers) and the caller's token, which
 * actions see as {@code secrets.backstageToken} and which is never stored.
 */
public record Caller(String userEntityRef, String token) {
  public static final Caller ANONYMOUS = new Caller(null, null);
}
