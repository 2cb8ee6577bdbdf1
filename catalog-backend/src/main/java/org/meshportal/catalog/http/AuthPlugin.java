package org.meshportal.catalog.http;

import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.Map;
import org.meshportal.catalog.audit.AuditEvent;
import org.meshportal.catalog.auth.AuthSettings;
import org.meshportal.catalog.auth.Principal;
import org.meshportal.catalog.auth.GuestSignIn;
import org.meshportal.catalog.auth.UserTokens;

/** {@code /api/auth}: guest sign-in, logout and the JWKS that verifies issued user tokens. */
final class AuthPlugin implements Plugin {
  private final UserTokens tokens;
  private final GuestSignIn guestSignIn;
  private final Json json;

  AuthPlugin(UserTokens tokens, GuestSignIn guestSignIn, Json json) {
    this.tokens = tokens;
    this.guestSignIn = guestSignIn;
    this.json = json;
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
        .openGet("/.well-known/jwks.json", ctx -> json.write(ctx, 200, tokens.jwks()));
  }

  private void refresh(Context ctx) {
    Audits.mark(ctx, AuditEvent.of("auth", "sign-in", "medium").with("provider", "guest"));
    GuestSignIn.Session session = guestSignIn.signIn();
    AuthSettings.GuestSettings guest = session.guest();
    // the audit line names who signed in (the route itself is open)
    ctx.attribute(HttpServer.PRINCIPAL, new Principal.User(guest.userEntityRef(), guest.ownershipEntityRefs()));
    UserTokens.IssuedToken token = session.token();
    Map<String, Object> identity = new LinkedHashMap<>();
    identity.put("type", "user");
    identity.put("userEntityRef", guest.userEntityRef());
    identity.put("ownershipEntityRefs", guest.ownershipEntityRefs());
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
}
