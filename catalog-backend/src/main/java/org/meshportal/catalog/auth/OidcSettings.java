package org.meshportal.catalog.auth;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Sign-in through an OpenID Connect provider ({@code auth.providers.oidc.<environment>}) and the
 * origins the sign-in popup may post its result to.
 *
 * @param environments each configured environment's provider settings, by environment name
 * @param appBaseUrl {@code app.baseUrl}: its origin may receive sign-in results (and gets them when
 *     the request named no origin); redirect-flow failures are sent there
 * @param extraAllowedOrigins {@code auth.experimentalExtraAllowedOrigins}: further origin globs
 */
public record OidcSettings(Map<String, Provider> environments, URI appBaseUrl, List<String> extraAllowedOrigins) {
  /** The provider id: routes are {@code /api/auth/oidc/*} and cookies {@code oidc-*}. */
  public static final String PROVIDER_ID = "oidc";
  /** Scopes Backstage's OIDC provider always asks for. */
  public static final List<String> REQUIRED_SCOPES = List.of("openid", "profile", "email");
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);
  /** Backstage's refresh-cookie lifetime when {@code sessionDuration} is not set. */
  public static final Duration DEFAULT_SESSION_DURATION = Duration.ofDays(1000);

  public OidcSettings {
    environments = Map.copyOf(environments);
    Objects.requireNonNull(appBaseUrl, "appBaseUrl");
    extraAllowedOrigins = List.copyOf(extraAllowedOrigins);
  }

  /**
   * One environment of the provider. {@link #toString()} never shows the client secret.
   *
   * @param callbackUrl the registered redirect URI; Backstage's default is {@code <backend
   *     base>/api/auth/oidc/handler/frame}
   * @param tokenEndpointAuthMethod {@code client_secret_basic} (default) or {@code client_secret_post}
   * @param tokenSignedResponseAlg the only algorithm an ID token may be signed with (default RS256)
   * @param prompt sent as {@code prompt}; null sends none (configured as {@code auto})
   * @param startUrlSearchParams extra parameters for the provider's authorization URL
   * @param sessionDuration lifetime of the refresh-token cookie
   * @param resolvers the sign-in resolvers, tried in order; empty issues no Backstage token
   */
  public record Provider(
      String environment,
      URI metadataUrl,
      String clientId,
      String clientSecret,
      URI callbackUrl,
      String tokenEndpointAuthMethod,
      String tokenSignedResponseAlg,
      String prompt,
      List<String> additionalScopes,
      Duration timeout,
      Map<String, String> startUrlSearchParams,
      Duration sessionDuration,
      List<SignInResolverSettings> resolvers) {
    public static final Set<String> AUTH_METHODS = Set.of("client_secret_basic", "client_secret_post");

    public Provider {
      Objects.requireNonNull(environment, "environment");
      Objects.requireNonNull(metadataUrl, "metadataUrl");
      Objects.requireNonNull(clientId, "clientId");
      Objects.requireNonNull(clientSecret, "clientSecret");
      Objects.requireNonNull(callbackUrl, "callbackUrl");
      tokenEndpointAuthMethod = tokenEndpointAuthMethod == null ? "client_secret_basic" : tokenEndpointAuthMethod;
      if (!AUTH_METHODS.contains(tokenEndpointAuthMethod)) {
        throw new IllegalArgumentException("tokenEndpointAuthMethod must be client_secret_basic or client_secret_post, got '"
            + tokenEndpointAuthMethod + "'");
      }
      tokenSignedResponseAlg = tokenSignedResponseAlg == null ? "RS256" : tokenSignedResponseAlg;
      additionalScopes = List.copyOf(additionalScopes == null ? List.of() : additionalScopes);
      timeout = timeout == null ? DEFAULT_TIMEOUT : timeout;
      startUrlSearchParams = Map.copyOf(startUrlSearchParams == null ? Map.of() : startUrlSearchParams);
      sessionDuration = sessionDuration == null ? DEFAULT_SESSION_DURATION : sessionDuration;
      resolvers = List.copyOf(resolvers == null ? List.of() : resolvers);
      if (timeout.isNegative() || timeout.isZero() || sessionDuration.isNegative() || sessionDuration.isZero()) {
        throw new IllegalArgumentException("timeout and sessionDuration must be positive");
      }
    }

    @Override
    public String toString() {
      return "OidcSettings.Provider[environment=" + environment + ", metadataUrl=" + metadataUrl + ", clientId="
          + clientId + ", callbackUrl=" + callbackUrl + ", resolvers=" + resolvers + "]";
    }
  }

  /**
   * One {@code signIn.resolvers[]} entry.
   *
   * @param resolver the resolver's Backstage name
   * @param allowedDomains email domains allowed to sign in (null: any); enforced by
   *     {@code emailLocalPartMatchingUserEntityName} only, as in Backstage
   * @param dangerouslyAllowSignInWithoutUserInCatalog signs in a user the catalog does not know,
   *     owning nothing but itself
   */
  public record SignInResolverSettings(String resolver, List<String> allowedDomains,
      boolean dangerouslyAllowSignInWithoutUserInCatalog) {
    public SignInResolverSettings {
      Objects.requireNonNull(resolver, "resolver");
      allowedDomains = allowedDomains == null ? null : List.copyOf(allowedDomains);
    }
  }
}
