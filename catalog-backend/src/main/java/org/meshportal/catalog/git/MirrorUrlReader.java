package org.meshportal.catalog.git;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.meshportal.catalog.processing.UrlReader;
import org.meshportal.gitsync.CommitReader;
import org.meshportal.gitsync.GitMirrors;
import org.meshportal.gitsync.Integrations;
import org.meshportal.gitsync.MirrorSpec;
import org.meshportal.gitsync.RepoLocation;
import org.meshportal.gitsync.RepoUrls;
import org.meshportal.gitsync.SyncResult;

/**
 * Reads {@code url} location targets from a mirror of their repository (created on first use,
 * credentials from {@code integrations}). A mirror is fetched at most once per {@code pinFor}:
 * the reads of one location refresh, its relative targets included, see one commit.
 */
final class MirrorUrlReader implements UrlReader {
  private final GitMirrors mirrors;
  private final Integrations integrations;
  private final Clock clock;
  private final Duration pinFor;
  private final Map<String, Pin> pins = new ConcurrentHashMap<>();

  private record Pin(String commit, Instant at) {}

  MirrorUrlReader(GitMirrors mirrors, Integrations integrations, Clock clock, Duration pinFor) {
    this.mirrors = mirrors;
    this.integrations = integrations;
    this.clock = clock;
    this.pinFor = pinFor;
  }

  @Override
  public Optional<byte[]> read(String url) throws IOException {
    RepoLocation location;
    try {
      location = RepoUrls.parse(url, integrations);
    } catch (IllegalArgumentException e) {
      throw new IOException(e.getMessage());
    }
    MirrorSpec spec = mirrors.ensure(location.mirrorSpec(integrations));
    String commit = commit(spec.id());
    if (commit == null) {
      return Optional.empty(); // the repository has no commits on that branch yet
    }
    try (CommitReader reader = mirrors.reader(spec.id(), commit)) {
      return reader.read(location.path());
    } catch (RuntimeException e) {
      throw new IOException("cannot read " + RepoUrls.redact(url) + ": " + e.getMessage());
    }
  }

  /**
   * The id of the mirror that serves {@code url}, or null when it is not a repository file URL
   * this reader can serve.
   */
  String mirrorIdOf(String url) {
    try {
      return RepoUrls.parse(url, integrations).mirrorSpec(integrations).id();
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** Forgets the commit pinned for a mirror, so the next read sees what its last sync fetched. */
  void unpin(String mirrorId) {
    pins.remove(mirrorId);
  }

  private String commit(String id) throws IOException {
    Pin pin = pins.get(id);
    if (pin != null && pin.at().plus(pinFor).isAfter(clock.instant())) {
      return pin.commit();
    }
    synchronized (this) {
      pin = pins.get(id);
      if (pin != null && pin.at().plus(pinFor).isAfter(clock.instant())) {
        return pin.commit();
      }
      SyncResult result = mirrors.sync(id);
      if (result.outcome() == SyncResult.Outcome.FAILED) {
        throw new IOException(result.error() == null ? "fetch failed" : result.error().getMessage());
      }
      String commit = mirrors.fetchedCommit(id).orElse(null);
      if (commit != null) {
        pins.put(id, new Pin(commit, clock.instant()));
      }
      return commit;
    }
  }
}
