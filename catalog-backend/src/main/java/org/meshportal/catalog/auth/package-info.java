/**
 * Authentication without HTTP types: {@link org.meshportal.catalog.auth.UserTokens} issues and
 * verifies Backstage user tokens (ES256 JWTs), {@link org.meshportal.catalog.auth.Authenticator}
 * applies the default auth policy to an {@code Authorization} header, {@link
 * org.meshportal.catalog.auth.AuthSettings} holds {@code backend.auth} and the guest provider.
 */
package org.meshportal.catalog.auth;
