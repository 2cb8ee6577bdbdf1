package org.meshportal.catalog.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshportal.catalog.config.ConfigException;
import org.meshportal.catalog.testing.LoopbackHttp;

/**
 * {@code backend.auth.externalAccess} entries of type {@code jwks}: tokens of a company identity
 * provider, verified against its JWKS served on loopback.
 */
class ExternalJwksHttpTest {
  private static final String ISSUER = "https://idp.example.com";

  @TempDir Path tmp;
  private HttpServer jwksServer;
  private RSAKey key;
  private final AtomicInteger jwksFetches = new AtomicInteger();
  private Application app;

  @BeforeEach
  void serveKeys() throws Exception {
    key = new RSAKeyGenerator(2048).keyID("idp-1").generate();
    byte[] jwks = new JWKSet(key.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
    jwksServer = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
    jwksServer.createContext("/jwks.json", exchange -> {
      jwksFetches.incrementAndGet();
      exchange.getResponseHeaders().add("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, jwks.length);
      exchange.getResponseBody().write(jwks);
      exchange.close();
    });
    jwksServer.start();
  }

  @AfterEach
  void stop() {
    if (app != null) {
      app.close();
    }
    jwksServer.stop(0);
  }

  private String jwksUrl() {
    return "http://127.0.0.1:" + jwksServer.getAddress().getPort() + "/jwks.json";
  }

  private Path config(String entries) throws IOException {
    return Files.writeString(tmp.resolve("config.yaml"), """
        backend:
          listen: {port: 0}
          dataDir: '%s'
          auth:
            externalAccess:
        %s
        """.formatted(tmp.resolve("data"), entries.indent(6).stripTrailing()));
  }

  private LoopbackHttp start(String entries) throws IOException {
    app = Application.start(List.of(config(entries)), false, name -> null);
    return new LoopbackHttp("http://127.0.0.1:" + app.port());
  }

  private String token(JWSAlgorithm alg, JWSSigner signer, String issuer, String audience, String subject,
      Instant expiry) throws JOSEException {
    JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer(issuer).audience(audience)
        .issueTime(new Date()).expirationTime(Date.from(expiry));
    if (subject != null) {
      claims.subject(subject);
    }
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID(key.getKeyID()).build(), claims.build());
    jwt.sign(signer);
    return jwt.serialize();
  }

  private String token(String issuer, String audience, String subject) throws JOSEException {
    return token(JWSAlgorithm.RS256, new RSASSASigner(key), issuer, audience, subject, Instant.now().plusSeconds(300));
  }

  private static int status(LoopbackHttp http, String path, String token) {
    return http.get(path, "Authorization", "Bearer " + token).status();
  }

  @Test
  void a_token_signed_by_the_company_key_is_accepted_and_wrong_issuer_audience_or_algorithm_are_not() throws Exception {
    LoopbackHttp http = start("""
        - type: jwks
          options:
            url: %s
            issuer: [%s, https://other.example.com]
            algorithm: RS256
            audience: backstage
            subjectPrefix: corp
          accessRestrictions:
            - plugin: catalog
        """.formatted(jwksUrl(), ISSUER));
    String good = token(ISSUER, "backstage", "ci-bot");
    assertEquals(200, status(http, "/api/catalog/entities", good));
    // The entry's restriction applies: the token came through this entry
    LoopbackHttp.Response elsewhere = http.get("/api/search/query?term=x", "Authorization", "Bearer " + good);
    assertEquals(403, elsewhere.status(), elsewhere.body());
    assertEquals("This token's access is restricted to plugin(s) 'catalog'", elsewhere.json().at("/error/message").asText());

    assertEquals(401, status(http, "/api/catalog/entities", token("https://evil.example.com", "backstage", "ci-bot")),
        "wrong issuer");
    assertEquals(401, status(http, "/api/catalog/entities", token(ISSUER, "another-app", "ci-bot")), "wrong audience");
    assertEquals(401, status(http, "/api/catalog/entities", token(ISSUER, "backstage", null)), "no subject");
    assertEquals(401, status(http, "/api/catalog/entities", token(JWSAlgorithm.RS256, new RSASSASigner(key), ISSUER,
        "backstage", "ci-bot", Instant.now().minusSeconds(600))), "expired");
    assertEquals(401, status(http, "/api/catalog/entities", token(JWSAlgorithm.RS512, new RSASSASigner(key), ISSUER,
        "backstage", "ci-bot", Instant.now().plusSeconds(300))), "an algorithm the entry does not allow");
    // An HMAC token keyed with the public modulus must never pass as the remote key
    byte[] secret = key.toPublicJWK().toRSAPublicKey().getEncoded();
    assertEquals(401, status(http, "/api/catalog/entities", token(JWSAlgorithm.HS256, new MACSigner(secret), ISSUER,
        "backstage", "ci-bot", Instant.now().plusSeconds(300))), "HS256");
    RSAKey stranger = new RSAKeyGenerator(2048).keyID("idp-1").generate();
    assertEquals(401, status(http, "/api/catalog/entities", token(JWSAlgorithm.RS256, new RSASSASigner(stranger), ISSUER,
        "backstage", "ci-bot", Instant.now().plusSeconds(300))), "signed by another key");
    LoopbackHttp.Response refused = http.get("/api/catalog/entities", "Authorization",
        "Bearer " + token("https://evil.example.com", "backstage", "ci-bot"));
    assertEquals("AuthenticationError", refused.json().at("/error/name").asText());
    assertTrue(jwksFetches.get() >= 1, "keys were fetched from the JWKS URL");
  }

  @Test
  void without_restrictions_any_asymmetric_algorithm_of_the_key_set_is_accepted() throws Exception {
    LoopbackHttp http = start("""
        - type: static
          options: {token: static-token-123, subject: ci}
        - type: jwks
          options:
            url: %s
        """.formatted(jwksUrl()));
    assertEquals(200, status(http, "/api/search/query?term=x", token("anyone", "anything", "svc")));
    assertEquals(200, status(http, "/api/catalog/entities", "static-token-123"), "static entries still work");
    assertEquals(401, status(http, "/api/catalog/entities", "not-a-jwt"));
  }

  @Test
  void bad_entries_stop_start_up() {
    ConfigException unknownType = assertThrows(ConfigException.class, () -> start("""
        - type: legacy
          options: {subject: x}
        """));
    assertTrue(unknownType.getMessage().contains("Unknown type 'legacy' in backend.auth.externalAccess"),
        unknownType.getMessage());
    ConfigException noUrl = assertThrows(ConfigException.class, () -> start("""
        - type: jwks
          options: {issuer: x}
        """));
    assertTrue(noUrl.getMessage().contains("backend.auth.externalAccess[0].options.url is required"), noUrl.getMessage());
    ConfigException hmac = assertThrows(ConfigException.class, () -> start("""
        - type: jwks
          options: {url: '%s', algorithm: HS256}
        """.formatted(jwksUrl())));
    assertTrue(hmac.getMessage().contains("asymmetric"), hmac.getMessage());
  }
}
