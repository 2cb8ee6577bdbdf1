package org.meshportal.templates;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.stream.Stream;
import org.meshportal.model.errors.InputException;
import org.meshportal.model.errors.NotAllowedException;

/**
 * {@link TemplateFiles} for templates read from {@code file:} locations, confined to the template's
 * own directory (absolute {@code file:} URLs included). Symbolic links are copied as links (never
 * followed), so the workspace copy can refuse them. Other schemes are refused; the server wraps
 * this with its access policy, which may admit more directories.
 */
public final class LocalTemplateFiles implements TemplateFiles {
  @Override
  public void fetch(String baseUrl, String url, Path target, boolean confinedToBase) throws IOException {
    URI resolved = resolve(baseUrl, url);
    if (!"file".equals(resolved.getScheme())) {
      throw new InputException("Cannot read template files from " + resolved.getScheme() + " URL: " + url);
    }
    Path source = Path.of(resolved).normalize();
    Path baseDir = baseDirectory(baseUrl);
    if (baseDir == null || !source.startsWith(baseDir) || !realPathStaysBelow(source, baseDir)) {
      throw new NotAllowedException("Reading from '" + url + "' is not allowed: it is outside the template's directory");
    }
    copy(source, url, target);
  }

  /** Copies {@code source} (a file, or a directory's contents) into {@code target}, links as links. */
  public static void copy(Path source, String url, Path target) throws IOException {
    if (!Files.exists(source, LinkOption.NOFOLLOW_LINKS)) {
      throw new InputException("Template file or directory not found: " + url);
    }
    Files.createDirectories(target);
    if (!Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
      Files.copy(source, target.resolve(source.getFileName().toString()), LinkOption.NOFOLLOW_LINKS);
      return;
    }
    List<Path> all;
    try (Stream<Path> s = Files.walk(source)) {
      all = s.sorted().toList();
    }
    for (Path p : all) {
      Path dest = target.resolve(source.relativize(p).toString());
      if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
        Files.createDirectories(dest);
      } else {
        Files.copy(p, dest, LinkOption.NOFOLLOW_LINKS, StandardCopyOption.COPY_ATTRIBUTES);
      }
    }
  }

  /** The directory of a {@code file:} template base URL, or null when the base is not a local file. */
  public static Path baseDirectory(String baseUrl) {
    if (baseUrl == null) {
      return null;
    }
    try {
      URI base = URI.create(baseUrl);
      if (!"file".equals(base.getScheme())) {
        return null;
      }
      Path path = Path.of(base).normalize();
      return baseUrl.endsWith("/") ? path : path.getParent();
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static boolean realPathStaysBelow(Path source, Path baseDir) throws IOException {
    if (!Files.exists(source, LinkOption.NOFOLLOW_LINKS)) {
      return true; // reported as not found by the copy
    }
    Path parentReal = source.getParent().toRealPath();
    return parentReal.startsWith(baseDir.toRealPath());
  }

  /**
   * Resolves {@code url} against the template's location. A relative URL under a {@code file:} base
   * must stay inside the template's directory (as Backstage's resolveSafeChildPath demands), so a
   * template cannot copy arbitrary server files into a workspace.
   */
  public static URI resolve(String baseUrl, String url) {
    try {
      URI u = URI.create(url);
      if (u.isAbsolute()) {
        return u;
      }
      if (baseUrl == null) {
        throw new InputException("Relative URL " + url + " needs a template base URL, but the template has none");
      }
      URI base = URI.create(baseUrl);
      if (!"file".equals(base.getScheme())) {
        return base.resolve(u);
      }
      Path baseDir = baseDirectory(baseUrl);
      Path resolved = baseDir.resolve(url).normalize();
      if (!resolved.startsWith(baseDir)) {
        throw new InputException("Relative path is not allowed to refer to a directory outside its parent: " + url);
      }
      return resolved.toUri();
    } catch (IllegalArgumentException e) {
      throw new InputException("Invalid URL " + url + ": " + e.getMessage());
    }
  }
}
