package org.meshportal.catalog.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.meshportal.model.errors.AuthenticationException;

/**
 * Backstage's default auth policy for plugin routes: a valid user token or static access token
 * is required unless the policy is disabled. Thread-safe.
 */
public final class Authenticator {
  private static final Pattern BEARER = Pattern.compile("^Bearer[ ]+(\\S+)$", Pattern.CASE_INSENSITIVE);

  private final UserTokens userTokens;
  private final List<AuthSettings.StaticToken> staticTokens;
  private final boolean allowAnonymous;

  public Authenticator(AuthSettings settings, UserTokens userTokens) {
    this.userTokens = userTokens;
    this.staticTokens = settings.staticTokens();
    this.allowAnonymous = settings.dangerouslyDisableDefaultAuthPolicy();
  }

  /**
   * @param authorizationHeader the {@code Authorization} header value, or null when absent
   * @throws AuthenticationException {@code Missing credentials} or why the credentials are invalid
   */
  public Principal authenticate(String authorizationHeader) {
    if (authorizationHeader == null || authorizationHeader.isBlank()) {
      if (allowAnonymous) {
        return new Principal.None();
      }
      throw new AuthenticationException("Missing credentials");
    }
    Matcher m = BEARER.matcher(authorizationHeader.trim());
    if (!m.matches()) {
      throw new AuthenticationException("Invalid authorization header, expected a bearer token");
    }
    String token = m.group(1);
    byte[] presented = token.getBytes(StandardCharsets.UTF_8);
    for (AuthSettings.StaticToken candidate : staticTokens) {
      if (MessageDigest.isEqual(presented, candidate.token().getBytes(StandardCharsets.UTF_8))) {
        return new Principal.Service(candidate.subject());
      }
    }
    return userTokens.verify(token);
  }
}
