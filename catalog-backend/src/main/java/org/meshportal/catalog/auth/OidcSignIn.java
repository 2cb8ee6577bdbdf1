package org.meshportal.catalog.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.openid.connect.sdk.Nonce;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.meshportal.model.errors.AuthenticationException;
import org.meshportal.model.errors.InputException;
import org.meshportal.model.errors.NotAllowedException;
import org.meshportal.model.errors.NotFoundException;
import org.meshportal.model.errors.PortalException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Backstage's OAuth route handlers for the {@code oidc} provider, without HTTP types: {@code /start}
 * redirects to the provider, {@code /handler/frame} finishes the sign-in and yields the popup's
 * message (or a redirect), {@code /refresh} turns the refresh-token cookie into a fresh session and
 * Backstage token, {@code /logout} revokes and clears it.
 *
 * <p>Nothing lives in this process only: a sign-in between start and callback is in {@link
 * PendingSignIns} (the database), a session is the provider's refresh token in the browser's
 * {@code oidc-refresh-token} cookie, and user tokens verify on every replica. Thread-safe.
 */
public final class OidcSignIn {
  private static final Logger LOG = LoggerFactory.getLogger(OidcSignIn.class);
  static final String P = OidcSettings.PROVIDER_ID;
  static final String NONCE_COOKIE = P + "-nonce";
  static final String REFRESH_COOKIE = P + "-refresh-token";
  static final String SCOPE_COOKIE = P + "-granted-scope";
  static final Duration NONCE_LIFETIME = Duration.ofMinutes(10);
  /** Backstage splits longer cookie values into {@code <name>-0}, {@code <name>-1}, ... */
  static final int MAX_COOKIE_CHUNK = 4000;
  private static final int MAX_CHUNKS = 20;
  private static final Pattern SCOPE_SEPARATORS = Pattern.compile("[\\s|,]+");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final OidcSettings settings;
  private final Map<String, Environment> environments = new LinkedHashMap<>();
  private final PendingSignIns pending;
  private final UserTokens tokens;
  private final Clock clock;
  private final SecureRandom random = new SecureRandom();
  private final String appOrigin;
  private final List<Pattern> extraOrigins;

  private record Environment(OidcSettings.Provider settings, OidcClient client, SignInResolver resolver,
      String cookiePath, boolean secure) {}

  /**
   * @throws IllegalArgumentException for an unknown resolver name or a bad prompt
   */
  public OidcSignIn(OidcSettings settings, PendingSignIns pending, CatalogUsers catalog, UserTokens tokens,
      Clock clock) {
    this.settings = settings;
    this.pending = pending;
    this.tokens = tokens;
    this.clock = clock;
    this.appOrigin = originOf(settings.appBaseUrl().toString())
        .orElseThrow(() -> new IllegalArgumentException("app.baseUrl is not a URL: " + settings.appBaseUrl()));
    this.extraOrigins = settings.extraAllowedOrigins().stream().map(OidcSignIn::glob).toList();
    settings.environments().forEach((env, provider) -> {
      URI callback = provider.callbackUrl();
      String path = callback.getPath() == null ? "" : callback.getPath();
      String cookiePath = path.endsWith(P + "/handler/frame")
          ? path.substring(0, path.length() - "/handler/frame".length())
          : path + "/" + P;
      environments.put(env, new Environment(provider, new OidcClient(provider),
          new SignInResolver(provider.resolvers(), catalog), cookiePath,
          "https".equalsIgnoreCase(callback.getScheme())));
    });
  }

  /** The start of a sign-in: where to send the browser, and the nonce cookie. */
  public record Redirect(String location, List<SetCookie> cookies) {}

  /**
   * What a sign-in came to, for the audit trail: the environment, and either the signed-in user
   * (null when no resolver is configured, so nobody was signed in to the portal) or the error
   * the user was shown. Never holds a token, code or cookie value.
   */
  public record Outcome(String environment, String userEntityRef, List<String> ownershipEntityRefs,
      String errorName, String errorMessage) {
    static Outcome signedIn(String environment, SignedIn user) {
      return user == null ? new Outcome(environment, null, List.of(), null, null)
          : new Outcome(environment, user.userEntityRef(), user.ownershipEntityRefs(), null, null);
    }

    static Outcome failed(String environment, String errorName, String errorMessage) {
      return new Outcome(environment, null, List.of(), errorName, errorMessage);
    }

    public boolean succeeded() {
      return errorName == null;
    }
  }

  /** How {@code /handler/frame} answers. */
  public sealed interface FrameResult {
    List<SetCookie> cookies();

    Outcome outcome();
  }

  /** The popup page: post {@code payload} to {@code targetOrigin}. */
  public record PopupMessage(String targetOrigin, Map<String, Object> payload, List<SetCookie> cookies,
      Outcome outcome) implements FrameResult {}

  /** The redirect flow: send the browser to {@code location}. */
  public record RedirectBack(String location, List<SetCookie> cookies, Outcome outcome) implements FrameResult {}

  /**
   * A refreshed session: Backstage's body {@code {profile, providerInfo, backstageIdentity?}}, and
   * who it is (null without a resolver).
   */
  public record Session(Map<String, Object> body, List<SetCookie> cookies, Outcome outcome) {}

  /** A user a resolver signed in. */
  private record SignedIn(String userEntityRef, List<String> ownershipEntityRefs) {}

  /** A session body and the user it signed in (null without a resolver). */
  private record Built(Map<String, Object> body, SignedIn user) {}

  // ---------------------------------------------------------------- /start

  /**
   * @param query the request's query parameters (first value each)
   * @param cookies the request's cookies
   */
  public Redirect start(Map<String, String> query, Map<String, String> cookies) {
    Environment env = environment(query.get("env"), null);
    String origin = null;
    if (query.get("origin") != null) {
      origin = originOf(query.get("origin")).orElseThrow(() -> new InputException("App origin is invalid, failed to parse"));
      if (!allowed(origin)) {
        throw new NotAllowedException("Origin '" + origin + "' is not allowed");
      }
    }
    String flow = query.get("flow");
    String redirectUrl = null;
    if ("redirect".equals(flow)) {
      redirectUrl = query.get("redirectUrl");
      if (redirectUrl == null || redirectUrl.isEmpty()) {
        throw new InputException("No redirectUrl provided in request query parameters");
      }
      checkRedirectUrl(redirectUrl);
    }
    byte[] nonceBytes = new byte[16];
    random.nextBytes(nonceBytes);
    String nonce = Base64.getEncoder().encodeToString(nonceBytes);

    Set<String> scopes = new LinkedHashSet<>();
    addScopes(scopes, query.get("scope"));
    addScopes(scopes, cookie(cookies, SCOPE_COOKIE));
    scopes.addAll(OidcSettings.REQUIRED_SCOPES);
    scopes.addAll(env.settings().additionalScopes());
    String scope = String.join(" ", scopes);

    Map<String, String> state = new LinkedHashMap<>();
    state.put("nonce", nonce);
    state.put("env", env.settings().environment());
    putIfPresent(state, "origin", origin);
    putIfPresent(state, "redirectUrl", redirectUrl);
    putIfPresent(state, "flow", flow);
    state.put("scope", scope);
    String encodedState = encodeState(state);

    Nonce idTokenNonce = new Nonce();
    CodeVerifier verifier = env.client().supportsPkce() ? new CodeVerifier() : null;
    URI location = env.client().authorizationUrl(List.copyOf(scopes), encodedState, idTokenNonce, verifier);

    ObjectNode entry = JSON.createObjectNode()
        .put("env", env.settings().environment())
        .put("state", sha256(encodedState))
        .put("idTokenNonce", idTokenNonce.getValue());
    if (verifier != null) {
      entry.put("codeVerifier", verifier.getValue());
    }
    Instant now = clock.instant();
    pending.put(pendingId(nonce), entry.toString(), now.plus(NONCE_LIFETIME), now);
    return new Redirect(location.toString(),
        List.of(cookieFor(env, origin, NONCE_COOKIE, nonce, env.cookiePath() + "/handler", NONCE_LIFETIME)));
  }

  // ---------------------------------------------------------------- /handler/frame

  /**
   * @param params the callback's parameters (query, or form body for {@code form_post})
   * @param envQuery the {@code env} query parameter, if any
   * @throws InputException / NotFoundException when no environment can be selected (a JSON error,
   *     as in Backstage); every later failure becomes the popup's error message instead
   */
  public FrameResult frame(Map<String, String> params, String envQuery, Map<String, String> cookies) {
    String rawState = params.get("state");
    Map<String, String> state = rawState == null ? Map.of() : decodeState(rawState);
    Environment env = environment(envQuery, state.get("env"));
    String targetOrigin = appOrigin;
    List<SetCookie> cookiesOut = new ArrayList<>();
    try {
      if (state.get("env") == null || state.get("env").isEmpty()) {
        throw new NotAllowedException("OAuth state is invalid, missing env");
      }
      if (state.get("nonce") == null || state.get("nonce").isEmpty()) {
        throw new NotAllowedException("OAuth state is invalid, missing nonce");
      }
      if ("redirect".equals(state.get("flow"))) {
        if (state.get("redirectUrl") == null) {
          throw new InputException("No redirectUrl provided in request query parameters");
        }
        checkRedirectUrl(state.get("redirectUrl"));
      }
      if (state.get("origin") != null) {
        String origin = originOf(state.get("origin"))
            .orElseThrow(() -> new NotAllowedException("App origin is invalid, failed to parse"));
        if (!allowed(origin)) {
          throw new NotAllowedException("Origin '" + origin + "' is not allowed");
        }
        targetOrigin = origin;
      }
      String cookieNonce = cookie(cookies, NONCE_COOKIE);
      if (cookieNonce == null || cookieNonce.isEmpty()) {
        throw new NotAllowedException("Auth response is missing cookie nonce");
      }
      if (!MessageDigest.isEqual(cookieNonce.getBytes(StandardCharsets.UTF_8),
          state.get("nonce").getBytes(StandardCharsets.UTF_8))) {
        throw new NotAllowedException("Invalid nonce");
      }
      // Read once: a second callback with the same state (a replay) finds nothing.
      JsonNode entry = pending.take(pendingId(cookieNonce), clock.instant()).map(OidcSignIn::parseJson)
          .orElseThrow(() -> new SignInException(
              "Authentication failed, the sign-in expired or was already completed; please sign in again"));
      if (!MessageDigest.isEqual(sha256(rawState).getBytes(StandardCharsets.UTF_8),
          entry.path("state").asText().getBytes(StandardCharsets.UTF_8))
          || !env.settings().environment().equals(entry.path("env").asText())) {
        throw new SignInException("Authentication failed, state mismatch");
      }
      if (params.get("error") != null) {
        String description = params.get("error_description");
        throw new SignInException("Authentication failed, " + params.get("error")
            + (description == null ? "" : " (" + description + ")"));
      }
      String code = params.get("code");
      if (code == null || code.isEmpty()) {
        throw new SignInException("Authentication failed, the response has no authorization code");
      }
      String verifier = entry.path("codeVerifier").asText(null);
      OidcClient.Tokens t = env.client().exchange(code,
          verifier == null ? null : new CodeVerifier(verifier), new Nonce(entry.path("idTokenNonce").asText()));
      Built built = session(env, t, state.get("scope"));
      Outcome outcome = Outcome.signedIn(env.settings().environment(), built.user());
      if (t.refreshToken() != null) {
        cookiesOut.addAll(refreshCookies(env, targetOrigin, t.refreshToken(), cookies));
      }
      if (state.get("scope") != null) {
        cookiesOut.add(cookieFor(env, targetOrigin, SCOPE_COOKIE, state.get("scope"), env.cookiePath(),
            env.settings().sessionDuration()));
      }
      if ("redirect".equals(state.get("flow"))) {
        return new RedirectBack(state.get("redirectUrl"), cookiesOut, outcome);
      }
      Map<String, Object> payload = new LinkedHashMap<>();
      payload.put("type", "authorization_response");
      payload.put("response", built.body());
      return new PopupMessage(targetOrigin, payload, cookiesOut, outcome);
    } catch (RuntimeException e) {
      Failure f = failure(e);
      Outcome outcome = Outcome.failed(env.settings().environment(), f.name(), f.message());
      if ("redirect".equals(state.get("flow")) && state.get("redirectUrl") != null) {
        String sep = settings.appBaseUrl().toString().contains("?") ? "&" : "?";
        return new RedirectBack(settings.appBaseUrl() + sep + "error=" + UriComponent.encode(f.message()), List.of(),
            outcome);
      }
      Map<String, Object> error = new LinkedHashMap<>();
      error.put("name", f.name());
      error.put("message", f.message());
      Map<String, Object> payload = new LinkedHashMap<>();
      payload.put("type", "authorization_response");
      payload.put("error", error);
      return new PopupMessage(targetOrigin, payload, List.of(), outcome);
    }
  }

  // ---------------------------------------------------------------- /refresh

  /**
   * @throws AuthenticationException {@code Invalid X-Requested-With header}, or {@code Refresh
   *     failed; caused by <Name>: <message>} for anything else that goes wrong
   */
  public Session refresh(Map<String, String> query, String requestedWith, Map<String, String> cookies) {
    requireXhr(requestedWith);
    Environment env = environment(query.get("env"), null);
    try {
      String refreshToken = chunkedCookie(cookies, REFRESH_COOKIE);
      if (refreshToken == null || refreshToken.isEmpty()) {
        throw new InputException("Missing session cookie");
      }
      OidcClient.Tokens t = env.client().refresh(refreshToken);
      String granted = cookie(cookies, SCOPE_COOKIE);
      Built built = session(env, t, granted);
      List<SetCookie> out = new ArrayList<>();
      if (t.refreshToken() != null && !t.refreshToken().equals(refreshToken)) {
        out.addAll(refreshCookies(env, appOrigin, t.refreshToken(), cookies));
      }
      return new Session(built.body(), out, Outcome.signedIn(env.settings().environment(), built.user()));
    } catch (RuntimeException e) {
      Failure f = failure(e);
      throw new AuthenticationException("Refresh failed; caused by " + f.name() + ": " + f.message());
    }
  }

  // ---------------------------------------------------------------- /logout

  /**
   * Revokes the refresh token at the provider (when it offers revocation) and clears the cookies.
   *
   * @throws AuthenticationException without {@code X-Requested-With: XMLHttpRequest}
   * @throws NotAllowedException when an {@code Origin} header names an origin not allowed
   */
  public SignOut logout(Map<String, String> query, String requestedWith, String originHeader,
      Map<String, String> cookies) {
    requireXhr(requestedWith);
    if (originHeader != null) {
      Optional<String> origin = originOf(originHeader);
      if (origin.isEmpty() || !allowed(origin.get())) {
        throw new NotAllowedException("Origin '" + originHeader + "' is not allowed");
      }
    }
    Environment env = environment(query.get("env"), null);
    String refreshToken = chunkedCookie(cookies, REFRESH_COOKIE);
    if (refreshToken != null && !refreshToken.isEmpty()) {
      try {
        env.client().revoke(refreshToken);
      } catch (RuntimeException e) {
        LOG.warn("Could not revoke a refresh token at the OIDC provider: {}", e.getMessage());
      }
    }
    List<SetCookie> out = new ArrayList<>();
    out.add(cookieFor(env, appOrigin, REFRESH_COOKIE, "", env.cookiePath(), Duration.ZERO));
    for (int i = 0; i < MAX_CHUNKS && cookies.containsKey(REFRESH_COOKIE + "-" + i); i++) {
      out.add(cookieFor(env, appOrigin, REFRESH_COOKIE + "-" + i, "", env.cookiePath(), Duration.ZERO));
    }
    out.add(cookieFor(env, appOrigin, SCOPE_COOKIE, "", env.cookiePath(), Duration.ZERO));
    return new SignOut(out, env.settings().environment(), refreshToken != null && !refreshToken.isEmpty());
  }

  /**
   * A sign-out: the cookies that clear the session, the environment, and whether there was a
   * session to end.
   */
  public record SignOut(List<SetCookie> cookies, String environment, boolean hadSession) {}

  // ---------------------------------------------------------------- shared

  /** {@code {profile, providerInfo, backstageIdentity?}} for fresh provider tokens. */
  private Built session(Environment env, OidcClient.Tokens t, String grantedScope) {
    String subject = t.idClaims() == null ? null : t.idClaims().getSubject().getValue();
    Map<String, Object> userinfo = env.client().userInfo(t.accessToken(), subject);
    Map<String, Object> profile = new LinkedHashMap<>();
    Object email = userinfo.get("email");
    // Backstage: the email counts only when the provider says it is verified.
    if (email instanceof String s && Boolean.TRUE.equals(userinfo.get("email_verified"))) {
      profile.put("email", s);
    }
    if (userinfo.get("picture") instanceof String s) {
      profile.put("picture", s);
    }
    if (userinfo.get("name") instanceof String s) {
      profile.put("displayName", s);
    }
    Map<String, Object> providerInfo = new LinkedHashMap<>();
    putIfPresent(providerInfo, "idToken", t.idToken());
    providerInfo.put("accessToken", t.accessToken());
    putIfPresent(providerInfo, "scope", grantedScope != null ? grantedScope : t.scope());
    putIfPresent(providerInfo, "expiresInSeconds", t.expiresInSeconds());
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("profile", profile);
    body.put("providerInfo", providerInfo);
    SignedIn user = null;
    if (env.resolver().configured()) {
      String preferred = userinfo.get("preferred_username") instanceof String s ? s
          : t.idClaims() == null ? null : t.idClaims().getStringClaim("preferred_username");
      SignInResolver.Identity identity = env.resolver().resolve(
          new SignInResolver.Profile((String) profile.get("email"), preferred));
      UserTokens.IssuedToken token = tokens.issue(identity.userEntityRef(), identity.ownershipEntityRefs());
      Map<String, Object> id = new LinkedHashMap<>();
      id.put("type", "user");
      id.put("userEntityRef", identity.userEntityRef());
      id.put("ownershipEntityRefs", identity.ownershipEntityRefs());
      Map<String, Object> backstage = new LinkedHashMap<>();
      backstage.put("token", token.token());
      backstage.put("expiresInSeconds", token.expiresInSeconds());
      backstage.put("identity", id);
      body.put("backstageIdentity", backstage);
      LOG.info("Signed in {} through OIDC (environment {})", identity.userEntityRef(), env.settings().environment());
      user = new SignedIn(identity.userEntityRef(), identity.ownershipEntityRefs());
    }
    return new Built(body, user);
  }

  /** The refresh-token cookie, split into chunks when long, clearing the other form. */
  private List<SetCookie> refreshCookies(Environment env, String origin, String token, Map<String, String> cookies) {
    List<SetCookie> out = new ArrayList<>();
    Duration life = env.settings().sessionDuration();
    if (token.length() <= MAX_COOKIE_CHUNK) {
      out.add(cookieFor(env, origin, REFRESH_COOKIE, token, env.cookiePath(), life));
      for (int i = 0; i < MAX_CHUNKS && cookies.containsKey(REFRESH_COOKIE + "-" + i); i++) {
        out.add(cookieFor(env, origin, REFRESH_COOKIE + "-" + i, "", env.cookiePath(), Duration.ZERO));
      }
      return out;
    }
    int n = (token.length() + MAX_COOKIE_CHUNK - 1) / MAX_COOKIE_CHUNK;
    if (n > MAX_CHUNKS) {
      throw new SignInException("Authentication failed, the provider's refresh token is too long for a cookie");
    }
    for (int i = 0; i < n; i++) {
      String part = token.substring(i * MAX_COOKIE_CHUNK, Math.min(token.length(), (i + 1) * MAX_COOKIE_CHUNK));
      out.add(cookieFor(env, origin, REFRESH_COOKIE + "-" + i, part, env.cookiePath(), life));
    }
    if (cookies.containsKey(REFRESH_COOKIE)) {
      out.add(cookieFor(env, origin, REFRESH_COOKIE, "", env.cookiePath(), Duration.ZERO));
    }
    return out;
  }

  /**
   * Backstage's cookie attributes: {@code Secure} iff the callback URL is https; {@code SameSite=None}
   * when secure and the app is on another host than the callback, else {@code Lax}.
   */
  private SetCookie cookieFor(Environment env, String origin, String name, String value, String path, Duration maxAge) {
    String appHost = URI.create(origin == null ? appOrigin : origin).getHost();
    String callbackHost = env.settings().callbackUrl().getHost();
    boolean crossSite = appHost != null && !appHost.equalsIgnoreCase(callbackHost);
    return new SetCookie(name, UriComponent.encode(value), path, maxAge, env.secure(),
        env.secure() && crossSite ? "None" : "Lax");
  }

  private Environment environment(String fromQuery, String fromState) {
    String name = fromQuery != null && !fromQuery.isEmpty() ? fromQuery : fromState;
    if (name == null || name.isEmpty()) {
      throw new InputException("Must specify 'env' query to select environment");
    }
    Environment env = environments.get(name);
    if (env == null) {
      throw new NotFoundException("No configuration available for the '" + name + "' environment of this provider.");
    }
    return env;
  }

  private void checkRedirectUrl(String redirectUrl) {
    URI uri;
    try {
      uri = new URI(redirectUrl);
    } catch (URISyntaxException e) {
      throw new InputException("Redirect URL is invalid, failed to parse");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    Optional<String> origin = originOf(redirectUrl);
    if (origin.isEmpty()) {
      throw new InputException("Redirect URL is invalid, failed to parse");
    }
    if (!(scheme.equals("http") || scheme.equals("https")) || !allowed(origin.get())) {
      throw new NotAllowedException("Redirect URL is not an allowed origin");
    }
  }

  private boolean allowed(String origin) {
    if (origin.equalsIgnoreCase(appOrigin)) {
      return true;
    }
    return extraOrigins.stream().anyMatch(p -> p.matcher(origin).matches());
  }

  /** A URL's origin as the browser's {@code URL.origin} gives it; empty when it does not parse. */
  static Optional<String> originOf(String url) {
    try {
      URI uri = new URI(url);
      if (uri.getScheme() == null || uri.getHost() == null) {
        return Optional.empty();
      }
      String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
      int port = uri.getPort();
      boolean defaultPort = port == -1 || (scheme.equals("http") && port == 80) || (scheme.equals("https") && port == 443);
      return Optional.of(scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port));
    } catch (URISyntaxException e) {
      return Optional.empty();
    }
  }

  /** minimatch-style origin glob: {@code *} and {@code ?} within one path segment, case-insensitive. */
  private static Pattern glob(String glob) {
    if (glob.contains("**")) {
      throw new IllegalArgumentException("auth.experimentalExtraAllowedOrigins must not contain '**': " + glob);
    }
    StringBuilder regex = new StringBuilder();
    for (char c : glob.toCharArray()) {
      switch (c) {
        case '*' -> regex.append("[^/]*");
        case '?' -> regex.append("[^/]");
        default -> regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE);
  }

  private static void requireXhr(String requestedWith) {
    if (!"XMLHttpRequest".equals(requestedWith)) {
      throw new AuthenticationException("Invalid X-Requested-With header");
    }
  }

  private record Failure(String name, String message) {}

  /** The name and message a failure shows; unexpected ones are logged and shown generically. */
  private static Failure failure(RuntimeException e) {
    if (e instanceof PortalException p) {
      return new Failure(p.errorName(), p.getMessage());
    }
    if (e instanceof SignInException s) {
      return new Failure(s.errorName(), s.getMessage());
    }
    if (e instanceof OidcClient.ProviderException p) {
      return new Failure("Error", "Authentication failed, " + p.getMessage());
    }
    LOG.error("OIDC sign-in failed", e);
    return new Failure("Error", "Authentication failed");
  }

  private static void addScopes(Set<String> scopes, String value) {
    if (value == null) {
      return;
    }
    for (String s : SCOPE_SEPARATORS.split(value.trim())) {
      if (!s.isEmpty()) {
        scopes.add(s);
      }
    }
  }

  /** Backstage's state: the fields as {@code application/x-www-form-urlencoded}, then lower-case hex. */
  static String encodeState(Map<String, String> state) {
    StringBuilder b = new StringBuilder();
    state.forEach((k, v) -> {
      if (!b.isEmpty()) {
        b.append('&');
      }
      b.append(URLEncoder.encode(k, StandardCharsets.UTF_8)).append('=').append(URLEncoder.encode(v, StandardCharsets.UTF_8));
    });
    return HexFormat.of().formatHex(b.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** The state's fields; a value that is not hex or not form-encoded yields no fields. */
  static Map<String, String> decodeState(String hex) {
    Map<String, String> out = new LinkedHashMap<>();
    String form;
    try {
      form = new String(HexFormat.of().parseHex(hex), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      return out;
    }
    for (String pair : form.split("&")) {
      int eq = pair.indexOf('=');
      try {
        String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
        String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
        out.putIfAbsent(k, v);
      } catch (IllegalArgumentException e) {
        return new LinkedHashMap<>();
      }
    }
    return out;
  }

  private static String cookie(Map<String, String> cookies, String name) {
    String v = cookies.get(name);
    return v == null ? null : UriComponent.decode(v);
  }

  /** A cookie value, joined from its chunks when it was split. */
  private static String chunkedCookie(Map<String, String> cookies, String name) {
    String whole = cookie(cookies, name);
    if (whole != null && !whole.isEmpty()) {
      return whole;
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < MAX_CHUNKS && cookies.containsKey(name + "-" + i); i++) {
      b.append(cookie(cookies, name + "-" + i));
    }
    return b.isEmpty() ? null : b.toString();
  }

  /** The stored key of a pending sign-in: a hash, so the table never holds the nonce itself. */
  private static String pendingId(String nonce) {
    return sha256(P + ":" + nonce);
  }

  private static String sha256(String s) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode parseJson(String s) {
    try {
      return JSON.readTree(s);
    } catch (IOException e) {
      throw new SignInException("Authentication failed, the stored sign-in is unreadable");
    }
  }

  private static <V> void putIfPresent(Map<String, V> map, String key, V value) {
    if (value != null) {
      map.put(key, value);
    }
  }
}
