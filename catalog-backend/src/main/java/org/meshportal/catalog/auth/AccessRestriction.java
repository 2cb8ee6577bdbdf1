package org.meshportal.catalog.auth;

import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * One {@code backend.auth.externalAccess[].accessRestrictions} entry (Backstage's meaning): the
 * token may be used on {@code plugin}; permission checks there are decided from this entry alone.
 *
 * @param plugin a plugin id, e.g. {@code catalog}
 * @param permissions permission names allowed, or null for any
 * @param actions permission actions allowed ({@code create|read|update|delete}), or null for any
 */
public record AccessRestriction(String plugin, Set<String> permissions, Set<String> actions) {
  public static final Set<String> ACTIONS = Set.of("create", "read", "update", "delete");
  private static final Pattern PLUGIN_ID = Pattern.compile("[a-z0-9_-]+");

  public AccessRestriction {
    Objects.requireNonNull(plugin, "plugin");
    if (!PLUGIN_ID.matcher(plugin).matches()) {
      throw new IllegalArgumentException("plugin must be a plugin id ([a-z0-9_-]+), got '" + plugin + "'");
    }
    permissions = permissions == null ? null : Set.copyOf(permissions);
    actions = actions == null ? null : Set.copyOf(actions);
    if (actions != null && !ACTIONS.containsAll(actions)) {
      throw new IllegalArgumentException(
          "permissionAttribute.action must be one of create, read, update, delete, got " + actions);
    }
  }

  /**
   * Backstage's local decision for a restricted service principal: a listed permission name (when
   * a list is given) and, when actions are given, a permission action among them.
   *
   * @param action the permission's {@code attributes.action}, or null when it has none
   */
  public boolean allows(String permissionName, String action) {
    if (permissions != null && !permissions.contains(permissionName)) {
      return false;
    }
    return actions == null || (action != null && actions.contains(action));
  }
}
