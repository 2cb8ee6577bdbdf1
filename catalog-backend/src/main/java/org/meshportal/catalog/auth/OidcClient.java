package org.meshportal.catalog.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWT;
import com.nimbusds.oauth2.sdk.AuthorizationCode;
import com.nimbusds.oauth2.sdk.AuthorizationCodeGrant;
import com.nimbusds.oauth2.sdk.AuthorizationGrant;
import com.nimbusds.oauth2.sdk.ErrorObject;
import com.nimbusds.oauth2.sdk.ParseException;
import com.nimbusds.oauth2.sdk.RefreshTokenGrant;
import com.nimbusds.oauth2.sdk.ResponseType;
import com.nimbusds.oauth2.sdk.Scope;
import com.nimbusds.oauth2.sdk.TokenErrorResponse;
import com.nimbusds.oauth2.sdk.TokenRequest;
import com.nimbusds.oauth2.sdk.TokenResponse;
import com.nimbusds.oauth2.sdk.TokenRevocationRequest;
import com.nimbusds.oauth2.sdk.auth.ClientAuthentication;
import com.nimbusds.oauth2.sdk.auth.ClientSecretBasic;
import com.nimbusds.oauth2.sdk.auth.ClientSecretPost;
import com.nimbusds.oauth2.sdk.auth.Secret;
import com.nimbusds.oauth2.sdk.http.HTTPRequest;
import com.nimbusds.oauth2.sdk.http.HTTPResponse;
import com.nimbusds.oauth2.sdk.id.ClientID;
import com.nimbusds.oauth2.sdk.id.State;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import com.nimbusds.oauth2.sdk.token.BearerAccessToken;
import com.nimbusds.oauth2.sdk.token.RefreshToken;
import com.nimbusds.openid.connect.sdk.AuthenticationRequest;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponse;
import com.nimbusds.openid.connect.sdk.OIDCTokenResponseParser;
import com.nimbusds.openid.connect.sdk.Prompt;
import com.nimbusds.openid.connect.sdk.UserInfoErrorResponse;
import com.nimbusds.openid.connect.sdk.UserInfoRequest;
import com.nimbusds.openid.connect.sdk.UserInfoResponse;
import com.nimbusds.openid.connect.sdk.claims.IDTokenClaimsSet;
import com.nimbusds.openid.connect.sdk.claims.UserInfo;
import com.nimbusds.openid.connect.sdk.op.OIDCProviderMetadata;
import com.nimbusds.openid.connect.sdk.token.OIDCTokens;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import org.meshportal.model.errors.ServiceUnavailableException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One OIDC provider environment, spoken to through the nimbus OAuth 2.0 / OIDC SDK: discovery,
 * the authorization URL (code flow, PKCE S256 when offered, nonce), the code and refresh-token
 * grants, ID token validation (signature against the provider's JWKS, {@code iss}, {@code aud},
 * {@code exp}/{@code iat}, {@code nonce}, the configured algorithm only), userinfo and revocation.
 *
 * <p>Discovery runs on first use and is retried until it succeeds, so the server starts while the
 * provider is down. Thread-safe.
 */
final class OidcClient {
  private static final Logger LOG = LoggerFactory.getLogger(OidcClient.class);

  private final OidcSettings.Provider settings;
  private final ClientAuthentication clientAuth;
  private final Prompt prompt;
  private volatile Discovered discovered;

  private record Discovered(OIDCProviderMetadata metadata, IDTokenValidator validator) {}

  /** What a grant returned. {@link #toString()} shows no token. */
  record Tokens(String idToken, String accessToken, String refreshToken, String scope, Long expiresInSeconds,
      IDTokenClaimsSet idClaims) {
    @Override
    public String toString() {
      return "Tokens[scope=" + scope + ", expiresInSeconds=" + expiresInSeconds + "]";
    }
  }

  /** A failure reported by the provider or in talking to it; the message is safe to show. */
  static final class ProviderException extends RuntimeException {
    ProviderException(String message) {
      super(message, null, false, false);
    }
  }

  /** @throws IllegalArgumentException when {@code prompt} is not a valid OIDC prompt value */
  OidcClient(OidcSettings.Provider settings) {
    this.settings = settings;
    ClientID clientId = new ClientID(settings.clientId());
    Secret secret = new Secret(settings.clientSecret());
    this.clientAuth = settings.tokenEndpointAuthMethod().equals("client_secret_post")
        ? new ClientSecretPost(clientId, secret)
        : new ClientSecretBasic(clientId, secret);
    try {
      this.prompt = settings.prompt() == null ? null : Prompt.parse(settings.prompt());
    } catch (ParseException e) {
      throw new IllegalArgumentException("prompt: " + e.getMessage());
    }
  }

  /**
   * The provider's authorization URL for one sign-in.
   *
   * @throws ServiceUnavailableException when the provider's metadata cannot be fetched
   */
  URI authorizationUrl(List<String> scopes, String state, Nonce nonce, CodeVerifier verifier) {
    OIDCProviderMetadata metadata = discover().metadata();
    AuthenticationRequest.Builder b = new AuthenticationRequest.Builder(
        ResponseType.CODE, new Scope(scopes.toArray(String[]::new)), clientAuth.getClientID(), settings.callbackUrl())
        .endpointURI(metadata.getAuthorizationEndpointURI())
        .state(new State(state))
        .nonce(nonce)
        .customParameter("access_type", "offline");
    if (verifier != null) {
      b.codeChallenge(verifier, CodeChallengeMethod.S256);
    }
    if (prompt != null) {
      b.prompt(prompt);
    }
    settings.startUrlSearchParams().forEach(b::customParameter);
    return b.build().toURI();
  }

  /** Whether the provider announces PKCE with S256 (Backstage's openid-client uses it only then). */
  boolean supportsPkce() {
    List<CodeChallengeMethod> methods = discover().metadata().getCodeChallengeMethods();
    return methods != null && methods.contains(CodeChallengeMethod.S256);
  }

  /** Exchanges an authorization code; the ID token must carry {@code expectedNonce}. */
  Tokens exchange(String code, CodeVerifier verifier, Nonce expectedNonce) {
    return grant(new AuthorizationCodeGrant(new AuthorizationCode(code), settings.callbackUrl(), verifier),
        expectedNonce, true);
  }

  /** Uses a refresh token; an ID token in the answer is validated (providers need not send one). */
  Tokens refresh(String refreshToken) {
    return grant(new RefreshTokenGrant(new RefreshToken(refreshToken)), null, false);
  }

  private Tokens grant(AuthorizationGrant grant, Nonce expectedNonce, boolean idTokenRequired) {
    Discovered d = discover();
    TokenRequest request = new TokenRequest(d.metadata().getTokenEndpointURI(), clientAuth, grant);
    TokenResponse response;
    try {
      response = OIDCTokenResponseParser.parse(send(request.toHTTPRequest()));
    } catch (ParseException e) {
      throw new ProviderException("The OIDC provider's token response could not be read");
    }
    if (!response.indicatesSuccess()) {
      throw new ProviderException(describe(((TokenErrorResponse) response).getErrorObject()));
    }
    OIDCTokens tokens = ((OIDCTokenResponse) response.toSuccessResponse()).getOIDCTokens();
    JWT idToken = tokens.getIDToken();
    if (idToken == null && idTokenRequired) {
      throw new ProviderException("The OIDC provider returned no ID token");
    }
    IDTokenClaimsSet claims = null;
    if (idToken != null) {
      try {
        claims = d.validator().validate(idToken, expectedNonce);
      } catch (BadJOSEException | JOSEException e) {
        // The reason (bad signature, issuer, audience, nonce, expiry) is logged; the user sees one message.
        LOG.warn("Rejected an ID token from {}: {}", settings.metadataUrl(), e.getMessage());
        throw new ProviderException("The ID token is invalid");
      }
    }
    Scope scope = tokens.getAccessToken().getScope();
    long lifetime = tokens.getAccessToken().getLifetime();
    return new Tokens(
        tokens.getIDTokenString(),
        tokens.getAccessToken().getValue(),
        tokens.getRefreshToken() == null ? null : tokens.getRefreshToken().getValue(),
        scope == null ? null : scope.toString(),
        lifetime > 0 ? lifetime : null,
        claims);
  }

  /** The userinfo claims for an access token; their {@code sub} must be {@code expectedSubject} when given. */
  Map<String, Object> userInfo(String accessToken, String expectedSubject) {
    URI endpoint = discover().metadata().getUserInfoEndpointURI();
    UserInfoResponse response;
    try {
      response = UserInfoResponse.parse(send(new UserInfoRequest(endpoint, new BearerAccessToken(accessToken))
          .toHTTPRequest()));
    } catch (ParseException e) {
      throw new ProviderException("The OIDC provider's userinfo response could not be read");
    }
    if (!response.indicatesSuccess()) {
      throw new ProviderException(describe(((UserInfoErrorResponse) response).getErrorObject()));
    }
    UserInfo info = response.toSuccessResponse().getUserInfo();
    if (expectedSubject != null && (info.getSubject() == null || !expectedSubject.equals(info.getSubject().getValue()))) {
      // OIDC Core 5.3.2: userinfo of another subject must not be used (token substitution).
      throw new ProviderException("The userinfo subject does not match the ID token");
    }
    return info.toJSONObject();
  }

  /** Revokes a refresh token when the provider has a revocation endpoint; failures are only logged. */
  void revoke(String refreshToken) {
    URI endpoint = discover().metadata().getRevocationEndpointURI();
    if (endpoint == null) {
      return;
    }
    try {
      HTTPResponse r = send(new TokenRevocationRequest(endpoint, clientAuth, new RefreshToken(refreshToken))
          .toHTTPRequest());
      if (!r.indicatesSuccess()) {
        LOG.warn("The OIDC provider answered {} to a token revocation", r.getStatusCode());
      }
    } catch (ProviderException e) {
      LOG.warn("Token revocation failed: {}", e.getMessage());
    }
  }

  private Discovered discover() {
    Discovered d = discovered;
    if (d != null) {
      return d;
    }
    synchronized (this) {
      if (discovered == null) {
        discovered = fetchMetadata();
      }
      return discovered;
    }
  }

  private Discovered fetchMetadata() {
    OIDCProviderMetadata metadata;
    try {
      HTTPRequest request = new HTTPRequest(HTTPRequest.Method.GET, settings.metadataUrl());
      HTTPResponse response = send(request);
      if (!response.indicatesSuccess()) {
        throw new ProviderException("status " + response.getStatusCode());
      }
      metadata = OIDCProviderMetadata.parse(response.getContentAsJSONObject());
    } catch (ParseException | ProviderException e) {
      throw new ServiceUnavailableException("The OIDC provider's metadata at " + settings.metadataUrl()
          + " could not be read: " + e.getMessage());
    }
    if (metadata.getUserInfoEndpointURI() == null) {
      throw new ServiceUnavailableException("The OIDC provider at " + settings.metadataUrl()
          + " has no userinfo_endpoint, which sign-in needs");
    }
    DefaultResourceRetriever retriever = new DefaultResourceRetriever(
        (int) settings.timeout().toMillis(), (int) settings.timeout().toMillis(), 512 * 1024);
    JWKSource<SecurityContext> keys;
    try {
      keys = JWKSourceBuilder.create(metadata.getJWKSetURI().toURL(), retriever).build();
    } catch (MalformedURLException | IllegalArgumentException | NullPointerException e) {
      throw new ServiceUnavailableException("The OIDC provider at " + settings.metadataUrl() + " has no usable jwks_uri");
    }
    IDTokenValidator validator = new IDTokenValidator(metadata.getIssuer(), clientAuth.getClientID(),
        new JWSVerificationKeySelector<>(JWSAlgorithm.parse(settings.tokenSignedResponseAlg()), keys), null);
    LOG.info("OIDC provider {} (environment {}): issuer {}", settings.metadataUrl(), settings.environment(),
        metadata.getIssuer());
    return new Discovered(metadata, validator);
  }

  private HTTPResponse send(HTTPRequest request) {
    int timeout = (int) settings.timeout().toMillis();
    request.setConnectTimeout(timeout);
    request.setReadTimeout(timeout);
    try {
      return request.send();
    } catch (IOException e) {
      throw new ProviderException("The OIDC provider could not be reached (" + e.getClass().getSimpleName() + ")");
    }
  }

  /** openid-client's wording for a provider error: {@code <error> (<description>)}. */
  private static String describe(ErrorObject error) {
    String code = error.getCode() == null ? "server_error" : error.getCode();
    return error.getDescription() == null ? code : code + " (" + error.getDescription() + ")";
  }
}
