package org.meshportal.catalog.auth;

import org.meshportal.model.errors.NotAllowedException;
import org.meshportal.model.errors.NotFoundException;

/**
 * Backstage's guest provider: present only when {@code auth.providers.guest} is configured, and
 * refusing outside {@code auth.environment: development} unless dangerously allowed. Thread-safe.
 */
public final class GuestSignIn {
  static final String NOT_CONFIGURED = "No auth provider registered for 'guest'";
  static final String OUTSIDE_DEVELOPMENT = "The guest provider cannot be used outside of a development environment "
      + "unless 'auth.providers.guest.dangerouslyAllowOutsideDevelopment' is enabled";

  private final AuthSettings.GuestSettings guest;
  private final boolean allowed;
  private final UserTokens tokens;

  public GuestSignIn(AuthSettings settings, UserTokens tokens) {
    this.guest = settings.guest();
    this.allowed = guest != null
        && (AuthSettings.DEVELOPMENT.equals(settings.environment()) || guest.dangerouslyAllowOutsideDevelopment());
    this.tokens = tokens;
  }

  /** A signed-in guest: the settings it was built from and its token. */
  public record Session(AuthSettings.GuestSettings guest, UserTokens.IssuedToken token) {}

  /**
   * @throws NotFoundException when the provider is not configured
   * @throws NotAllowedException outside development without the dangerous flag
   */
  public Session signIn() {
    requireConfigured();
    if (!allowed) {
      throw new NotAllowedException(OUTSIDE_DEVELOPMENT);
    }
    return new Session(guest, tokens.issue(guest.userEntityRef(), guest.ownershipEntityRefs()));
  }

  /** @throws NotFoundException when the provider is not configured */
  public void requireConfigured() {
    if (guest == null) {
      throw new NotFoundException(NOT_CONFIGURED);
    }
  }
}
