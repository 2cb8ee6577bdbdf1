package org.meshportal.catalog.permission;

/** The answer to one permission request. */
public sealed interface Decision {
  Decision ALLOW = new Allow();
  Decision DENY = new Deny();

  record Allow() implements Decision {}

  record Deny() implements Decision {}

  /** Allowed for the resources that satisfy {@code conditions}. */
  record Conditional(String pluginId, String resourceType, Condition conditions) implements Decision {}
}
