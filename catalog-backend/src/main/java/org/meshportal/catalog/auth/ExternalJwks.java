package org.meshportal.catalog.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.net.MalformedURLException;
import java.text.ParseException;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One {@code jwks} external-access entry: verifies JWTs of a company identity provider against
 * its published keys. Any failure only means "not this entry" (Backstage's behaviour), so the
 * caller goes on to the next entry. Keys are cached and re-fetched when an unknown {@code kid}
 * appears, at most as often as nimbus' rate limit allows. Thread-safe.
 */
final class ExternalJwks {
  /** Every asymmetric algorithm: a remote key set must never select an HMAC check. */
  private static final Set<JWSAlgorithm> ASYMMETRIC = new LinkedHashSet<>();

  static {
    ASYMMETRIC.addAll(JWSAlgorithm.Family.RSA);
    ASYMMETRIC.addAll(JWSAlgorithm.Family.EC);
    ASYMMETRIC.addAll(JWSAlgorithm.Family.ED);
  }

  private final AuthSettings.JwksAccess settings;
  private final DefaultJWTProcessor<SecurityContext> processor;
  private final Set<JWSAlgorithm> algorithms;

  ExternalJwks(AuthSettings.JwksAccess settings) {
    this.settings = settings;
    Set<JWSAlgorithm> algs = new LinkedHashSet<>();
    for (String name : settings.algorithms()) {
      JWSAlgorithm alg = JWSAlgorithm.parse(name);
      if (!ASYMMETRIC.contains(alg)) {
        throw new IllegalArgumentException("not an asymmetric JWS algorithm: " + name);
      }
      algs.add(alg);
    }
    this.algorithms = algs.isEmpty() ? ASYMMETRIC : Set.copyOf(algs);
    JWKSource<SecurityContext> keys;
    try {
      keys = JWKSourceBuilder.create(settings.url().toURL()).retrying(false).build();
    } catch (MalformedURLException e) {
      throw new IllegalArgumentException("backend.auth.externalAccess jwks url is not a URL: " + settings.url());
    }
    processor = new DefaultJWTProcessor<>();
    processor.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithms, keys));
    // Any "typ" is accepted (Backstage does not check it); exp/nbf are checked when present, sub is required.
    processor.setJWSTypeVerifier((type, context) -> { });
    processor.setJWTClaimsSetVerifier(new DefaultJWTClaimsVerifier<>(null, null, Set.of("sub")));
  }

  /** The service principal for {@code token}, or empty when this entry does not accept it. */
  Optional<Principal.Service> verify(String token) {
    SignedJWT jwt;
    try {
      jwt = SignedJWT.parse(token);
    } catch (ParseException e) {
      return Optional.empty();
    }
    // Checked before any key is fetched, so tokens of other issuers cost no request to the JWKS URL.
    if (!algorithms.contains(jwt.getHeader().getAlgorithm())) {
      return Optional.empty();
    }
    JWTClaimsSet claims;
    try {
      if (!settings.issuers().isEmpty() && !settings.issuers().contains(jwt.getJWTClaimsSet().getIssuer())) {
        return Optional.empty();
      }
      if (!settings.audiences().isEmpty()) {
        List<String> aud = jwt.getJWTClaimsSet().getAudience();
        Set<String> overlap = new HashSet<>(aud == null ? List.of() : aud);
        overlap.retainAll(settings.audiences());
        if (overlap.isEmpty()) {
          return Optional.empty();
        }
      }
      claims = processor.process(jwt, null);
    } catch (ParseException | BadJOSEException | JOSEException | RuntimeException e) {
      return Optional.empty();
    }
    String sub = claims.getSubject();
    if (sub == null || sub.isEmpty()) {
      return Optional.empty();
    }
    String subject = settings.subjectPrefix() == null || settings.subjectPrefix().isEmpty()
        ? "external:" + sub
        : "external:" + settings.subjectPrefix() + ":" + sub;
    return Optional.of(new Principal.Service(subject, settings.accessRestrictions()));
  }
}
