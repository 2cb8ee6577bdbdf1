package org.meshportal.catalog.auth;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * Authentication settings, built by the composition root from {@code backend.auth} and
 * {@code auth.providers.guest}.
 *
 * @param issuer the {@code iss} claim of issued user tokens: the auth plugin's base URL
 * @param keyDirectory where the signing key is kept across restarts; null generates one per start
 * @param guest guest sign-in settings; null disables {@code /api/auth/guest/*} (404)
 * @param staticTokens {@code backend.auth.externalAccess} entries of type {@code static}
 * @param jwksTokens {@code backend.auth.externalAccess} entries of type {@code jwks}, in config order
 * @param dangerouslyDisableDefaultAuthPolicy lets requests without credentials through
 * @param userTokenLifetime lifetime of issued user tokens (Backstage: one hour)
 * @param environment {@code auth.environment}; the guest provider works only in {@code development}
 *     unless it is dangerously allowed elsewhere
 */
public record AuthSettings(
    String issuer,
    Path keyDirectory,
    GuestSettings guest,
    List<StaticToken> staticTokens,
    boolean dangerouslyDisableDefaultAuthPolicy,
    Duration userTokenLifetime,
    String environment,
    List<JwksAccess> jwksTokens) {

  public static final Duration DEFAULT_USER_TOKEN_LIFETIME = Duration.ofHours(1);
  public static final String DEVELOPMENT = "development";

  public AuthSettings(String issuer, Path keyDirectory, GuestSettings guest, List<StaticToken> staticTokens,
      boolean dangerouslyDisableDefaultAuthPolicy, Duration userTokenLifetime) {
    this(issuer, keyDirectory, guest, staticTokens, dangerouslyDisableDefaultAuthPolicy, userTokenLifetime, DEVELOPMENT);
  }

  public AuthSettings(String issuer, Path keyDirectory, GuestSettings guest, List<StaticToken> staticTokens,
      boolean dangerouslyDisableDefaultAuthPolicy, Duration userTokenLifetime, String environment) {
    this(issuer, keyDirectory, guest, staticTokens, dangerouslyDisableDefaultAuthPolicy, userTokenLifetime, environment,
        List.of());
  }

  public AuthSettings {
    Objects.requireNonNull(issuer, "issuer");
    environment = environment == null ? DEVELOPMENT : environment;
    staticTokens = List.copyOf(staticTokens);
    jwksTokens = List.copyOf(jwksTokens == null ? List.of() : jwksTokens);
    userTokenLifetime = userTokenLifetime == null ? DEFAULT_USER_TOKEN_LIFETIME : userTokenLifetime;
    if (userTokenLifetime.isNegative() || userTokenLifetime.isZero()) {
      throw new IllegalArgumentException("auth user token lifetime must be positive, got " + userTokenLifetime);
    }
  }

  /** Guest sign-in on, no static tokens, default policy on, a fresh key per start. */
  public static AuthSettings defaults(String issuer) {
    return new AuthSettings(issuer, null, GuestSettings.defaults(), List.of(), false, null);
  }

  /**
   * The guest identity handed out by {@code GET /api/auth/guest/refresh}.
   *
   * @param dangerouslyAllowOutsideDevelopment lets the guest sign in when {@code auth.environment}
   *     is not {@code development}
   */
  public record GuestSettings(String userEntityRef, List<String> ownershipEntityRefs, String displayName,
      boolean dangerouslyAllowOutsideDevelopment) {
    public static final String DEFAULT_USER_ENTITY_REF = "user:development/guest";

    public GuestSettings(String userEntityRef, List<String> ownershipEntityRefs, String displayName) {
      this(userEntityRef, ownershipEntityRefs, displayName, false);
    }

    public GuestSettings {
      userEntityRef = userEntityRef == null ? DEFAULT_USER_ENTITY_REF : userEntityRef;
      ownershipEntityRefs = ownershipEntityRefs == null || ownershipEntityRefs.isEmpty()
          ? List.of(userEntityRef)
          : List.copyOf(ownershipEntityRefs);
      displayName = displayName == null ? "Guest" : displayName;
    }

    public static GuestSettings defaults() {
      return new GuestSettings(null, null, null);
    }
  }

  /**
   * A static external-access token: the caller presenting it becomes a service principal named
   * {@code subject}, limited by {@code accessRestrictions} (empty: unrestricted). {@link
   * #toString()} never shows the token.
   */
  public record StaticToken(String token, String subject, List<AccessRestriction> accessRestrictions) {
    public StaticToken(String token, String subject) {
      this(token, subject, List.of());
    }

    public StaticToken {
      Objects.requireNonNull(token, "backend.auth.externalAccess[].options.token");
      Objects.requireNonNull(subject, "backend.auth.externalAccess[].options.subject");
      accessRestrictions = List.copyOf(accessRestrictions == null ? List.of() : accessRestrictions);
      if (token.length() < 8 || !token.chars().noneMatch(Character::isWhitespace)) {
        throw new IllegalArgumentException(
            "backend.auth.externalAccess static token for subject '" + subject
                + "' must be at least 8 characters without whitespace");
      }
    }

    @Override
    public String toString() {
      return accessRestrictions.isEmpty()
          ? "StaticToken[subject=" + subject + "]"
          : "StaticToken[subject=" + subject + ", accessRestrictions=" + accessRestrictions + "]";
    }
  }

  /**
   * A {@code jwks} external-access entry: a JWT signed by a key of the JWKS at {@code url} (and,
   * when given, with one of the issuers, algorithms and audiences) makes its caller the service
   * principal {@code external:[<subjectPrefix>:]<sub>}.
   *
   * @param issuers allowed {@code iss} values; empty: any
   * @param algorithms allowed signature algorithms; empty: any asymmetric one (never HMAC)
   * @param audiences allowed {@code aud} values (one must match); empty: any
   */
  public record JwksAccess(java.net.URI url, List<String> issuers, List<String> algorithms, List<String> audiences,
      String subjectPrefix, List<AccessRestriction> accessRestrictions) {
    /** A remote key set must never select an HMAC check, so only these may be named. */
    public static final List<String> ASYMMETRIC_ALGORITHMS = List.of("RS256", "RS384", "RS512", "PS256", "PS384",
        "PS512", "ES256", "ES384", "ES512", "ES256K", "EdDSA", "Ed25519", "Ed448");

    public JwksAccess {
      Objects.requireNonNull(url, "backend.auth.externalAccess[].options.url");
      issuers = List.copyOf(issuers == null ? List.of() : issuers);
      algorithms = List.copyOf(algorithms == null ? List.of() : algorithms);
      audiences = List.copyOf(audiences == null ? List.of() : audiences);
      accessRestrictions = List.copyOf(accessRestrictions == null ? List.of() : accessRestrictions);
      for (String alg : algorithms) {
        if (!ASYMMETRIC_ALGORITHMS.contains(alg)) {
          throw new IllegalArgumentException("backend.auth.externalAccess jwks algorithm must be an asymmetric JWS "
              + "algorithm (" + String.join(", ", ASYMMETRIC_ALGORITHMS) + "), got '" + alg + "'");
        }
      }
      String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(java.util.Locale.ROOT);
      if (!scheme.equals("https") && !scheme.equals("http")) {
        throw new IllegalArgumentException("backend.auth.externalAccess jwks url must be an http(s) URL, got '" + url + "'");
      }
    }
  }
}
