package org.meshportal.catalog.auth;

import java.util.List;

/** Who made a request, once its credentials were checked. */
public sealed interface Principal {

  /** A signed-in user (from a user token). */
  record User(String userEntityRef, List<String> ownershipEntityRefs) implements Principal {
    public User {
      ownershipEntityRefs = List.copyOf(ownershipEntityRefs);
    }
  }

  /**
   * A service or script presenting a static external-access token.
   *
   * @param accessRestrictions where and for what the token may be used; empty: anywhere
   */
  record Service(String subject, List<AccessRestriction> accessRestrictions) implements Principal {
    public Service(String subject) {
      this(subject, List.of());
    }

    public Service {
      accessRestrictions = List.copyOf(accessRestrictions);
    }

    /** The restriction for a plugin; empty when the principal is unrestricted or may not use the plugin. */
    public java.util.Optional<AccessRestriction> restrictionFor(String pluginId) {
      return accessRestrictions.stream().filter(r -> r.plugin().equals(pluginId)).findFirst();
    }
  }

  /** No credentials, allowed only when the default auth policy is disabled. */
  record None() implements Principal {}
}
