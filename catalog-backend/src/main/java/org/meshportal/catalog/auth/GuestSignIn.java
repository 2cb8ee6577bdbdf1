package org.meshportal.catalog.auth;

import java.util.List;
import java.util.Optional;
import org.meshportal.model.EntityRef;
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
  private final CatalogUsers catalog;

  public GuestSignIn(AuthSettings settings, UserTokens tokens) {
    this(settings, tokens, null);
  }

  /**
   * @param catalog where the guest's user is looked up (Backstage: a guest whose {@code
   *     userEntityRef} is in the catalog owns what that user owns); null uses the configured refs only
   */
  public GuestSignIn(AuthSettings settings, UserTokens tokens, CatalogUsers catalog) {
    this.guest = settings.guest();
    this.allowed = guest != null
        && (AuthSettings.DEVELOPMENT.equals(settings.environment()) || guest.dangerouslyAllowOutsideDevelopment());
    this.tokens = tokens;
    this.catalog = catalog;
  }

  /**
   * A signed-in guest: the settings it was built from, who it is and its token.
   *
   * @param userEntityRef the token's {@code sub}
   * @param ownershipEntityRefs the token's {@code ent}
   */
  public record Session(AuthSettings.GuestSettings guest, String userEntityRef, List<String> ownershipEntityRefs,
      UserTokens.IssuedToken token) {}

  /**
   * @throws NotFoundException when the provider is not configured
   * @throws NotAllowedException outside development without the dangerous flag
   */
  public Session signIn() {
    requireConfigured();
    if (!allowed) {
      throw new NotAllowedException(OUTSIDE_DEVELOPMENT);
    }
    String user = guest.userEntityRef();
    List<String> ownership = guest.ownershipEntityRefs();
    Optional<List<String>> fromCatalog = catalogOwnership(user);
    if (fromCatalog.isPresent()) {
      ownership = fromCatalog.get();
      user = ownership.get(0);
    }
    return new Session(guest, user, ownership, tokens.issue(user, ownership));
  }

  /** The user's refs and groups from the catalog; empty when it is not there or cannot be read (Backstage). */
  private Optional<List<String>> catalogOwnership(String userEntityRef) {
    if (catalog == null) {
      return Optional.empty();
    }
    try {
      String ref = EntityRef.parse(userEntityRef).canonical();
      return catalog.user(ref).map(u -> catalog.ownershipRefs(u, ref));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  /** @throws NotFoundException when the provider is not configured */
  public void requireConfigured() {
    if (guest == null) {
      throw new NotFoundException(NOT_CONFIGURED);
    }
  }
}
