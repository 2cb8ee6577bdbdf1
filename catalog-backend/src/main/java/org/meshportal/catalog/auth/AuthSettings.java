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
    String environment) {

  public static final Duration DEFAULT_USER_TOKEN_LIFETIME = Duration.ofHours(1);
  public static final String DEVELOPMENT = "development";

  public AuthSettings(String issuer, Path keyDirectory, GuestSettings guest, List<StaticToken> staticTokens,
      boolean dangerouslyDisableDefaultAuthPolicy, Duration userTokenLifetime) {
    this(issuer, keyDirectory, guest, staticTokens, dangerouslyDisableDefaultAuthPolicy, userTokenLifetime, DEVELOPMENT);
  }

  public AuthSettings {
    Objects.requireNonNull(issuer, "issuer");
    environment = environment == null ? DEVELOPMENT : environment;
    staticTokens = List.copyOf(staticTokens);
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
}
