package org.meshportal.catalog.permission;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The policy read from the RBAC files, re-read when their content changes (checked at most once
 * per interval, on the request that finds the interval over). A file that disappears or breaks
 * after start keeps the last good policy and is said in the log; at start it is an error.
 */
final class PolicyFiles {
  private static final Logger LOG = LoggerFactory.getLogger(PolicyFiles.class);

  private final PermissionSettings settings;
  private final Clock clock;
  private final long intervalNanos;
  private volatile RbacPolicy policy;
  private volatile byte[] csvSeen;
  private volatile byte[] yamlSeen;
  private volatile long checkedAt;
  private volatile long version;

  PolicyFiles(PermissionSettings settings, Clock clock) {
    this.settings = settings;
    this.clock = clock;
    this.intervalNanos = settings.decisionCacheTtl().toNanos();
    byte[] csv = read(settings.policiesCsv(), true);
    byte[] yaml = read(settings.conditionalPolicies(), true);
    this.policy = build(csv, yaml);
    this.csvSeen = csv;
    this.yamlSeen = yaml;
    this.checkedAt = System.nanoTime();
  }

  /** The current policy; checks the files first when the interval is over. */
  RbacPolicy current() {
    if (settings.reload() && System.nanoTime() - checkedAt >= intervalNanos) {
      synchronized (this) {
        if (System.nanoTime() - checkedAt >= intervalNanos) {
          reloadIfChanged();
          checkedAt = System.nanoTime();
        }
      }
    }
    return policy;
  }

  /** Increases with every reload, so cached decisions of an older policy are not reused. */
  long version() {
    return version;
  }

  private void reloadIfChanged() {
    byte[] csv;
    byte[] yaml;
    try {
      csv = read(settings.policiesCsv(), false);
      yaml = read(settings.conditionalPolicies(), false);
    } catch (IllegalStateException e) {
      LOG.warn("RBAC policy files not reloaded, the previous policy stays: {}", e.getMessage());
      return;
    }
    if (Arrays.equals(csv, csvSeen) && Arrays.equals(yaml, yamlSeen)) {
      return;
    }
    policy = build(csv, yaml);
    csvSeen = csv;
    yamlSeen = yaml;
    version++;
    LOG.info("RBAC policy files changed at {}: policy reloaded", Instant.now(clock));
  }

  private RbacPolicy build(byte[] csv, byte[] yaml) {
    return RbacPolicy.load(RbacPolicy.text(csv), yaml, settings.adminUsers(), settings.superUsers(),
        settings.basicFirst(), warning -> LOG.warn("RBAC policy: {}", warning));
  }

  private static byte[] read(Path file, boolean atStart) {
    if (file == null) {
      return null;
    }
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read RBAC policy file " + file + (atStart ? "" : " now") + ": "
          + e.getMessage(), e);
    }
  }
}
