package org.meshportal.catalog.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jwt.SignedJWT;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.meshportal.catalog.store.DatabaseSettings;
import org.meshportal.catalog.store.PostgresDatabase;
import org.meshportal.catalog.testing.TestPostgres;
import org.meshportal.model.errors.AuthenticationException;

/**
 * Two replicas' token services on one PostgreSQL database: each signs with its own in-memory key,
 * rotates it after a token lifetime, and accepts the other's tokens through the published public
 * keys, which are pruned after three lifetimes.
 */
class SharedSigningKeysTest {
  private static final Duration LIFETIME = Duration.ofMinutes(10);

  private TestPostgres.Database db;
  private PostgresDatabase first;
  private PostgresDatabase second;
  private final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));

  @BeforeEach
  void open() {
    db = TestPostgres.newDatabase("keys");
    DatabaseSettings settings = new DatabaseSettings(db.jdbcUrl(), db.user(), db.password(), 2);
    first = PostgresDatabase.open(settings);
    second = PostgresDatabase.open(settings);
  }

  @AfterEach
  void close() {
    // Null when the test was skipped for want of a PostgreSQL.
    if (first != null) {
      first.close();
    }
    if (second != null) {
      second.close();
    }
    if (db != null) {
      db.drop();
    }
  }

  private UserTokens replica(PostgresDatabase database) {
    AuthSettings settings = new AuthSettings("http://portal.example/api/auth", null, null, List.of(), false, LIFETIME);
    return new UserTokens(settings, clock, database.publicKeys());
  }

  private static String kid(String token) throws Exception {
    return SignedJWT.parse(token).getHeader().getKeyID();
  }

  @Test
  void a_token_issued_by_one_replica_is_accepted_by_the_other_and_keys_rotate() throws Exception {
    UserTokens a = replica(first);
    UserTokens b = replica(second);
    String fromA = a.issue("user:default/jane", List.of("user:default/jane")).token();
    String fromB = b.issue("user:default/joe", List.of("user:default/joe")).token();
    assertNotEquals(kid(fromA), kid(fromB), "each replica signs with its own key");
    assertEquals("user:default/jane", b.verify(fromA).userEntityRef());
    assertEquals("user:default/joe", a.verify(fromB).userEntityRef());

    // After a lifetime A signs with a new key; its earlier key still verifies until pruned.
    clock.advance(LIFETIME.plusSeconds(1));
    String rotated = a.issue("user:default/jane", List.of()).token();
    assertNotEquals(kid(fromA), kid(rotated));
    assertEquals("user:default/jane", b.verify(rotated).userEntityRef());
    List<String> published = jwksKids(b);
    assertTrue(published.containsAll(List.of(kid(fromA), kid(fromB), kid(rotated))), published.toString());

    // Three lifetimes after its creation a key is gone from every replica's JWKS.
    clock.advance(LIFETIME.multipliedBy(3));
    a.issue("user:default/jane", List.of());
    assertFalse(jwksKids(b).contains(kid(fromA)), "pruned");
    assertThrows(AuthenticationException.class, () -> b.verify(fromA));
  }

  @Test
  void only_public_keys_are_stored_and_served() {
    UserTokens a = replica(first);
    a.issue("user:default/jane", List.of());
    for (PublicKeyStore.PublicKey k : first.publicKeys().since(Instant.EPOCH)) {
      assertFalse(k.jwkJson().contains("\"d\""), "a private key was stored: " + k.kid());
    }
    @SuppressWarnings("unchecked")
    List<Map<String, Object>> served = (List<Map<String, Object>>) a.jwks().get("keys");
    assertFalse(served.isEmpty());
    served.forEach(k -> assertFalse(k.containsKey("d"), "the JWKS served a private key: " + k));
    assertThrows(IllegalArgumentException.class, () -> first.publicKeys().publish(new PublicKeyStore.PublicKey(
        "x", "{\"kty\":\"EC\",\"d\":\"secret\"}", Instant.EPOCH)));
  }

  @SuppressWarnings("unchecked")
  private static List<String> jwksKids(UserTokens tokens) {
    List<Map<String, Object>> keys = (List<Map<String, Object>>) tokens.jwks().get("keys");
    return keys.stream().map(k -> (String) k.get("kid")).toList();
  }

  private static final class MutableClock extends Clock {
    private Instant now;

    MutableClock(Instant start) {
      this.now = start;
    }

    void advance(Duration d) {
      now = now.plus(d);
    }

    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }
}
