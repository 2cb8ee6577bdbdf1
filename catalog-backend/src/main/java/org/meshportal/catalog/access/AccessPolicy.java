package org.meshportal.catalog.access;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import org.meshportal.gitsync.RepoUrls;
import org.meshportal.model.errors.NotAllowedException;

/**
 * The one place that decides what the server may read or write on behalf of a request or an input
 * file. Every reader of local files (file locations, placeholders, template fetches), every reader
 * of URLs ({@code url} locations and their placeholders) and every Git publisher asks it first, and
 * is refused with {@link NotAllowedException} naming the target before a byte is read or written.
 *
 * <ul>
 *   <li>Local files: below a readable directory (the operator's {@code backend.reading.directories}
 *       and the directories of static {@code catalog.locations} of type file). Both the path as
 *       written and its real path (symbolic links resolved) must stay below one.
 *   <li>URLs: hosts of configured {@code integrations}, entries of Backstage's
 *       {@code backend.reading.allow} (host, optional port or port range, {@code *.} wildcard,
 *       optional path prefixes), and the repositories the operator named (Git providers,
 *       {@code scaffolder.mesh.repoUrl}). {@code file:} repository URLs count as local files.
 *       Loopback and the server's own address have no exception.
 *   <li>Git pushes: integration hosts, the operator's named repositories, and {@code file:}
 *       repositories below {@code backend.writing.directories}.
 * </ul>
 */
public final class AccessPolicy {
  private final List<Root> readable;
  private final List<Root> writable;
  private final List<HostRule> readingAllow;
  private final Set<String> integrationHosts;
  private final Set<String> namedRepositories;

  /**
   * @param readableDirs directories whose files may be read
   * @param writableDirs directories in which {@code file:} Git repositories may be created or pushed to
   * @param readingAllow Backstage's {@code backend.reading.allow} entries
   * @param integrationHosts {@code host} or {@code host:port} of each configured integration
   * @param namedRepositories repository URLs the operator configured (Git providers, the mesh repository)
   */
  public AccessPolicy(Collection<Path> readableDirs, Collection<Path> writableDirs, List<HostRule> readingAllow,
      Collection<String> integrationHosts, Collection<String> namedRepositories) {
    this.readable = roots(readableDirs);
    this.writable = roots(writableDirs);
    this.readingAllow = List.copyOf(readingAllow);
    Set<String> hosts = new LinkedHashSet<>();
    integrationHosts.forEach(h -> hosts.add(h.toLowerCase(Locale.ROOT)));
    this.integrationHosts = Set.copyOf(hosts);
    Set<String> repos = new LinkedHashSet<>();
    namedRepositories.forEach(r -> repos.add(RepoUrls.repoKey(r)));
    this.namedRepositories = Set.copyOf(repos);
  }

  /** Allows nothing: no directory, no host. */
  public static AccessPolicy denyAll() {
    return new AccessPolicy(List.of(), List.of(), List.of(), List.of(), List.of());
  }

  /** Reads below {@code dirs} only; for tests and tools that need no URLs. */
  public static AccessPolicy readingFrom(Path... dirs) {
    return new AccessPolicy(List.of(dirs), List.of(), List.of(), List.of(), List.of());
  }

  // ------------------------------------------------------------------ local files

  /**
   * Checks that {@code file} may be read: below a readable directory. A path that does not exist
   * passes when its lexical form is allowed (the caller then reports it missing).
   *
   * @return the normalized absolute path
   */
  public Path checkFileRead(Path file) {
    return checkBelow(file, readable, "file:" + file);
  }

  /**
   * Checks that {@code file} lies below {@code root} and nowhere else: what a dry run may read of
   * the template files it was sent.
   */
  public static Path checkFileReadWithin(Path file, Path root) {
    return checkBelow(file, roots(List.of(root)), "file:" + file);
  }

  private static Path checkBelow(Path file, List<Root> roots, String target) {
    Path path;
    try {
      path = file.toAbsolutePath().normalize();
    } catch (InvalidPathException e) {
      throw refusedFile(target);
    }
    // The lexical check comes first, so nothing outside is even looked at.
    boolean lexical = roots.stream().anyMatch(r -> path.startsWith(r.lexical()) || path.startsWith(r.real()));
    if (!lexical) {
      throw refusedFile(target);
    }
    Path real = realPathOrNull(path);
    if (real != null && roots.stream().noneMatch(r -> real.startsWith(r.real()))) {
      throw refusedFile(target); // a symbolic link leaves the directory
    }
    return path;
  }

  private static NotAllowedException refusedFile(String target) {
    return new NotAllowedException("Reading from '" + target + "' is not allowed. Add its directory to "
        + "backend.reading.directories, or register it from a static catalog.locations entry");
  }

  // ------------------------------------------------------------------ URLs

  /**
   * Checks that {@code url} may be read: a {@code file:} repository URL below a readable directory,
   * or an http(s)/ssh URL whose host is an integration host, a {@code backend.reading.allow} entry,
   * or whose repository the operator named.
   */
  public void checkUrlRead(String url) {
    if (url == null) {
      throw new NotAllowedException("Reading from 'null' is not allowed");
    }
    if (url.regionMatches(true, 0, "file:", 0, 5)) {
      if (isNamedRepositoryFile(url)) {
        return;
      }
      Path path = fileUrlPath(url);
      if (path == null) {
        throw refusedUrl(url);
      }
      try {
        checkBelow(path, readable, url);
      } catch (NotAllowedException e) {
        throw refusedUrl(url);
      }
      return;
    }
    if (integrationHosts.contains(String.valueOf(RepoUrls.host(url))) || isNamedRepositoryFile(url)) {
      return;
    }
    URI uri = parse(url);
    if (uri == null || uri.getHost() == null) {
      throw refusedUrl(url);
    }
    for (HostRule rule : readingAllow) {
      if (rule.matches(uri)) {
        return;
      }
    }
    throw refusedUrl(url);
  }

  /** Whether a URL is a file in a repository the operator configured (same host and repository path prefix). */
  private boolean isNamedRepositoryFile(String url) {
    String key = RepoUrls.repoKey(url);
    for (String repo : namedRepositories) {
      if (key.equals(repo) || key.startsWith(repo + "/") || key.startsWith(repo + ".git/")) {
        return true;
      }
    }
    return false;
  }

  private static NotAllowedException refusedUrl(String url) {
    return new NotAllowedException("Reading from '" + RepoUrls.redact(url) + "' is not allowed. You may need to "
        + "configure an integration for the target host, or add it to the configured list of allowed hosts at "
        + "'backend.reading.allow'");
  }

  // ------------------------------------------------------------------ Git pushes

  /**
   * Checks that a Git push to {@code remoteUrl} is allowed: a repository the operator named, a
   * host of a configured integration, or a {@code file:} repository below a writable directory.
   */
  public void checkPush(String remoteUrl) {
    if (remoteUrl != null) {
      if (namedRepositories.contains(RepoUrls.repoKey(remoteUrl))) {
        return;
      }
      if (remoteUrl.regionMatches(true, 0, "file:", 0, 5)) {
        Path path = fileUrlPath(remoteUrl);
        if (path != null) {
          try {
            checkBelow(path, writable, remoteUrl);
            return;
          } catch (NotAllowedException e) {
            // falls through to the refusal that names the key to set
          }
        }
      } else if (integrationHosts.contains(String.valueOf(RepoUrls.host(remoteUrl)))) {
        return;
      }
    }
    throw new NotAllowedException("Publishing to '" + (remoteUrl == null ? "null" : RepoUrls.redact(remoteUrl))
        + "' is not allowed. Configure an integration for its host, or for a local repository add its folder to "
        + "backend.writing.directories");
  }

  // ------------------------------------------------------------------ internals

  /** The local path of a {@code file:} URL, or null when it is not one. */
  private static Path fileUrlPath(String url) {
    try {
      return Path.of(new URI(url));
    } catch (URISyntaxException | IllegalArgumentException e) {
      return null;
    }
  }

  private static URI parse(String url) {
    try {
      return new URI(url);
    } catch (URISyntaxException e) {
      return null;
    }
  }

  private static Path realPathOrNull(Path path) {
    // The deepest existing ancestor decides: a link anywhere on the way is resolved.
    Path existing = path;
    while (existing != null && !Files.exists(existing, LinkOption.NOFOLLOW_LINKS)) {
      existing = existing.getParent();
    }
    if (existing == null) {
      return null;
    }
    try {
      Path real = existing.toRealPath();
      return real.resolve(existing.relativize(path));
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new NotAllowedException("Reading from 'file:" + path + "' is not allowed: its real path cannot be "
          + "resolved (" + e.getClass().getSimpleName() + ")");
    }
  }

  private static List<Root> roots(Collection<Path> dirs) {
    List<Root> roots = new ArrayList<>();
    for (Path dir : dirs) {
      Path lexical = dir.toAbsolutePath().normalize();
      Path real = realPathOrNull(lexical);
      roots.add(new Root(lexical, real == null ? lexical : real));
    }
    return List.copyOf(roots);
  }

  private record Root(Path lexical, Path real) {
    Root {
      Objects.requireNonNull(lexical);
      Objects.requireNonNull(real);
    }
  }
}
