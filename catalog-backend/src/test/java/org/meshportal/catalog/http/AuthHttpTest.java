package org.meshportal.catalog.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshportal.catalog.auth.AuthSettings;
import org.meshportal.catalog.auth.UserTokens;

class AuthHttpTest {
  private static final String AUTHORIZE_BODY =
      "{\"items\":[{\"id\":\"a\",\"permission\":{\"type\":\"basic\",\"name\":\"catalog.entity.create\",\"attributes\":{}}},"
          + "{\"id\":\"b\",\"permission\":{\"type\":\"resource\",\"name\":\"catalog.entity.refresh\",\"attributes\":{},"
          + "\"resourceType\":\"catalog-entity\"},\"resourceRef\":\"component:default/x\"}]}";

  @TempDir Path keys;

  private AuthSettings settings(List<AuthSettings.StaticToken> tokens, boolean disablePolicy, AuthSettings.GuestSettings guest) {
    return new AuthSettings("http://localhost:7007/api/auth", keys, guest, tokens, disablePolicy, null);
  }

  private TestServer server(AuthSettings auth) {
    return TestServer.start(HttpServer.builder(TestServer.settings(), auth));
  }

  private static void assertError(TestServer.Response r, int status, String name, String message, String method, String url) {
    assertEquals(status, r.status(), r.body());
    assertTrue(r.header("content-type").startsWith("application/json"), r.header("content-type"));
    JsonNode body = r.json();
    assertEquals(name, body.at("/error/name").asText());
    assertEquals(message, body.at("/error/message").asText());
    assertEquals(method, body.at("/request/method").asText());
    assertEquals(url, body.at("/request/url").asText());
    assertEquals(status, body.at("/response/statusCode").asInt());
    assertFalse(body.path("error").has("stack"));
  }

  @Test
  void guest_refresh_issues_a_signed_backstage_user_token() throws Exception {
    try (TestServer s = server(settings(List.of(), false, AuthSettings.GuestSettings.defaults()))) {
      TestServer.Response r = s.get("/api/auth/guest/refresh", "X-Requested-With", "XMLHttpRequest");
      assertEquals(200, r.status());
      SpecSchemas.assertMatches("auth", "GET", "/guest/refresh", r);
      JsonNode body = r.json();
      assertEquals("Guest", body.at("/profile/displayName").asText());
      assertTrue(body.get("providerInfo").isObject());
      assertEquals(3600, body.at("/backstageIdentity/expiresInSeconds").asInt());
      assertEquals("user", body.at("/backstageIdentity/identity/type").asText());
      assertEquals("user:development/guest", body.at("/backstageIdentity/identity/userEntityRef").asText());
      assertEquals("[\"user:development/guest\"]", body.at("/backstageIdentity/identity/ownershipEntityRefs").toString());

      SignedJWT jwt = SignedJWT.parse(body.at("/backstageIdentity/token").asText());
      assertEquals("vnd.backstage.user", jwt.getHeader().getType().getType());
      assertEquals(JWSAlgorithm.ES256, jwt.getHeader().getAlgorithm());
      var claims = jwt.getJWTClaimsSet();
      assertEquals("http://localhost:7007/api/auth", claims.getIssuer());
      assertEquals("user:development/guest", claims.getSubject());
      assertEquals(List.of("backstage"), claims.getAudience());
      assertEquals(List.of("user:development/guest"), claims.getStringListClaim("ent"));
      assertEquals(3600_000, claims.getExpirationTime().getTime() - claims.getIssueTime().getTime());

      TestServer.Response jwks = s.get("/api/auth/.well-known/jwks.json");
      SpecSchemas.assertMatches("auth", "GET", "/.well-known/jwks.json", jwks);
      ECKey key = JWKSet.parse(jwks.body()).getKeys().get(0).toECKey();
      assertFalse(key.isPrivate());
      assertEquals(jwt.getHeader().getKeyID(), key.getKeyID());
      assertTrue(jwt.verify(new ECDSAVerifier(key)));
    }
  }

  @Test
  void guest_identity_is_configurable_and_its_token_opens_the_api() {
    var guest = new AuthSettings.GuestSettings("user:default/jdoe", List.of("user:default/jdoe", "group:default/team-a"), "J Doe");
    try (TestServer s = server(settings(List.of(), false, guest))) {
      JsonNode body = s.get("/api/auth/guest/refresh").json();
      assertEquals("user:default/jdoe", body.at("/backstageIdentity/identity/userEntityRef").asText());
      assertEquals("group:default/team-a", body.at("/backstageIdentity/identity/ownershipEntityRefs/1").asText());
      assertEquals("J Doe", body.at("/profile/displayName").asText());
      String token = body.at("/backstageIdentity/token").asText();
      TestServer.Response r = s.post("/api/permission/authorize", AUTHORIZE_BODY, "Authorization", "Bearer " + token);
      assertEquals(200, r.status());
      SpecSchemas.assertMatches("permission", "POST", "/authorize", r);
      assertEquals("a", r.json().at("/items/0/id").asText());
      assertEquals("ALLOW", r.json().at("/items/0/result").asText());
      assertEquals("b", r.json().at("/items/1/id").asText());
      assertEquals("ALLOW", r.json().at("/items/1/result").asText());
      // scheme is case-insensitive
      assertEquals(200, s.post("/api/permission/authorize", AUTHORIZE_BODY, "Authorization", "bearer  " + token).status());
    }
  }

  @Test
  void guest_logout_answers_200_empty() {
    try (TestServer s = server(settings(List.of(), false, AuthSettings.GuestSettings.defaults()))) {
      TestServer.Response r = s.post("/api/auth/guest/logout", null);
      assertEquals(200, r.status());
      assertEquals("", r.body());
    }
  }

  @Test
  void disabled_guest_provider_is_a_not_found_error() {
    try (TestServer s = server(settings(List.of(), false, null))) {
      assertError(s.get("/api/auth/guest/refresh"), 404, "NotFoundError", "No auth provider registered for 'guest'", "GET", "/guest/refresh");
    }
  }

  @Test
  void missing_credentials_are_401_with_the_error_envelope() {
    try (TestServer s = server(settings(List.of(), false, AuthSettings.GuestSettings.defaults()))) {
      TestServer.Response r = s.post("/api/permission/authorize?x=1", AUTHORIZE_BODY);
      assertError(r, 401, "AuthenticationError", "Missing credentials", "POST", "/authorize?x=1");
      SpecSchemas.assertMatches("permission", "POST", "/authorize", r);
      assertError(s.get("/api/permission/openapi.json"), 401, "AuthenticationError", "Missing credentials", "GET", "/openapi.json");
    }
  }

  @Test
  void malformed_or_foreign_tokens_are_401_and_never_echoed() throws Exception {
    try (TestServer s = server(settings(List.of(), false, AuthSettings.GuestSettings.defaults()))) {
      String garbage = "not-a-jwt-secret-value";
      TestServer.Response r = s.post("/api/permission/authorize", AUTHORIZE_BODY, "Authorization", "Bearer " + garbage);
      assertEquals(401, r.status());
      assertEquals("AuthenticationError", r.json().at("/error/name").asText());
      assertFalse(r.body().contains(garbage));

      AuthSettings otherKey = new AuthSettings("http://localhost:7007/api/auth", null, null, List.of(), false, null);
      String foreign = new UserTokens(otherKey, Clock.systemUTC()).issue("user:default/mallory", List.of()).token();
      TestServer.Response f = s.post("/api/permission/authorize", AUTHORIZE_BODY, "Authorization", "Bearer " + foreign);
      assertError(f, 401, "AuthenticationError", "Token signing key is unknown", "POST", "/authorize");
      assertFalse(f.body().contains(foreign));

      assertEquals(401, s.post("/api/permission/authorize", AUTHORIZE_BODY, "Authorization", "Basic dXNlcjpwYXNz").status());
    }
  }

  @Test
  void expired_tokens_are_401() {
    AuthSettings auth = settings(List.of(), false, AuthSettings.GuestSettings.defaults());
    try (TestServer s = server(auth)) {
      // same persisted key, issued two hours ago
      Clock past = Clock.offset(Clock.systemUTC(), Duration.ofHours(-2));
      String expired = new UserTokens(auth, past).issue("user:development/guest", List.of()).token();
      TestServer.Response r = s.post("/api/permission/authorize", AUTHORIZE_BODY, "Authorization", "Bearer " + expired);
      assertError(r, 401, "AuthenticationError", "Token has expired", "POST", "/authorize");
      String fresh = new UserTokens(auth, Clock.systemUTC()).issue("user:development/guest", List.of()).token();
      assertEquals(200, s.post("/api/permission/authorize", AUTHORIZE_BODY, "Authorization", "Bearer " + fresh).status());
    }
  }

  @Test
  void static_external_access_tokens_are_compared_exactly() {
    var token = new AuthSettings.StaticToken("s3cr3t-token-value", "ci-bot");
    try (TestServer s = server(settings(List.of(token), false, AuthSettings.GuestSettings.defaults()))) {
      assertEquals(200, s.post("/api/permission/authorize", AUTHORIZE_BODY, "Authorization", "Bearer s3cr3t-token-value").status());
      TestServer.Response wrong = s.post("/api/permission/authorize", AUTHORIZE_BODY, "Authorization", "Bearer s3cr3t-token-valuE");
      assertEquals(401, wrong.status());
      assertFalse(wrong.body().contains("s3cr3t"));
      // same keep-alive connection, values differing only in case (Jetty's header cache)
      assertEquals(200, s.post("/api/permission/authorize", AUTHORIZE_BODY, "Authorization", "Bearer s3cr3t-token-value").status());
    }
  }

  @Test
  void disabled_default_policy_lets_anonymous_requests_through_but_not_bad_tokens() {
    try (TestServer s = server(settings(List.of(), true, AuthSettings.GuestSettings.defaults()))) {
      assertEquals(200, s.post("/api/permission/authorize", AUTHORIZE_BODY).status());
      assertEquals(401, s.post("/api/permission/authorize", AUTHORIZE_BODY, "Authorization", "Bearer nope").status());
    }
  }

  @Test
  void authorize_rejects_malformed_bodies_with_400() {
    try (TestServer s = server(settings(List.of(), false, AuthSettings.GuestSettings.defaults()))) {
      String auth = "Bearer " + s.guestToken();
      TestServer.Response r = s.post("/api/permission/authorize", "{\"items\":", "Authorization", auth);
      assertEquals(400, r.status());
      assertEquals("InputError", r.json().at("/error/name").asText());
      assertTrue(r.json().at("/error/message").asText().startsWith("Malformed request body"));
      assertEquals(400, s.post("/api/permission/authorize", "{\"items\":[{}]}", "Authorization", auth).status());
      assertEquals(400, s.post("/api/permission/authorize", "[]", "Authorization", auth).status());
    }
  }

  // --- forged tokens: each is refused with 401 and never echoed ---

  private static final String ISSUER = "http://localhost:7007/api/auth";

  /** The server's own private key, as an attacker who stole it would not have it; used to isolate one claim at a time. */
  private ECKey serverKey() throws Exception {
    return ECKey.parse(Files.readString(keys.resolve("user-token-signing-key.jwk.json")));
  }

  private static JWTClaimsSet.Builder validClaims() {
    Instant now = Instant.now();
    return new JWTClaimsSet.Builder().issuer(ISSUER).subject("user:default/mallory").audience("backstage")
        .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(600)));
  }

  private static String sign(ECKey key, String kid, JWTClaimsSet claims) throws Exception {
    JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType("vnd.backstage.user")).keyID(kid).build();
    SignedJWT jwt = new SignedJWT(header, claims);
    jwt.sign(new ECDSASigner(key));
    return jwt.serialize();
  }

  private static String b64(String json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }

  private static void assertRefused(TestServer s, String token, String message) {
    TestServer.Response r = s.post("/api/permission/authorize", AUTHORIZE_BODY, "Authorization", "Bearer " + token);
    assertError(r, 401, "AuthenticationError", message, "POST", "/authorize");
    assertFalse(r.body().contains(token));
  }

  @Test
  void a_token_signed_by_the_server_key_with_valid_claims_is_accepted() throws Exception {
    // The control for the forgeries below: only the one claim each changes makes them fail.
    try (TestServer s = server(settings(List.of(), false, AuthSettings.GuestSettings.defaults()))) {
      ECKey key = serverKey();
      String token = sign(key, key.getKeyID(), validClaims().build());
      assertEquals(200, s.post("/api/permission/authorize", AUTHORIZE_BODY, "Authorization", "Bearer " + token).status());
    }
  }

  @Test
  void alg_none_tokens_are_refused() throws Exception {
    try (TestServer s = server(settings(List.of(), false, AuthSettings.GuestSettings.defaults()))) {
      String kid = serverKey().getKeyID();
      String unsigned = b64("{\"typ\":\"vnd.backstage.user\",\"alg\":\"none\",\"kid\":\"" + kid + "\"}")
          + "." + b64(validClaims().build().toString()) + ".";
      assertRefused(s, unsigned, "Failed to parse token");
      // the same with a signature part that is present but empty of meaning
      assertRefused(s, unsigned + "AAAA", "Failed to parse token");
    }
  }

  @Test
  void hs256_tokens_keyed_with_the_public_key_are_refused() throws Exception {
    try (TestServer s = server(settings(List.of(), false, AuthSettings.GuestSettings.defaults()))) {
      String publicJwk = JWKSet.parse(s.get("/api/auth/.well-known/jwks.json").body()).getKeys().get(0).toJSONString();
      String kid = serverKey().getKeyID();
      SignedJWT jwt = new SignedJWT(
          new JWSHeader.Builder(JWSAlgorithm.HS256).type(new JOSEObjectType("vnd.backstage.user")).keyID(kid).build(),
          validClaims().build());
      jwt.sign(new MACSigner(publicJwk.getBytes(StandardCharsets.UTF_8)));
      assertRefused(s, jwt.serialize(), "Token is not a user token");
      byte[] der = serverKey().toECPublicKey().getEncoded();
      SignedJWT withDer = new SignedJWT(
          new JWSHeader.Builder(JWSAlgorithm.HS256).type(new JOSEObjectType("vnd.backstage.user")).keyID(kid).build(),
          validClaims().build());
      withDer.sign(new MACSigner(java.util.Arrays.copyOf(der, Math.max(der.length, 32))));
      assertRefused(s, withDer.serialize(), "Token is not a user token");
    }
  }

  @Test
  void tokens_of_another_issuer_are_refused_even_with_our_key() throws Exception {
    try (TestServer s = server(settings(List.of(), false, AuthSettings.GuestSettings.defaults()))) {
      ECKey key = serverKey();
      assertRefused(s, sign(key, key.getKeyID(), validClaims().issuer("https://evil.example/api/auth").build()),
          "Token has an invalid issuer");
      assertRefused(s, sign(key, key.getKeyID(), validClaims().issuer(null).build()), "Token has an invalid issuer");
      // another backend's key, same issuer
      AuthSettings otherKey = new AuthSettings(ISSUER, null, null, List.of(), false, null);
      String foreign = new UserTokens(otherKey, Clock.systemUTC()).issue("user:default/mallory", List.of()).token();
      assertRefused(s, foreign, "Token signing key is unknown");
    }
  }

  @Test
  void wrong_audience_type_or_missing_claims_are_refused() throws Exception {
    try (TestServer s = server(settings(List.of(), false, AuthSettings.GuestSettings.defaults()))) {
      ECKey key = serverKey();
      assertRefused(s, sign(key, key.getKeyID(), validClaims().audience("catalog").build()), "Token has an invalid audience");
      assertRefused(s, sign(key, key.getKeyID(), validClaims().expirationTime(null).build()), "Token has expired");
      assertRefused(s, sign(key, key.getKeyID(), validClaims().issueTime(null).build()), "Token is not valid yet");
      assertRefused(s, sign(key, key.getKeyID(), validClaims().subject(null).build()), "Token has no subject");
      SignedJWT plugin = new SignedJWT(
          new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType("vnd.backstage.plugin")).keyID(key.getKeyID()).build(),
          validClaims().build());
      plugin.sign(new ECDSASigner(key));
      assertRefused(s, plugin.serialize(), "Token is not a user token");
    }
  }

  @Test
  void unknown_kid_is_refused_even_when_signed_by_our_key() throws Exception {
    try (TestServer s = server(settings(List.of(), false, AuthSettings.GuestSettings.defaults()))) {
      ECKey key = serverKey();
      assertRefused(s, sign(key, "some-other-kid", validClaims().build()), "Token signing key is unknown");
      assertRefused(s, sign(key, null, validClaims().build()), "Token signing key is unknown");
    }
  }

  @Test
  void tokens_from_the_future_are_refused_beyond_a_small_clock_skew() throws Exception {
    try (TestServer s = server(settings(List.of(), false, AuthSettings.GuestSettings.defaults()))) {
      ECKey key = serverKey();
      Instant now = Instant.now();
      assertRefused(s, sign(key, key.getKeyID(), validClaims().issueTime(Date.from(now.plusSeconds(600)))
          .expirationTime(Date.from(now.plusSeconds(1200))).build()), "Token is not valid yet");
      assertRefused(s, sign(key, key.getKeyID(), validClaims().notBeforeTime(Date.from(now.plusSeconds(600))).build()),
          "Token is not valid yet");
      // a few seconds ahead is a clock difference between replicas, not an attack
      String slightlyAhead = sign(key, key.getKeyID(), validClaims().issueTime(Date.from(now.plusSeconds(5))).build());
      assertEquals(200, s.post("/api/permission/authorize", AUTHORIZE_BODY, "Authorization", "Bearer " + slightlyAhead).status());
    }
  }

  @Test
  void tampered_payloads_are_refused() {
    try (TestServer s = server(settings(List.of(), false, AuthSettings.GuestSettings.defaults()))) {
      String[] parts = s.guestToken().split("\\.");
      String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
          .replace("user:development/guest", "user:default/admin");
      assertTrue(payload.contains("user:default/admin"));
      assertRefused(s, parts[0] + "." + b64(payload) + "." + parts[2], "Token signature is invalid");
      // the untouched token still works: only the change made the difference
      assertEquals(200, s.post("/api/permission/authorize", AUTHORIZE_BODY, "Authorization",
          "Bearer " + parts[0] + "." + parts[1] + "." + parts[2]).status());
    }
  }

  @Test
  void over_long_tokens_are_refused() throws Exception {
    try (TestServer s = server(settings(List.of(), false, AuthSettings.GuestSettings.defaults()))) {
      ECKey key = serverKey();
      // validly signed, but padded with a large claim past Backstage's 32768-character limit;
      // the server's 8 KiB header limit refuses it before it is parsed (UserTokens checks the length too)
      String huge = sign(key, key.getKeyID(), validClaims().claim("pad", "x".repeat(UserTokens.MAX_TOKEN_LENGTH)).build());
      assertTrue(huge.length() > UserTokens.MAX_TOKEN_LENGTH);
      // A GET: Jetty answers 431 and closes, and unread request-body bytes would turn that close
      // into a reset that can beat the answer to the client.
      TestServer.Response r = s.get("/api/auth/.well-known/jwks.json", "Authorization", "Bearer " + huge);
      assertEquals(431, r.status(), r.body());
      assertEquals("RequestHeaderFieldsTooLargeError", r.json().at("/error/name").asText());
      assertEquals(431, r.json().at("/response/statusCode").asInt());
      assertFalse(r.body().contains(huge.substring(0, 40)));
    }
  }

  @Test
  void the_signing_key_file_is_owner_only() throws Exception {
    Path dir = keys.resolve("auth");
    AuthSettings auth = new AuthSettings(ISSUER, dir, AuthSettings.GuestSettings.defaults(), List.of(), false, null);
    try (TestServer s = server(auth)) {
      Path file = dir.resolve("user-token-signing-key.jwk.json");
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
      assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
      // only the key file is left behind: no temporary copy with the private key
      try (var files = Files.list(dir)) {
        assertEquals(List.of(file), files.toList());
      }
    }
    // a key file that was loosened (e.g. restored from a backup) is tightened at the next start
    Path file = dir.resolve("user-token-signing-key.jwk.json");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    try (TestServer s = server(auth)) {
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }
  }
}
