package org.meshportal.catalog.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.meshportal.model.errors.AuthenticationException;

/**
 * Issues and verifies Backstage user tokens: ES256 JWTs with header {@code typ:
 * vnd.backstage.user} and claims {@code iss, sub, ent, aud=backstage, iat, exp}. Verification
 * pins {@code alg} to ES256, {@code typ}, {@code kid} to our key, {@code iss} to our issuer,
 * {@code aud}, {@code exp}, and {@code iat}/{@code nbf} within {@link #CLOCK_SKEW}. Thread-safe.
 */
public final class UserTokens {
  static final JOSEObjectType USER_TOKEN_TYPE = new JOSEObjectType("vnd.backstage.user");
  static final String AUDIENCE = "backstage";

  private final KeyRing keys;
  private final String issuer;
  private final Duration lifetime;
  private final Clock clock;
  /** Tokens already verified, so a request costs a map lookup instead of an ECDSA check. */
  private final Map<String, Verified> verified = new ConcurrentHashMap<>();

  private record Verified(Principal.User user, Instant expiry) {}

  static final int MAX_CACHED_TOKENS = 10_000;
  /** Backstage's limit on a token's length. */
  public static final int MAX_TOKEN_LENGTH = 32_768;
  /** Only the algorithm we sign with; anything else is refused before the signature is looked at. */
  static final Set<JWSAlgorithm> ALLOWED_ALGORITHMS = Set.of(JWSAlgorithm.ES256);
  /** Tolerated difference between clocks for {@code iat} and {@code nbf} (several replicas may issue). */
  static final Duration CLOCK_SKEW = Duration.ofSeconds(30);

  /** Signs with the one key kept in {@code settings.keyDirectory()}. */
  public UserTokens(AuthSettings settings, Clock clock) {
    this(settings, clock, null);
  }

  /**
   * @param sharedKeys where replicas on one database publish their public keys; null keeps one
   *     key in {@code settings.keyDirectory()}
   */
  public UserTokens(AuthSettings settings, Clock clock, PublicKeyStore sharedKeys) {
    this.issuer = settings.issuer();
    this.lifetime = settings.userTokenLifetime();
    this.clock = clock;
    this.keys = sharedKeys == null ? KeyRing.local(settings.keyDirectory(), clock)
        : KeyRing.shared(sharedKeys, lifetime, clock);
  }

  /** A token and how long it stays valid. */
  public record IssuedToken(String token, long expiresInSeconds) {
    @Override
    public String toString() {
      return "IssuedToken[expiresInSeconds=" + expiresInSeconds + "]";
    }
  }

  public IssuedToken issue(String userEntityRef, List<String> ownershipEntityRefs) {
    Instant now = clock.instant();
    Instant expiry = now.plus(lifetime);
    JWTClaimsSet claims = new JWTClaimsSet.Builder()
        .issuer(issuer)
        .subject(userEntityRef)
        .claim("ent", ownershipEntityRefs)
        .audience(AUDIENCE)
        .issueTime(Date.from(now))
        .expirationTime(Date.from(expiry))
        .build();
    KeyRing.Signing signing = keys.signing();
    JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES256).type(USER_TOKEN_TYPE).keyID(signing.kid()).build();
    SignedJWT jwt = new SignedJWT(header, claims);
    try {
      jwt.sign(signing.signer());
    } catch (JOSEException e) {
      throw new IllegalStateException("cannot sign a user token", e);
    }
    return new IssuedToken(jwt.serialize(), lifetime.toSeconds());
  }

  /**
   * @throws AuthenticationException when the token is malformed, not ours, not a user token or
   *     expired; the message never contains the token
   */
  public Principal.User verify(String token) {
    Verified known = verified.get(token);
    if (known != null) {
      if (known.expiry().isAfter(clock.instant())) {
        return known.user();
      }
      verified.remove(token);
    }
    Verified fresh = verifyUncached(token);
    if (verified.size() >= MAX_CACHED_TOKENS) {
      verified.clear();
    }
    verified.put(token, fresh);
    return fresh.user();
  }

  private Verified verifyUncached(String token) {
    // Backstage refuses such tokens too; it also bounds the work an attacker can ask for.
    if (token.length() > MAX_TOKEN_LENGTH) {
      throw new AuthenticationException("Token is too long");
    }
    SignedJWT jwt;
    JWTClaimsSet claims;
    try {
      jwt = SignedJWT.parse(token);
      claims = jwt.getJWTClaimsSet();
    } catch (ParseException e) {
      throw new AuthenticationException("Failed to parse token");
    }
    JWSHeader header = jwt.getHeader();
    // The algorithm is pinned before any signature work: an attacker-chosen alg (none, or HS256
    // keyed with our public key) must never select the verifier.
    if (!ALLOWED_ALGORITHMS.contains(header.getAlgorithm()) || !USER_TOKEN_TYPE.equals(header.getType())) {
      throw new AuthenticationException("Token is not a user token");
    }
    ECDSAVerifier verifier = keys.verifier(header.getKeyID());
    if (verifier == null) {
      throw new AuthenticationException("Token signing key is unknown");
    }
    try {
      if (!jwt.verify(verifier)) {
        throw new AuthenticationException("Token signature is invalid");
      }
    } catch (JOSEException e) {
      throw new AuthenticationException("Token signature is invalid");
    }
    Instant now = clock.instant();
    Date expiry = claims.getExpirationTime();
    if (expiry == null || !expiry.toInstant().isAfter(now)) {
      throw new AuthenticationException("Token has expired");
    }
    Date issuedAt = claims.getIssueTime();
    if (issuedAt == null || issuedAt.toInstant().isAfter(now.plus(CLOCK_SKEW))) {
      throw new AuthenticationException("Token is not valid yet");
    }
    Date notBefore = claims.getNotBeforeTime();
    if (notBefore != null && notBefore.toInstant().isAfter(now.plus(CLOCK_SKEW))) {
      throw new AuthenticationException("Token is not valid yet");
    }
    if (!issuer.equals(claims.getIssuer())) {
      throw new AuthenticationException("Token has an invalid issuer");
    }
    if (claims.getAudience() == null || !claims.getAudience().contains(AUDIENCE)) {
      throw new AuthenticationException("Token has an invalid audience");
    }
    String subject = claims.getSubject();
    if (subject == null || subject.isEmpty()) {
      throw new AuthenticationException("Token has no subject");
    }
    List<String> ownership;
    try {
      List<String> ent = claims.getStringListClaim("ent");
      ownership = ent == null ? List.of(subject) : ent;
    } catch (ParseException e) {
      throw new AuthenticationException("Token has an invalid ent claim");
    }
    return new Verified(new Principal.User(subject, ownership), expiry.toInstant());
  }

  /** Whether the token's header says it is a Backstage user token (nothing is verified). */
  static boolean looksLikeUserToken(String token) {
    if (token.length() > MAX_TOKEN_LENGTH) {
      return false;
    }
    try {
      return USER_TOKEN_TYPE.equals(SignedJWT.parse(token).getHeader().getType());
    } catch (ParseException e) {
      return false;
    }
  }

  /** The public JWKS ({@code /api/auth/.well-known/jwks.json}). */
  public Map<String, Object> jwks() {
    return new JWKSet(keys.publicKeys()).toJSONObject(true);
  }
}
