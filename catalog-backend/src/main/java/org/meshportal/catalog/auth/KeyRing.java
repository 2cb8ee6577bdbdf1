package org.meshportal.catalog.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The keys {@link UserTokens} signs with and verifies against. Alone (embedded store) it is one
 * key kept in the data folder. With a {@link PublicKeyStore} it is Backstage's rotation: this
 * replica's private key lives only in memory and is replaced once it is older than a token's
 * lifetime; public keys of every replica are published and verify for three lifetimes, so
 * tokens issued anywhere, before any rotation or restart, stay valid until they expire.
 */
final class KeyRing {
  /** How long the JWKS is served from memory, and how long a kid no replica published stays "unknown". */
  private static final Duration RELOAD_INTERVAL = Duration.ofSeconds(1);
  private static final int MAX_UNKNOWN_KIDS = 10_000;

  private final PublicKeyStore shared;
  private final Duration lifetime;
  private final Clock clock;
  private final Map<String, ECDSAVerifier> verifiers = new ConcurrentHashMap<>();
  /** Kids looked up and not found, with when: forged tokens cost one indexed query per kid and second. */
  private final Map<String, Instant> unknown = new ConcurrentHashMap<>();
  private volatile List<JWK> publicKeys = List.of();
  private volatile Signing current;
  private volatile Instant lastReload = Instant.MIN;
  /** The persistent key of the embedded store; null with a shared store. */
  private ECKey localKey;

  record Signing(String kid, ECDSASigner signer, Instant createdAt) {}

  private KeyRing(PublicKeyStore shared, Duration lifetime, Clock clock) {
    this.shared = shared;
    this.lifetime = lifetime;
    this.clock = clock;
  }

  /** One persistent key from the data folder (or a fresh one per start when the folder is null). */
  static KeyRing local(java.nio.file.Path keyDirectory, Clock clock) {
    KeyRing ring = new KeyRing(null, null, clock);
    ECKey key = SigningKeys.loadOrCreate(keyDirectory);
    ring.current = ring.use(key, clock.instant());
    return ring;
  }

  /** Rotating in-memory keys whose public halves are shared through {@code store}. */
  static KeyRing shared(PublicKeyStore store, Duration lifetime, Clock clock) {
    KeyRing ring = new KeyRing(store, lifetime, clock);
    ring.rotate();
    return ring;
  }

  /** The key to sign with now; rotated first when it has outlived a token's lifetime. */
  Signing signing() {
    Signing s = current;
    if (shared != null && !s.createdAt().plus(lifetime).isAfter(clock.instant())) {
      synchronized (this) {
        if (current == s) {
          rotate();
        }
      }
    }
    return current;
  }

  /** The verifier for {@code kid}, or null when no replica published such a key (or it was pruned). */
  ECDSAVerifier verifier(String kid) {
    if (kid == null) {
      return null;
    }
    ECDSAVerifier v = verifiers.get(kid);
    if (v != null || shared == null) {
      return v;
    }
    // A replica publishes its key before it signs anything with it, so a real kid is found here.
    Instant now = clock.instant();
    Instant missedAt = unknown.get(kid);
    if (missedAt != null && missedAt.plus(RELOAD_INTERVAL).isAfter(now)) {
      return null;
    }
    PublicKeyStore.PublicKey found = shared.byKid(kid).orElse(null);
    if (found == null || found.createdAt().isBefore(now.minus(lifetime.multipliedBy(3)))) {
      if (unknown.size() >= MAX_UNKNOWN_KIDS) {
        unknown.clear();
      }
      unknown.put(kid, now);
      return null;
    }
    try {
      v = new ECDSAVerifier(ECKey.parse(found.jwkJson()));
    } catch (ParseException | JOSEException e) {
      return null;
    }
    verifiers.put(kid, v);
    return v;
  }

  /** Every public key that may still verify a token: this replica's and the published ones. */
  List<JWK> publicKeys() {
    if (shared == null) {
      return List.of(localKey.toPublicJWK());
    }
    // The JWKS route is open to anyone: served from memory, reloaded at most once per interval.
    if (clock.instant().isAfter(lastReload.plus(RELOAD_INTERVAL))) {
      reload();
    }
    return publicKeys;
  }


  private void rotate() {
    ECKey key = SigningKeys.generate();
    Instant now = clock.instant();
    Signing s = use(key, now);
    shared.publish(new PublicKeyStore.PublicKey(key.getKeyID(), key.toPublicJWK().toJSONString(), now));
    shared.prune(now.minus(lifetime.multipliedBy(3)));
    current = s;
    reload(); // drops the verifiers of pruned keys
  }

  private synchronized void reload() {
    Instant now = clock.instant();
    lastReload = now;
    Map<String, ECDSAVerifier> fresh = new ConcurrentHashMap<>();
    List<JWK> jwks = new ArrayList<>();
    for (PublicKeyStore.PublicKey k : shared.since(now.minus(lifetime.multipliedBy(3)))) {
      try {
        ECKey key = ECKey.parse(k.jwkJson());
        fresh.put(k.kid(), new ECDSAVerifier(key));
        jwks.add(key);
      } catch (ParseException | JOSEException e) {
        // a row that is not a usable public key verifies nothing and is left out of the JWKS
      }
    }
    verifiers.keySet().retainAll(fresh.keySet());
    verifiers.putAll(fresh);
    publicKeys = List.copyOf(jwks);
  }

  private Signing use(ECKey key, Instant createdAt) {
    try {
      verifiers.put(key.getKeyID(), new ECDSAVerifier(key.toPublicJWK()));
      if (shared == null) {
        localKey = key;
      }
      return new Signing(key.getKeyID(), new ECDSASigner(key), createdAt);
    } catch (JOSEException e) {
      throw new IllegalStateException("auth signing key is not usable for ES256", e);
    }
  }
}
