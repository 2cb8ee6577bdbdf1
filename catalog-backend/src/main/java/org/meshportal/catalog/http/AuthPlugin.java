package org.meshportal.catalog.http;

import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.meshportal.catalog.audit.AuditEvent;
import org.meshportal.catalog.auth.AuthSettings;
import org.meshportal.catalog.auth.GuestSignIn;
import org.meshportal.catalog.auth.OidcSignIn;
import org.meshportal.catalog.auth.SetCookie;
import org.meshportal.catalog.auth.UriComponent;
import org.meshportal.catalog.auth.UserTokens;
import org.meshportal.model.errors.NotFoundException;

/**
 * {@code /api/auth}: guest and OIDC sign-in, and the JWKS that verifies issued user tokens. Every
 * route is open (sign-in needs no token), as Backstage's auth plugin declares.
 */
final class AuthPlugin implements Plugin {
  private final UserTokens tokens;
  private final GuestSignIn guestSignIn;
  private final OidcSignIn oidc;
  private final Json json;
  private final Clock clock;

  /** @param oidc null when {@code auth.providers.oidc} is not configured */
  AuthPlugin(UserTokens tokens, GuestSignIn guestSignIn, OidcSignIn oidc, Json json, Clock clock) {
    this.tokens = tokens;
    this.guestSignIn = guestSignIn;
    this.oidc = oidc;
    this.json = json;
    this.clock = clock;
  }

  @Override
  public String id() {
    return "auth";
  }

  @Override
  public void addRoutes(PluginRoutes r) {
    r.openGet("/guest/refresh", this::refresh)
        .openPost("/guest/logout", ctx -> {
          guestSignIn.requireConfigured();
          ctx.status(200).result("");
        })
        .openGet("/.well-known/jwks.json", ctx -> json.write(ctx, 200, tokens.jwks()))
        .openGet("/oidc/start", this::oidcStart)
        .openGet("/oidc/handler/frame", this::oidcFrame)
        .openPost("/oidc/handler/frame", this::oidcFrame)
        .openGet("/oidc/refresh", this::oidcRefresh)
        .openPost("/oidc/refresh", this::oidcRefresh)
        .openPost("/oidc/logout", this::oidcLogout);
  }

  private void refresh(Context ctx) {
    Audits.mark(ctx, AuditEvent.of("auth", "sign-in", "medium").with("provider", "guest"));
    GuestSignIn.Session session = guestSignIn.signIn();
    AuthSettings.GuestSettings guest = session.guest();
    Audits.actor(ctx, session.userEntityRef());
    UserTokens.IssuedToken token = session.token();
    Map<String, Object> identity = new LinkedHashMap<>();
    identity.put("type", "user");
    identity.put("userEntityRef", session.userEntityRef());
    identity.put("ownershipEntityRefs", session.ownershipEntityRefs());
    Map<String, Object> backstageIdentity = new LinkedHashMap<>();
    backstageIdentity.put("token", token.token());
    backstageIdentity.put("expiresInSeconds", token.expiresInSeconds());
    backstageIdentity.put("identity", identity);
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("profile", Map.of("displayName", guest.displayName()));
    body.put("providerInfo", Map.of());
    body.put("backstageIdentity", backstageIdentity);
    ctx.header("Cache-Control", "no-store");
    json.write(ctx, 200, body);
  }

  private OidcSignIn oidc() {
    if (oidc == null) {
      throw new NotFoundException("No auth provider registered for 'oidc'");
    }
    return oidc;
  }

  private void oidcStart(Context ctx) {
    OidcSignIn.Redirect redirect = oidc().start(firstValues(ctx.queryParamMap()), ctx.cookieMap());
    setCookies(ctx, redirect.cookies());
    ctx.status(302).header("Location", redirect.location()).header("Cache-Control", "no-store").result("");
  }

  private void oidcFrame(Context ctx) {
    AuditEvent event = AuditEvent.of("auth", "sign-in", "medium").with("provider", "oidc");
    Audits.mark(ctx, event);
    Map<String, String> params = firstValues(ctx.queryParamMap());
    if (ctx.isFormUrlencoded()) {
      // response_mode=form_post: the provider posts code and state in the body
      params.putAll(firstValues(ctx.formParamMap()));
    }
    OidcSignIn.FrameResult result = oidc().frame(params, ctx.queryParam("env"), ctx.cookieMap());
    audit(ctx, event, result.outcome());
    setCookies(ctx, result.cookies());
    ctx.header("Cache-Control", "no-store");
    switch (result) {
      case OidcSignIn.RedirectBack back -> ctx.status(302).header("Location", back.location()).result("");
      case OidcSignIn.PopupMessage message -> popupPage(ctx, message);
    }
  }

  private void oidcRefresh(Context ctx) {
    AuditEvent event = AuditEvent.of("auth", "refresh", "medium").with("provider", "oidc");
    Audits.mark(ctx, event);
    OidcSignIn.Session session = oidc().refresh(firstValues(ctx.queryParamMap()), ctx.header("X-Requested-With"),
        ctx.cookieMap());
    audit(ctx, event, session.outcome());
    setCookies(ctx, session.cookies());
    ctx.header("Cache-Control", "no-store");
    json.write(ctx, 200, session.body());
  }

  private void oidcLogout(Context ctx) {
    AuditEvent event = AuditEvent.of("auth", "logout", "medium").with("provider", "oidc");
    Audits.mark(ctx, event);
    OidcSignIn.SignOut signOut = oidc().logout(firstValues(ctx.queryParamMap()), ctx.header("X-Requested-With"),
        ctx.header("Origin"), ctx.cookieMap());
    event.with("environment", signOut.environment()).with("hadSession", signOut.hadSession());
    setCookies(ctx, signOut.cookies());
    ctx.status(200).result("");
  }

  /** Who signed in, or the error the user was shown (the popup answers 200 either way). */
  private static void audit(Context ctx, AuditEvent event, OidcSignIn.Outcome outcome) {
    event.with("environment", outcome.environment());
    if (!outcome.succeeded()) {
      Audits.failed(ctx, outcome.errorName(), outcome.errorMessage());
    } else if (outcome.userEntityRef() != null) {
      Audits.actor(ctx, outcome.userEntityRef());
      event.with("ownershipEntityRefs", outcome.ownershipEntityRefs());
    }
  }

  /**
   * Backstage's popup page: tells the opener which origin the result goes to (posted to any
   * origin, so a misconfigured app can say why it heard nothing), then posts the result to that
   * origin only, then closes. Data is embedded URI-encoded with {@code '} escaped, so it cannot
   * leave the string literal; the script's hash is its only allowed script source.
   */
  private void popupPage(Context ctx, OidcSignIn.PopupMessage message) {
    String payload = UriComponent.encode(json.text(message.payload()));
    String origin = UriComponent.encode(message.targetOrigin());
    String script = "\n"
        + "      var authResponse = decodeURIComponent('" + payload + "');\n"
        + "      var origin = decodeURIComponent('" + origin + "');\n"
        + "      var originInfo = {'type': 'config_info', 'targetOrigin': origin};\n"
        + "      (window.opener || window.parent).postMessage(originInfo, '*');\n"
        + "      (window.opener || window.parent).postMessage(JSON.parse(authResponse), origin);\n"
        + "      setTimeout(() => {\n"
        + "        window.close();\n"
        + "      }, 100); // the login popup polls at this interval too\n"
        + "    ";
    ctx.status(200)
        .header("X-Frame-Options", "sameorigin")
        .header("Content-Security-Policy", "script-src 'sha256-" + sha256Base64(script) + "'")
        .contentType("text/html")
        .result("<html><body><script>" + script + "</script></body></html>");
  }

  private void setCookies(Context ctx, List<SetCookie> cookies) {
    java.time.Instant now = clock.instant();
    for (SetCookie c : cookies) {
      ctx.res().addHeader("Set-Cookie", c.header(now));
    }
  }

  private static Map<String, String> firstValues(Map<String, List<String>> params) {
    Map<String, String> out = new LinkedHashMap<>();
    params.forEach((k, v) -> out.put(k, v.isEmpty() ? "" : v.get(0)));
    return out;
  }

  private static String sha256Base64(String s) {
    try {
      return Base64.getEncoder().encodeToString(
          MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
