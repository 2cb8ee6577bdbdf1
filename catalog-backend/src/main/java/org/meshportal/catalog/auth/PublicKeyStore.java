package org.meshportal.catalog.auth;

import java.time.Instant;
import java.util.List;

/**
 * Public signing keys shared by every replica on one database, as Backstage's
 * {@code signing_keys} table: each replica signs with a private key that never leaves its memory
 * and publishes the public half here, so a token issued by one replica verifies on all of them.
 */
public interface PublicKeyStore {
  /** A public JWK (JSON, no private members) and when its replica created it. */
  record PublicKey(String kid, String jwkJson, Instant createdAt) {}

  void publish(PublicKey key);

  /** The key with this id, if any replica published it (and it was not pruned). */
  java.util.Optional<PublicKey> byKid(String kid);

  /** Keys created at or after {@code since}, newest first. */
  List<PublicKey> since(Instant since);

  /** Deletes keys created before {@code before}: no token they signed can still be valid. */
  void prune(Instant before);
}
