package org.meshportal.catalog.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.meshportal.model.errors.AuthenticationException;
import org.meshportal.model.errors.NotAllowedException;

/**
 * Backstage's default auth policy for plugin routes: a valid user token or static access token
 * is required unless the policy is disabled. Thread-safe.
 */
public final class Authenticator {
  private static final Pattern BEARER = Pattern.compile("^Bearer[ ]+(\\S+)$", Pattern.CASE_INSENSITIVE);

  private final UserTokens userTokens;
  private final List<AuthSettings.StaticToken> staticTokens;
  private final List<ExternalJwks> jwksTokens;
  private final boolean allowAnonymous;

  public Authenticator(AuthSettings settings, UserTokens userTokens) {
    this.userTokens = userTokens;
    this.staticTokens = settings.staticTokens();
    this.jwksTokens = settings.jwksTokens().stream().map(ExternalJwks::new).toList();
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
        return new Principal.Service(candidate.subject(), candidate.accessRestrictions());
      }
    }
    // Backstage's order: a Backstage user token first, then the external-access entries in config order.
    if (!jwksTokens.isEmpty() && !UserTokens.looksLikeUserToken(token)) {
      for (ExternalJwks entry : jwksTokens) {
        Optional<Principal.Service> service = entry.verify(token);
        if (service.isPresent()) {
          return service.get();
        }
      }
    }
    return userTokens.verify(token);
  }

  /**
   * Backstage's plugin restriction of external-access tokens; called by every authenticated route
   * with its own plugin id, so the check follows the route that runs, not a reading of the URL.
   *
   * @throws NotAllowedException a restricted service token used on a plugin it does not list
   */
  public static void requirePluginAccess(Principal principal, String pluginId) {
    if (!(principal instanceof Principal.Service service)) {
      return;
    }
    List<AccessRestriction> restrictions = service.accessRestrictions();
    if (restrictions.isEmpty() || service.restrictionFor(pluginId).isPresent()) {
      return;
    }
    // Backstage's wording; raised before the route's handler runs.
    throw new NotAllowedException("This token's access is restricted to plugin(s) "
        + restrictions.stream().map(r -> "'" + r.plugin() + "'").collect(Collectors.joining(", ")));
  }
}
