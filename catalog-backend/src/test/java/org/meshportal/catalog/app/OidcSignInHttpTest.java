package org.meshportal.catalog.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.meshportal.catalog.testing.AccessChecks.assertFields;
import static org.meshportal.catalog.testing.AccessChecks.auditEvents;
import static org.meshportal.catalog.testing.LoopbackHttp.freePort;
import static org.meshportal.catalog.testing.OidcPopup.APP;
import static org.meshportal.catalog.testing.OidcPopup.CLIENT_ID;
import static org.meshportal.catalog.testing.OidcPopup.CLIENT_SECRET;
import static org.meshportal.catalog.testing.OidcPopup.authorizeUrl;
import static org.meshportal.catalog.testing.OidcPopup.callbackUrl;
import static org.meshportal.catalog.testing.OidcPopup.environment;
import static org.meshportal.catalog.testing.OidcPopup.nextUser;
import static org.meshportal.catalog.testing.OidcPopup.serverYaml;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshportal.catalog.auth.UriComponent;
import org.meshportal.catalog.config.ConfigException;
import org.meshportal.catalog.testing.Browser;
import org.meshportal.catalog.testing.LoopbackHttp;
import org.meshportal.catalog.testing.OidcPopup;
import org.meshportal.catalog.testing.TestPostgres;

/**
 * OIDC sign-in over HTTP against a real OIDC provider (mock-oauth2-server) on loopback: the popup
 * flow a browser goes through, refresh, logout, resolvers, tampering, a restart and two replicas.
 */
class OidcSignInHttpTest {
  @TempDir Path tmp;
  @AutoClose("shutdown") private MockOAuth2Server idp;
  private final List<Application> apps = new ArrayList<>();

  @BeforeEach
  void startProvider() throws IOException {
    idp = OidcPopup.startProvider();
    Path catalog = Files.createDirectories(tmp.resolve("catalog"));
    Files.writeString(catalog.resolve("org.yaml"), """
        apiVersion: backstage.io/v1alpha1
        kind: User
        metadata: {name: jane}
        spec:
          profile: {email: jane@example.com, displayName: Jane}
          memberOf: [team-a]
        ---
        apiVersion: backstage.io/v1alpha1
        kind: Group
        metadata: {name: team-a}
        spec: {type: team, parent: account-x, children: []}
        ---
        apiVersion: backstage.io/v1alpha1
        kind: Group
        metadata: {name: account-x}
        spec: {type: account, parent: org-root, children: []}
        ---
        apiVersion: backstage.io/v1alpha1
        kind: Group
        metadata: {name: org-root}
        spec: {type: org, children: []}
        ---
        apiVersion: backstage.io/v1alpha1
        kind: Group
        metadata: {name: team-b}
        spec: {type: team, children: []}
        """);
  }

  @AfterEach
  void stop() {
    apps.forEach(Application::close);
  }

  // ------------------------------------------------------------------ helpers

  /** Config for a server listening on {@code port} whose public base URL is {@code baseUrl}. */
  private Path config(String name, int port, String baseUrl, String dataDir) throws IOException {
    return Files.writeString(tmp.resolve(name + ".yaml"), serverYaml(baseUrl, port, tmp.resolve(dataDir),
        tmp.resolve("catalog/org.yaml"),
        environment(idp, "development", "{resolver: emailMatchingUserEntityProfileEmail}"),
        environment(idp, "lenient",
            "{resolver: emailLocalPartMatchingUserEntityName, dangerouslyAllowSignInWithoutUserInCatalog: true}",
            "prompt: auto"),
        environment(idp, "by-username", "{resolver: preferredUsernameMatchingUserEntityName}")));
  }

  /** A server's config on a free port, with its own URL as the public one. */
  private record Server(String base, Path config) {}

  private Server server(String name) throws IOException {
    int port = freePort();
    String base = "http://127.0.0.1:" + port;
    return new Server(base, config(name, port, base, "data"));
  }

  /** Replaces the first {@code from} in {@code config} with {@code to}. */
  private static void edit(Path config, String from, String to) throws IOException {
    String text = Files.readString(config);
    int at = text.indexOf(from);
    assertTrue(at >= 0, from + " in " + text);
    Files.writeString(config, text.substring(0, at) + to + text.substring(at + from.length()));
  }

  /** Starts a server with the config above: its base URL. */
  private String startServer() throws IOException {
    Server server = server("server");
    start(server.config());
    return server.base();
  }

  private Application start(Path config) {
    // Config file locations are read before start returns, so the users are there.
    Application app = Application.start(List.of(config), false, name -> null);
    apps.add(app);
    return app;
  }

  private void nextJane() {
    nextUser(idp, "jane-sub", Map.of("email", "jane@example.com", "email_verified", true, "name", "Jane Doe",
        "preferred_username", "jane"));
  }

  /** The message the popup page posts, after checking its headers and script hash. */
  private static JsonNode popupMessage(HttpResponse<String> page) throws Exception {
    assertEquals(200, page.statusCode(), page.body());
    assertTrue(page.headers().firstValue("Content-Type").orElseThrow().startsWith("text/html"));
    assertEquals("sameorigin", page.headers().firstValue("X-Frame-Options").orElseThrow());
    Matcher script = Pattern.compile("<html><body><script>(.*)</script></body></html>", Pattern.DOTALL)
        .matcher(page.body());
    assertTrue(script.matches(), page.body());
    String hash = Base64.getEncoder().encodeToString(
        MessageDigest.getInstance("SHA-256").digest(script.group(1).getBytes(StandardCharsets.UTF_8)));
    assertEquals("script-src 'sha256-" + hash + "'", page.headers().firstValue("Content-Security-Policy").orElseThrow());
    Matcher args = Pattern.compile("decodeURIComponent\\('([^']*)'\\)").matcher(script.group(1));
    assertTrue(args.find());
    JsonNode payload = LoopbackHttp.JSON.readTree(UriComponent.decode(args.group(1)));
    assertTrue(args.find());
    assertEquals(APP, UriComponent.decode(args.group(1)), "posted to the app origin only");
    assertTrue(script.group(1).contains("postMessage(JSON.parse(authResponse), origin)"));
    assertEquals("authorization_response", payload.path("type").asText());
    return payload;
  }

  private static JsonNode json(HttpResponse<String> r) {
    try {
      return LoopbackHttp.JSON.readTree(r.body());
    } catch (IOException e) {
      throw new AssertionError("not JSON (" + r.statusCode() + "): " + r.body(), e);
    }
  }

  private static void assertError(HttpResponse<String> r, int status, String name, String message) {
    assertEquals(status, r.statusCode(), r.body());
    assertEquals(name, json(r).at("/error/name").asText(), r.body());
    assertEquals(message, json(r).at("/error/message").asText(), r.body());
  }

  private static final String XHR = "X-Requested-With";

  // ------------------------------------------------------------------ tests

  @Test
  void popup_sign_in_issues_a_backstage_token_with_the_user_and_its_groups_up_the_tree() throws Exception {
    String base = startServer();
    Browser browser = new Browser();
    nextJane();

    HttpResponse<String> start = browser.get(base + "/api/auth/oidc/start?scope=" + UriComponent.encode("openid email")
        + "&origin=" + UriComponent.encode(APP) + "&flow=popup&env=development");
    assertEquals(302, start.statusCode());
    assertEquals("", start.body());
    URI authorize = URI.create(start.headers().firstValue("Location").orElseThrow());
    assertTrue(authorize.toString().startsWith(idp.authorizationEndpointUrl("default").toString()), authorize.toString());
    Map<String, String> q = query(authorize);
    assertEquals("code", q.get("response_type"));
    assertEquals(CLIENT_ID, q.get("client_id"));
    assertEquals(base + "/api/auth/oidc/handler/frame", q.get("redirect_uri"));
    assertEquals("S256", q.get("code_challenge_method"));
    assertNotNull(q.get("code_challenge"));
    assertNotNull(q.get("nonce"));
    assertEquals("none", q.get("prompt"), "Backstage's default prompt");
    assertEquals("offline", q.get("access_type"));
    assertEquals("openid email profile", q.get("scope"));
    // Backstage's state: form fields as lower-case hex
    String state = new String(HexFormat.of().parseHex(q.get("state")), StandardCharsets.UTF_8);
    String nonce = browser.cookie("oidc-nonce");
    assertEquals("nonce=" + nonce + "&env=development&origin=http%3A%2F%2Flocalhost%3A3000&flow=popup"
        + "&scope=openid+email+profile", state);
    assertEquals(24, UriComponent.decode(nonce).length(), "16 random bytes, base64");
    String nonceCookie = browser.setCookie("oidc-nonce");
    assertTrue(nonceCookie.contains("; Max-Age=600; Path=/api/auth/oidc/handler;"), nonceCookie);
    assertTrue(nonceCookie.contains("; HttpOnly") && nonceCookie.endsWith("; SameSite=Lax"), nonceCookie);
    assertFalse(nonceCookie.contains("Secure") || nonceCookie.contains("Domain"), nonceCookie);

    HttpResponse<String> login = browser.get(authorize.toString());
    String callback = login.headers().firstValue("Location").orElseThrow();
    assertTrue(callback.startsWith(base + "/api/auth/oidc/handler/frame?"), callback);
    JsonNode payload = popupMessage(browser.get(callback));
    JsonNode response = payload.path("response");
    assertTrue(payload.path("error").isMissingNode(), payload.toString());
    assertEquals("jane@example.com", response.at("/profile/email").asText());
    assertEquals("Jane Doe", response.at("/profile/displayName").asText());
    assertEquals("openid email profile", response.at("/providerInfo/scope").asText());
    assertTrue(response.at("/providerInfo/expiresInSeconds").asInt() > 0);
    assertFalse(response.at("/providerInfo/accessToken").asText().isEmpty());
    assertEquals(CLIENT_ID, SignedJWT.parse(response.at("/providerInfo/idToken").asText()).getJWTClaimsSet()
        .getAudience().get(0));
    assertTrue(response.path("providerInfo").path("refreshToken").isMissingNode(), "stays in the cookie");
    JsonNode identity = response.at("/backstageIdentity/identity");
    assertEquals("user", identity.path("type").asText());
    assertEquals("user:default/jane", identity.path("userEntityRef").asText());
    assertEquals("[\"user:default/jane\",\"group:default/team-a\",\"group:default/account-x\",\"group:default/org-root\"]",
        identity.path("ownershipEntityRefs").toString());
    assertEquals(3600, response.at("/backstageIdentity/expiresInSeconds").asInt());

    String token = response.at("/backstageIdentity/token").asText();
    SignedJWT jwt = SignedJWT.parse(token);
    assertEquals("vnd.backstage.user", jwt.getHeader().getType().getType());
    assertEquals("user:default/jane", jwt.getJWTClaimsSet().getSubject());
    assertEquals(List.of("user:default/jane", "group:default/team-a", "group:default/account-x", "group:default/org-root"),
        jwt.getJWTClaimsSet().getStringListClaim("ent"));
    JWKSet keys = JWKSet.parse(browser.get(base + "/api/auth/.well-known/jwks.json").body());
    assertTrue(jwt.verify(new ECDSAVerifier(keys.getKeyByKeyId(jwt.getHeader().getKeyID()).toECKey())));
    assertEquals(200, browser.get(base + "/api/catalog/entities/by-name/user/default/jane",
        "Authorization", "Bearer " + token).statusCode(), "the token opens the API");

    String refreshCookie = browser.setCookie("oidc-refresh-token");
    assertNotNull(refreshCookie, "the provider's refresh token is kept in the browser");
    assertTrue(refreshCookie.contains("; Max-Age=86400000; Path=/api/auth/oidc;"), refreshCookie);
    assertTrue(refreshCookie.contains("; HttpOnly") && refreshCookie.endsWith("; SameSite=Lax"), refreshCookie);
    assertTrue(browser.setCookie("oidc-granted-scope").startsWith("oidc-granted-scope=openid%20email%20profile;"));
    assertFalse(String.join("\n", browser.setCookieHeaders()).contains(response.at("/providerInfo/accessToken").asText()));
  }

  @Test
  void refresh_uses_the_cookie_for_a_fresh_token_and_logout_clears_it() throws Exception {
    String base = startServer();
    Browser browser = new Browser();
    nextJane();
    JsonNode signedIn = popupMessage(browser.get(callbackUrl(browser, base, "development"))).path("response");

    String refreshUrl = base + "/api/auth/oidc/refresh?optional&scope=" + UriComponent.encode("openid email")
        + "&env=development";
    assertError(browser.get(refreshUrl), 401, "AuthenticationError", "Invalid X-Requested-With header");
    HttpResponse<String> refreshed = browser.get(refreshUrl, XHR, "XMLHttpRequest");
    assertEquals(200, refreshed.statusCode(), refreshed.body());
    JsonNode body = json(refreshed);
    assertEquals("jane@example.com", body.at("/profile/email").asText());
    assertEquals("openid email profile", body.at("/providerInfo/scope").asText());
    assertEquals("user:default/jane", body.at("/backstageIdentity/identity/userEntityRef").asText());
    String fresh = body.at("/backstageIdentity/token").asText();
    assertNotEquals(signedIn.at("/backstageIdentity/token").asText(), fresh);
    assertEquals(4, SignedJWT.parse(fresh).getJWTClaimsSet().getStringListClaim("ent").size());
    assertEquals(200, browser.send("POST", refreshUrl, XHR, "XMLHttpRequest").statusCode(), "POST works too");

    HttpResponse<String> noXhr = browser.send("POST", base + "/api/auth/oidc/logout?env=development");
    assertError(noXhr, 401, "AuthenticationError", "Invalid X-Requested-With header");
    HttpResponse<String> foreign = browser.send("POST", base + "/api/auth/oidc/logout?env=development",
        XHR, "XMLHttpRequest", "Origin", "https://evil.example.com");
    assertError(foreign, 403, "NotAllowedError", "Origin 'https://evil.example.com' is not allowed");
    HttpResponse<String> logout = browser.send("POST", base + "/api/auth/oidc/logout?env=development",
        XHR, "XMLHttpRequest", "Origin", APP);
    assertEquals(200, logout.statusCode(), logout.body());
    assertEquals("", logout.body());
    List<String> cleared = logout.headers().allValues("Set-Cookie");
    assertTrue(cleared.stream().anyMatch(h -> h.startsWith("oidc-refresh-token=; Max-Age=0; Path=/api/auth/oidc;")),
        cleared.toString());
    assertTrue(cleared.stream().anyMatch(h -> h.startsWith("oidc-granted-scope=; Max-Age=0; Path=/api/auth/oidc;")),
        cleared.toString());
    assertNull(browser.cookie("oidc-refresh-token"));
    assertError(browser.get(refreshUrl, XHR, "XMLHttpRequest"), 401, "AuthenticationError",
        "Refresh failed; caused by InputError: Missing session cookie");
  }

  @Test
  void sign_ins_refreshes_logouts_and_failed_sign_ins_write_audit_lines_without_secrets() throws Exception {
    Server server = server("server");
    String base = server.base();
    Path auditFile = tmp.resolve("audit").resolve("audit.log");
    edit(server.config(), "backend:\n", "backend:\n  auditor: {file: '" + auditFile + "'}\n");
    start(server.config());

    // a sign-in: start writes nothing, the callback one line naming the user
    Browser browser = new Browser();
    nextJane();
    String callback = callbackUrl(browser, base, "development");
    String code = query(URI.create(callback)).get("code");
    String nonce = browser.cookie("oidc-nonce");
    JsonNode signedIn = popupMessage(browser.get(callback, "User-Agent", "audit-test")).path("response");
    List<JsonNode> lines = auditEvents(auditFile);
    assertEquals(1, lines.size(), lines.toString());
    JsonNode line = lines.get(0);
    assertEquals(true, line.path("isAuditEvent").asBoolean());
    assertFields(line, "/plugin", "auth", "/eventId", "sign-in", "/severityLevel", "medium", "/status", "succeeded",
        "/actor/actorId", "user:default/jane", "/actor/ip", "127.0.0.1", "/actor/userAgent", "audit-test",
        "/request/method", "GET");
    String url = line.at("/request/url").asText();
    assertTrue(url.startsWith("/api/auth/oidc/handler/frame?") && url.contains("code=[REDACTED]")
        && url.contains("state=[REDACTED]"), url);
    assertFields(line, "/meta/provider", "oidc", "/meta/environment", "development");
    assertEquals("[\"user:default/jane\",\"group:default/team-a\",\"group:default/account-x\",\"group:default/org-root\"]",
        line.at("/meta/ownershipEntityRefs").toString());
    String refreshToken = browser.cookie("oidc-refresh-token");
    assertNotNull(refreshToken);

    // a provider user the catalog does not know: the popup shows the error, the line says failed
    Browser stranger = new Browser();
    nextUser(idp, "nobody-sub", Map.of("email", "nobody@example.com", "email_verified", true));
    JsonNode refused = popupMessage(stranger.get(callbackUrl(stranger, base, "development")));
    assertEquals("Error", refused.at("/error/name").asText());
    line = auditEvents(auditFile).get(1);
    assertFields(line, "/eventId", "sign-in", "/status", "failed",
        "/error", "Error: " + refused.at("/error/message").asText());
    assertTrue(line.path("error").asText().startsWith("Error: Failed to sign-in, unable to resolve user identity"));
    assertTrue(line.at("/actor/actorId").isMissingNode(), line.toString());
    assertEquals("development", line.at("/meta/environment").asText());

    // refresh: a fresh token for jane; without a session cookie: failed
    HttpResponse<String> refreshed = browser.get(base + "/api/auth/oidc/refresh?optional&env=development",
        XHR, "XMLHttpRequest");
    assertEquals(200, refreshed.statusCode(), refreshed.body());
    String freshToken = json(refreshed).at("/backstageIdentity/token").asText();
    line = auditEvents(auditFile).get(2);
    assertFields(line, "/eventId", "refresh", "/status", "succeeded", "/actor/actorId", "user:default/jane",
        "/request/method", "GET", "/request/url", "/api/auth/oidc/refresh?optional&env=development");
    assertEquals(401, new Browser().get(base + "/api/auth/oidc/refresh?env=development", XHR, "XMLHttpRequest")
        .statusCode());
    line = auditEvents(auditFile).get(3);
    assertFields(line, "/eventId", "refresh", "/status", "failed",
        "/error", "AuthenticationError: Refresh failed; caused by InputError: Missing session cookie");

    // logout
    assertEquals(200, browser.send("POST", base + "/api/auth/oidc/logout?env=development", XHR, "XMLHttpRequest")
        .statusCode());
    line = auditEvents(auditFile).get(4);
    assertFields(line, "/eventId", "logout", "/status", "succeeded", "/request/method", "POST");
    assertTrue(line.at("/meta/hadSession").asBoolean(), line.toString());
    assertEquals(5, auditEvents(auditFile).size());

    String trail = Files.readString(auditFile);
    for (String secret : List.of(code, nonce, UriComponent.decode(nonce), refreshToken, UriComponent.decode(refreshToken),
        signedIn.at("/backstageIdentity/token").asText(), freshToken, signedIn.at("/providerInfo/accessToken").asText(),
        signedIn.at("/providerInfo/idToken").asText(), CLIENT_SECRET)) {
      assertFalse(trail.contains(secret), "the audit trail holds a secret: " + secret);
    }
  }

  @Test
  void resolvers_find_users_by_email_local_part_or_username_and_refuse_unknown_users() throws Exception {
    String base = startServer();

    // Not in the catalog: Backstage's error, posted to the app
    Browser stranger = new Browser();
    nextUser(idp, "sam-sub", Map.of("email", "sam@example.com", "email_verified", true));
    JsonNode refused = popupMessage(stranger.get(callbackUrl(stranger, base, "development")));
    assertTrue(refused.path("response").isMissingNode());
    assertEquals("Error", refused.at("/error/name").asText());
    assertEquals("Failed to sign-in, unable to resolve user identity. Please verify that your catalog contains the "
        + "expected User entities that would match your configured sign-in resolver.", refused.at("/error/message").asText());

    // An email the provider did not verify does not count
    Browser unverified = new Browser();
    nextUser(idp, "jane-sub", Map.of("email", "jane@example.com", "email_verified", false));
    assertEquals("Login failed, user profile does not contain an email",
        popupMessage(unverified.get(callbackUrl(unverified, base, "development"))).at("/error/message").asText());

    // emailLocalPartMatchingUserEntityName, with sign-in allowed outside the catalog
    Browser lenient = new Browser();
    nextUser(idp, "jane-sub", Map.of("email", "jane@other.example", "email_verified", true));
    String authorize = authorizeUrl(lenient, base, "lenient");
    assertNull(query(URI.create(authorize)).get("prompt"), "prompt: auto sends none");
    String callback = lenient.get(authorize).headers().firstValue("Location").orElseThrow();
    JsonNode jane = popupMessage(lenient.get(callback)).path("response");
    assertEquals(4, jane.at("/backstageIdentity/identity/ownershipEntityRefs").size());
    Browser newcomer = new Browser();
    nextUser(idp, "sam-sub", Map.of("email", "Sam@example.com", "email_verified", true));
    JsonNode sam = popupMessage(newcomer.get(callbackUrl(newcomer, base, "lenient"))).path("response");
    assertEquals("user:default/sam", sam.at("/backstageIdentity/identity/userEntityRef").asText());
    assertEquals("[\"user:default/sam\"]", sam.at("/backstageIdentity/identity/ownershipEntityRefs").toString());

    // preferredUsernameMatchingUserEntityName
    Browser byName = new Browser();
    nextUser(idp, "jane-sub", Map.of("preferred_username", "jane"));
    JsonNode found = popupMessage(byName.get(callbackUrl(byName, base, "by-username"))).path("response");
    assertEquals("user:default/jane", found.at("/backstageIdentity/identity/userEntityRef").asText());
  }

  @Test
  void tampered_state_missing_or_wrong_nonce_and_replays_are_refused() throws Exception {
    String base = startServer();

    // No nonce cookie (a callback delivered to another browser)
    Browser browser = new Browser();
    nextJane();
    String callback = callbackUrl(browser, base, "development");
    Browser other = new Browser();
    assertEquals("Auth response is missing cookie nonce", popupMessage(other.get(callback)).at("/error/message").asText());
    assertEquals("NotAllowedError", popupMessage(other.get(callback)).at("/error/name").asText());

    // A nonce cookie from another sign-in
    Browser mixed = new Browser();
    nextJane();
    callbackUrl(mixed, base, "development");
    assertEquals("Invalid nonce", popupMessage(mixed.get(callback)).at("/error/message").asText());

    // The state changed on the way (scope edited), nonce kept: the stored state does not match
    Map<String, String> q = query(URI.create(callback));
    String state = new String(HexFormat.of().parseHex(q.get("state")), StandardCharsets.UTF_8);
    String edited = HexFormat.of().formatHex(state.replace("scope=openid", "scope=admin+openid")
        .getBytes(StandardCharsets.UTF_8));
    String tampered = base + "/api/auth/oidc/handler/frame?code=" + UriComponent.encode(q.get("code"))
        + "&state=" + edited;
    assertEquals("Authentication failed, state mismatch", popupMessage(browser.get(tampered)).at("/error/message").asText());
    // ... and that attempt used up the pending sign-in: the genuine callback is now a replay too
    assertEquals("Authentication failed, the sign-in expired or was already completed; please sign in again",
        popupMessage(browser.get(callback)).at("/error/message").asText());

    // A state naming an origin that is not allowed
    Browser evil = new Browser();
    nextJane();
    String good = callbackUrl(evil, base, "development");
    Map<String, String> gq = query(URI.create(good));
    String evilState = HexFormat.of().formatHex(new String(HexFormat.of().parseHex(gq.get("state")), StandardCharsets.UTF_8)
        .replace("localhost%3A3000", "evil.example.com").getBytes(StandardCharsets.UTF_8));
    JsonNode refused = popupMessage(evil.get(base + "/api/auth/oidc/handler/frame?code=x&state=" + evilState));
    assertEquals("Origin 'http://evil.example.com' is not allowed", refused.at("/error/message").asText());

    // The genuine callback works once, then is a replay
    JsonNode ok = popupMessage(evil.get(good));
    assertEquals("user:default/jane", ok.at("/response/backstageIdentity/identity/userEntityRef").asText());
    assertEquals("Authentication failed, the sign-in expired or was already completed; please sign in again",
        popupMessage(evil.get(good)).at("/error/message").asText());

    // The provider's own error (prompt=none without a session, say) comes back as the popup's error
    Browser denied = new Browser();
    nextJane();
    String deniedCallback = callbackUrl(denied, base, "development").replaceFirst("code=[^&]*",
        "error=login_required&error_description=" + UriComponent.encode("no session"));
    assertEquals("Authentication failed, login_required (no session)",
        popupMessage(denied.get(deniedCallback)).at("/error/message").asText());

    // No environment anywhere: a JSON error, as Backstage's environment handler answers
    assertError(browser.get(base + "/api/auth/oidc/handler/frame?code=x"), 400, "InputError",
        "Must specify 'env' query to select environment");
  }

  @Test
  void start_checks_environment_origin_and_redirect_url() throws Exception {
    Server server = server("server");
    String base = server.base();
    edit(server.config(), "auth:\n  providers:",
        "auth:\n  experimentalExtraAllowedOrigins: ['https://*.preview.example.com']\n  providers:");
    start(server.config());
    Browser b = new Browser();
    assertError(b.get(base + "/api/auth/oidc/start"), 400, "InputError", "Must specify 'env' query to select environment");
    assertError(b.get(base + "/api/auth/oidc/start?env=production"), 404, "NotFoundError",
        "No configuration available for the 'production' environment of this provider.");
    assertError(b.get(base + "/api/auth/oidc/start?env=development&origin=" + UriComponent.encode("https://evil.example.com")),
        403, "NotAllowedError", "Origin 'https://evil.example.com' is not allowed");
    assertError(b.get(base + "/api/auth/oidc/start?env=development&origin=notaurl"), 400, "InputError",
        "App origin is invalid, failed to parse");
    assertError(b.get(base + "/api/auth/oidc/start?env=development&flow=redirect"), 400, "InputError",
        "No redirectUrl provided in request query parameters");
    assertError(b.get(base + "/api/auth/oidc/start?env=development&flow=redirect&redirectUrl="
        + UriComponent.encode("https://evil.example.com/x")), 403, "NotAllowedError", "Redirect URL is not an allowed origin");
    assertEquals(302, b.get(base + "/api/auth/oidc/start?env=development&origin="
        + UriComponent.encode("https://pr-7.preview.example.com")).statusCode(), "an extra allowed origin");
  }

  @Test
  void the_redirect_flow_returns_to_the_app_with_the_cookies_set() throws Exception {
    String base = startServer();
    Browser b = new Browser();
    nextJane();
    HttpResponse<String> start = b.get(base + "/api/auth/oidc/start?env=development&flow=redirect&redirectUrl="
        + UriComponent.encode(APP + "/catalog?x=1"));
    HttpResponse<String> login = b.get(start.headers().firstValue("Location").orElseThrow());
    HttpResponse<String> back = b.get(login.headers().firstValue("Location").orElseThrow());
    assertEquals(302, back.statusCode(), back.body());
    assertEquals(APP + "/catalog?x=1", back.headers().firstValue("Location").orElseThrow());
    assertNotNull(b.cookie("oidc-refresh-token"));
    assertEquals(200, b.get(base + "/api/auth/oidc/refresh?env=development", XHR, "XMLHttpRequest").statusCode());
  }

  @Test
  void a_session_and_a_sign_in_in_progress_survive_a_restart() throws Exception {
    Server server = server("server");
    String base = server.base();
    Path config = server.config();
    Application first = start(config);
    Browser browser = new Browser();
    nextJane();
    popupMessage(browser.get(callbackUrl(browser, base, "development")));
    Browser halfway = new Browser();
    String pendingCallback = callbackUrl(halfway, base, "development");
    first.close();
    apps.remove(first);

    start(config);
    HttpResponse<String> refreshed = browser.get(base + "/api/auth/oidc/refresh?optional&env=development",
        XHR, "XMLHttpRequest");
    assertEquals(200, refreshed.statusCode(), refreshed.body());
    assertEquals("user:default/jane", json(refreshed).at("/backstageIdentity/identity/userEntityRef").asText());
    String token = json(refreshed).at("/backstageIdentity/token").asText();
    assertEquals(200, browser.get(base + "/api/catalog/entities/by-name/user/default/jane",
        "Authorization", "Bearer " + token).statusCode());
    nextJane(); // the provider picks the claims when the code is exchanged
    JsonNode finished = popupMessage(halfway.get(pendingCallback));
    assertEquals("user:default/jane", finished.at("/response/backstageIdentity/identity/userEntityRef").asText(),
        finished.toString());
  }

  @Test
  void replicas_on_one_postgresql_share_sign_ins_in_progress_and_sessions() throws Exception {
    TestPostgres.Database db = TestPostgres.newDatabase("oidc");
    try {
      // Two replicas behind one public URL (the first's), as behind a load balancer.
      int portA = freePort();
      int portB = freePort();
      String publicBase = "http://127.0.0.1:" + portA;
      String pg = "  database: {client: pg, connection: '" + db.url() + "'}";
      Path a = config("a", portA, publicBase, "data-a");
      edit(a, "backend:\n", "backend:\n" + pg + "\n");
      Path bConfig = config("b", portB, publicBase, "data-b");
      edit(bConfig, "backend:\n", "backend:\n" + pg + "\n");
      start(a);
      start(bConfig);
      String replicaB = "http://127.0.0.1:" + portB;

      Browser browser = new Browser();
      nextJane();
      String callback = callbackUrl(browser, publicBase, "development"); // /start answered by A
      JsonNode signedIn = popupMessage(browser.get(callback.replace(publicBase, replicaB))); // callback lands on B
      assertEquals("user:default/jane", signedIn.at("/response/backstageIdentity/identity/userEntityRef").asText());
      String tokenFromB = signedIn.at("/response/backstageIdentity/token").asText();
      assertEquals(200, browser.get(publicBase + "/api/catalog/entities/by-name/user/default/jane",
          "Authorization", "Bearer " + tokenFromB).statusCode(), "B's token verifies on A");

      HttpResponse<String> refreshOnB = browser.get(replicaB + "/api/auth/oidc/refresh?env=development",
          XHR, "XMLHttpRequest");
      assertEquals(200, refreshOnB.statusCode(), refreshOnB.body());
      assertEquals(4, json(refreshOnB).at("/backstageIdentity/identity/ownershipEntityRefs").size());
      HttpResponse<String> refreshOnA = browser.get(publicBase + "/api/auth/oidc/refresh?env=development",
          XHR, "XMLHttpRequest");
      assertEquals(200, refreshOnA.statusCode(), refreshOnA.body());
      // The callback was answered once: a replay on A finds nothing
      assertEquals("Authentication failed, the sign-in expired or was already completed; please sign in again",
          popupMessage(browser.get(callback)).at("/error/message").asText());
    } finally {
      apps.forEach(Application::close);
      apps.clear();
      db.drop();
    }
  }

  @Test
  void configuration_mistakes_stop_start_up_with_the_key_named() throws Exception {
    Path scope = server("scope").config();
    edit(scope, "clientSecret: portal-secret\n", "clientSecret: portal-secret\n        scope: openid\n");
    ConfigException e = assertThrows(ConfigException.class, () -> start(scope));
    assertTrue(e.getMessage().contains("auth.providers.oidc.development.scope: The oidc provider no longer supports the "
        + "\"scope\" configuration option. Please use the \"additionalScopes\" option instead."), e.getMessage());

    Path resolver = server("resolver").config();
    edit(resolver, "emailMatchingUserEntityProfileEmail", "emailMatchingUserEntityProfileEmal");
    e = assertThrows(ConfigException.class, () -> start(resolver));
    assertTrue(e.getMessage().contains("auth.providers.oidc.development.signIn.resolvers[0].resolver: Sign-in resolver "
        + "'emailMatchingUserEntityProfileEmal' is not available"), e.getMessage());
    assertFalse(e.getMessage().contains(CLIENT_SECRET));
  }

  @Test
  void a_guest_whose_user_is_in_the_catalog_owns_what_that_user_owns() throws Exception {
    Server server = server("server");
    String base = server.base();
    Path config = server.config();
    edit(config, "auth:\n  providers:\n",
        "auth:\n  providers:\n    guest: {userEntityRef: 'user:default/Jane', ownershipEntityRefs: ['group:default/team-b']}\n");
    start(config);
    JsonNode identity = json(new Browser().get(base + "/api/auth/guest/refresh")).at("/backstageIdentity/identity");
    assertEquals("user:default/jane", identity.path("userEntityRef").asText());
    assertEquals("[\"user:default/jane\",\"group:default/team-a\",\"group:default/account-x\",\"group:default/org-root\"]",
        identity.path("ownershipEntityRefs").toString());
    // A guest the catalog does not know keeps the configured refs
    edit(config, "user:default/Jane", "user:default/nobody");
    apps.forEach(Application::close);
    apps.clear();
    start(config);
    identity = json(new Browser().get(base + "/api/auth/guest/refresh")).at("/backstageIdentity/identity");
    assertEquals("user:default/nobody", identity.path("userEntityRef").asText());
    assertEquals("[\"group:default/team-b\"]", identity.path("ownershipEntityRefs").toString());
  }

  @Test
  void without_oidc_configuration_the_routes_answer_404() throws Exception {
    Path config = Files.writeString(tmp.resolve("plain.yaml"), """
        backend:
          listen: {port: 0}
          dataDir: '%s'
        """.formatted(tmp.resolve("plain")));
    Application app = Application.start(List.of(config), false, name -> null);
    apps.add(app);
    Browser b = new Browser();
    assertError(b.get("http://127.0.0.1:" + app.port() + "/api/auth/oidc/start?env=development"), 404, "NotFoundError",
        "No auth provider registered for 'oidc'");
  }

  private static Map<String, String> query(URI uri) {
    Map<String, String> out = new LinkedHashMap<>();
    String raw = uri.getRawQuery();
    if (raw == null) {
      return out;
    }
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      out.put(java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
          eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return out;
  }
}
