package org.meshportal.catalog.auth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshportal.model.errors.AuthenticationException;

class AuthSettingsTest {

  @Test
  void static_tokens_need_eight_non_whitespace_characters() {
    assertThrows(IllegalArgumentException.class, () -> new AuthSettings.StaticToken("short", "bot"));
    assertThrows(IllegalArgumentException.class, () -> new AuthSettings.StaticToken("has space in it", "bot"));
    assertEquals("StaticToken[subject=bot]", new AuthSettings.StaticToken("12345678", "bot").toString());
  }

  @Test
  void guest_defaults_to_development_guest_owning_itself() {
    var guest = AuthSettings.GuestSettings.defaults();
    assertEquals("user:development/guest", guest.userEntityRef());
    assertEquals(List.of("user:development/guest"), guest.ownershipEntityRefs());
  }

  @Test
  void the_signing_key_is_persisted_and_reused(@TempDir Path dir) {
    AuthSettings settings = new AuthSettings("iss", dir, null, List.of(), false, null);
    String token = new UserTokens(settings, Clock.systemUTC()).issue("user:default/a", List.of("user:default/a")).token();
    assertTrue(Files.exists(dir.resolve(SigningKeys.KEY_FILE)));
    // a restarted server accepts tokens issued before the restart
    Principal.User user = new UserTokens(settings, Clock.systemUTC()).verify(token);
    assertEquals("user:default/a", user.userEntityRef());
    // a per-start key does not
    AuthSettings ephemeral = new AuthSettings("iss", null, null, List.of(), false, null);
    assertThrows(AuthenticationException.class, () -> new UserTokens(ephemeral, Clock.systemUTC()).verify(token));
  }

  @Test
  void a_verified_token_stops_working_when_it_expires(@TempDir Path dir) {
    MovableClock clock = new MovableClock(Instant.parse("2026-01-01T00:00:00Z"));
    AuthSettings settings = new AuthSettings("iss", dir, null, List.of(), false, Duration.ofMinutes(10));
    UserTokens tokens = new UserTokens(settings, clock);
    String token = tokens.issue("user:default/a", List.of()).token();
    assertEquals("user:default/a", tokens.verify(token).userEntityRef());
    clock.now = clock.now.plus(Duration.ofMinutes(9));
    assertEquals("user:default/a", tokens.verify(token).userEntityRef());
    clock.now = clock.now.plus(Duration.ofMinutes(1));
    AuthenticationException e = assertThrows(AuthenticationException.class, () -> tokens.verify(token));
    assertEquals("Token has expired", e.getMessage());
  }

  private static final class MovableClock extends Clock {
    Instant now;

    MovableClock(Instant now) {
      this.now = now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return now;
    }
  }

  @Test
  void authenticator_prefers_static_tokens_and_reports_missing_credentials(@TempDir Path dir) {
    AuthSettings settings = new AuthSettings("iss", dir, null,
        List.of(new AuthSettings.StaticToken("abcdefgh", "script")), false, null);
    Authenticator authenticator = new Authenticator(settings, new UserTokens(settings, Clock.systemUTC()));
    assertEquals(new Principal.Service("script"), authenticator.authenticate("Bearer abcdefgh"));
    AuthenticationException e = assertThrows(AuthenticationException.class, () -> authenticator.authenticate(null));
    assertEquals("Missing credentials", e.getMessage());
    AuthenticationException bad = assertThrows(AuthenticationException.class, () -> authenticator.authenticate("Bearer abcdefgh1"));
    assertFalse(bad.getMessage().contains("abcdefgh1"));
  }

  @Test
  void tokens_longer_than_backstages_limit_are_refused_unread(@TempDir Path dir) {
    AuthSettings settings = new AuthSettings("iss", dir, null, List.of(), false, null);
    UserTokens tokens = new UserTokens(settings, Clock.systemUTC());
    String valid = tokens.issue("user:default/a", List.of()).token();
    // a valid token followed by padding; nothing of it is parsed
    String padded = valid + " ".repeat(UserTokens.MAX_TOKEN_LENGTH - valid.length() + 1);
    AuthenticationException e = assertThrows(AuthenticationException.class, () -> tokens.verify(padded));
    assertEquals("Token is too long", e.getMessage());
    assertEquals("user:default/a", tokens.verify(valid).userEntityRef());
  }
}
