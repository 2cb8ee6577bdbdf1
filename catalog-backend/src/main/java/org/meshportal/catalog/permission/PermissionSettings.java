package org.meshportal.catalog.permission;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code permission.*}: whether the policy is on, and where it comes from.
 *
 * @param enabled {@code permission.enabled}; off, every user is allowed everything
 * @param policiesCsv {@code permission.rbac.policies-csv-file}, or null
 * @param conditionalPolicies {@code permission.rbac.conditionalPoliciesFile}, or null
 * @param reload {@code permission.rbac.policyFileReload}: re-read both files when they change
 * @param adminUsers {@code permission.rbac.admin.users[].name}
 * @param superUsers {@code permission.rbac.admin.superUsers[].name}
 * @param maxDepth {@code permission.rbac.maxDepth}: parent-group levels followed; null for unlimited
 * @param basicFirst {@code permission.rbac.policyDecisionPrecedence: basic}
 * @param decisionCacheTtl {@code permission.decisionCacheTtl}: how long a caller's decision is
 *     reused, and how often the files are checked for changes
 */
public record PermissionSettings(boolean enabled, Path policiesCsv, Path conditionalPolicies, boolean reload,
    List<String> adminUsers, List<String> superUsers, Integer maxDepth, boolean basicFirst,
    Duration decisionCacheTtl) {
  public static final Duration DEFAULT_DECISION_CACHE_TTL = Duration.ofSeconds(2);

  public PermissionSettings {
    adminUsers = List.copyOf(adminUsers);
    superUsers = List.copyOf(superUsers);
    decisionCacheTtl = decisionCacheTtl == null ? DEFAULT_DECISION_CACHE_TTL : decisionCacheTtl;
    if (decisionCacheTtl.isNegative()) {
      throw new IllegalArgumentException("permission.decisionCacheTtl must not be negative");
    }
    if (maxDepth != null && maxDepth < 0) {
      throw new IllegalArgumentException("permission.rbac.maxDepth must be 0 or more, got " + maxDepth);
    }
  }

  /** Permissions off: Backstage's default. */
  public static PermissionSettings disabled() {
    return new PermissionSettings(false, null, null, false, List.of(), List.of(), null, false, null);
  }
}
