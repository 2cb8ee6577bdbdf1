package org.meshportal.catalog.auth;

/**
 * Decides permission requests until a permission policy exists: users and unrestricted service
 * principals are allowed everything (Backstage with {@code permission.enabled} off, and its rule for
 * unrestricted service principals); a service principal with access restrictions is decided
 * locally from them, as Backstage does, never by a policy.
 */
public final class PermissionDecisions {
  public enum Result { ALLOW, DENY }

  private PermissionDecisions() {}

  /**
   * @param permissionName e.g. {@code catalog.entity.read}; its first segment names the plugin
   *     that makes the check, whose restriction entry applies
   * @param action the permission's {@code attributes.action}, or null
   */
  public static Result decide(Principal principal, String permissionName, String action) {
    if (!(principal instanceof Principal.Service service) || service.accessRestrictions().isEmpty()) {
      return Result.ALLOW;
    }
    int dot = permissionName.indexOf('.');
    String plugin = dot < 0 ? permissionName : permissionName.substring(0, dot);
    return service.restrictionFor(plugin)
        .filter(r -> r.allows(permissionName, action))
        .map(r -> Result.ALLOW)
        .orElse(Result.DENY);
  }
}
