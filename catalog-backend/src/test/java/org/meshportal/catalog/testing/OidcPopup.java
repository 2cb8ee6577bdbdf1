package org.meshportal.catalog.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import org.meshportal.catalog.auth.UriComponent;

/**
 * Signs a user in through the OIDC popup flow as the stock frontend does, against a
 * mock-oauth2-server on loopback (issuer {@code default}) whose next sign-in is that user.
 */
public final class OidcPopup {
  /** The app origin the popup posts to. */
  public static final String APP = "http://localhost:3000";
  public static final String CLIENT_ID = "portal";
  public static final String CLIENT_SECRET = "portal-secret";

  private OidcPopup() {}

  /** A mock-oauth2-server on a free loopback port; the caller shuts it down. */
  public static MockOAuth2Server startProvider() {
    MockOAuth2Server idp = new MockOAuth2Server();
    try {
      idp.start(InetAddress.getByName("127.0.0.1"), 0);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return idp;
  }

  /**
   * A portal's app-config: listening on {@code port} with the public URL {@code baseUrl}, data in
   * {@code dataDir}, reading the catalog file {@code catalog}, and the oidc provider with
   * {@code environments} (each from {@link #environment}).
   */
  public static String serverYaml(String baseUrl, int port, Path dataDir, Path catalog, String... environments) {
    return """
        app: {baseUrl: '%s'}
        backend:
          baseUrl: '%s'
          listen: {port: %d}
          dataDir: '%s'
        catalog:
          locations:
            - {type: file, target: '%s'}
        auth:
          providers:
            oidc:
        %s""".formatted(APP, baseUrl, port, dataDir, catalog, String.join("", environments));
  }

  /**
   * One environment of the oidc provider, signing in through {@code idp} with the client above:
   * {@code resolver} is the resolver item's YAML (e.g. {@code {resolver: emailMatchingUserEntityProfileEmail}}),
   * {@code settings} further lines of the environment (e.g. {@code prompt: auto}).
   */
  public static String environment(MockOAuth2Server idp, String env, String resolver, String... settings) {
    StringBuilder y = new StringBuilder("""
        %s:
          metadataUrl: '%s'
          clientId: %s
          clientSecret: %s
        """.formatted(env, idp.wellKnownUrl("default"), CLIENT_ID, CLIENT_SECRET));
    for (String setting : settings) {
      y.append("  ").append(setting).append('\n');
    }
    y.append("""
          signIn:
            resolvers:
              - %s
        """.formatted(resolver));
    return y.toString().indent(6);
  }

  /** The provider's next sign-in is this user. */
  public static void nextUser(MockOAuth2Server idp, String subject, Map<String, Object> claims) {
    idp.enqueueCallback(new DefaultOAuth2TokenCallback("default", subject, "JWT", List.of(CLIENT_ID), claims, 3600));
  }

  /**
   * Signs in, through the client and app origin above, the provider user {@code subject} whose
   * verified email is {@code email}.
   *
   * @param base the portal's base URL (its {@code backend.baseUrl})
   * @return the {@code backstageIdentity} the popup page posts to the app
   */
  public static JsonNode signIn(Browser browser, MockOAuth2Server idp, String base, String env, String subject,
      String email) {
    nextUser(idp, subject, Map.of("email", email, "email_verified", true));
    HttpResponse<String> page = browser.get(callbackUrl(browser, base, env));
    assertEquals(200, page.statusCode(), page.body());
    Matcher payload = Pattern.compile("decodeURIComponent\\('([^']*)'\\)").matcher(page.body());
    assertTrue(payload.find(), page.body());
    JsonNode message = LoopbackHttp.json(UriComponent.decode(payload.group(1)));
    assertTrue(message.path("error").isMissingNode(), message.toString());
    return message.at("/response/backstageIdentity");
  }

  /** {@code /start} as the frontend's popup calls it: the provider's authorization URL. */
  public static String authorizeUrl(Browser browser, String base, String env) {
    HttpResponse<String> start = browser.get(base + "/api/auth/oidc/start?scope=" + UriComponent.encode("openid email")
        + "&origin=" + UriComponent.encode(APP) + "&flow=popup&env=" + env);
    assertEquals(302, start.statusCode(), start.body());
    return start.headers().firstValue("Location").orElseThrow();
  }

  /** {@code /start} through the provider's redirect: the callback URL the provider sends the browser to. */
  public static String callbackUrl(Browser browser, String base, String env) {
    HttpResponse<String> login = browser.get(authorizeUrl(browser, base, env));
    assertEquals(302, login.statusCode(), login.body());
    return login.headers().firstValue("Location").orElseThrow();
  }

  /** {@code Bearer <token>} of a {@code backstageIdentity}. */
  public static String bearer(JsonNode backstageIdentity) {
    return "Bearer " + backstageIdentity.path("token").asText();
  }
}
