package org.meshportal.catalog.auth;

import java.time.Instant;
import java.util.Optional;

/**
 * Sign-ins between {@code /start} and the provider's callback, kept in the database so that the
 * callback may reach any replica, or the server after a restart (Backstage keeps them in its
 * {@code sessions} table). An entry holds the PKCE verifier and the ID-token nonce of one sign-in,
 * lives at most ten minutes and is deleted when read: a callback can be answered once.
 */
public interface PendingSignIns {
  /** Stores an entry; also deletes entries that expired before {@code now}. */
  void put(String id, String body, Instant expiresAt, Instant now);

  /** Removes and returns the entry, if it exists and has not expired; only one caller gets it. */
  Optional<String> take(String id, Instant now);
}
