package org.meshportal.catalog.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
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
  private OidcPopup() {}

  /**
   * @param base the portal's base URL (its {@code backend.baseUrl})
   * @param appOrigin the app origin the popup posts to
   * @param claims the provider's claims for the user (email, email_verified, ...)
   * @return the {@code backstageIdentity} the popup page posts to the app
   */
  public static JsonNode signIn(Browser browser, MockOAuth2Server idp, String clientId, String base, String appOrigin,
      String env, String subject, Map<String, Object> claims) {
    idp.enqueueCallback(new DefaultOAuth2TokenCallback("default", subject, "JWT", List.of(clientId), claims, 3600));
    HttpResponse<String> start = browser.get(base + "/api/auth/oidc/start?scope=" + UriComponent.encode("openid email")
        + "&origin=" + UriComponent.encode(appOrigin) + "&flow=popup&env=" + env);
    assertEquals(302, start.statusCode(), start.body());
    HttpResponse<String> login = browser.get(start.headers().firstValue("Location").orElseThrow());
    assertEquals(302, login.statusCode(), login.body());
    HttpResponse<String> page = browser.get(login.headers().firstValue("Location").orElseThrow());
    assertEquals(200, page.statusCode(), page.body());
    Matcher payload = Pattern.compile("decodeURIComponent\\('([^']*)'\\)").matcher(page.body());
    assertTrue(payload.find(), page.body());
    JsonNode message;
    try {
      message = LoopbackHttp.JSON.readTree(UriComponent.decode(payload.group(1)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    assertTrue(message.path("error").isMissingNode(), message.toString());
    return message.at("/response/backstageIdentity");
  }

  /** {@code Bearer <token>} of a {@code backstageIdentity}. */
  public static String bearer(JsonNode backstageIdentity) {
    return "Bearer " + backstageIdentity.path("token").asText();
  }
}
