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

  /** A service or script presenting a static external-access token. */
  record Service(String subject) implements Principal {}

  /** No credentials, allowed only when the default auth policy is disabled. */
  record None() implements Principal {}
}
