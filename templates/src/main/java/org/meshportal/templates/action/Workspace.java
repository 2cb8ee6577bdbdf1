package org.meshportal.templates.action;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.meshportal.model.errors.InputException;

/**
 * A task's working directory as a sandbox. Every path an action touches goes through
 * {@link #resolve(String)}, which refuses absolute paths, {@code ..} escapes and symbolic links on the
 * way; {@link #checkLimits()} enforces the file-count and size limits after writes. Messages name
 * the relative path only, never the server's directories.
 */
public final class Workspace {
  private final Path root;
  private final int maxFiles;
  private final long maxBytes;

  public Workspace(Path root, int maxFiles, long maxBytes) {
    try {
      Files.createDirectories(root);
      this.root = root.toRealPath();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.maxFiles = maxFiles;
    this.maxBytes = maxBytes;
  }

  public Path root() {
    return root;
  }

  /** Resolves a relative path inside the workspace; "" and "." are the root itself. */
  public Path resolve(String relative) {
    return resolveInside(root, relative);
  }

  /**
   * Resolves {@code relative} below {@code base} (which must itself lie inside the workspace),
   * refusing anything that would leave it, including through an existing symbolic link.
   */
  public Path resolveInside(Path base, String relative) {
    String rel = relative == null ? "" : relative.replace('\\', '/');
    if (rel.startsWith("/") || rel.matches("^[A-Za-z]:.*") || rel.indexOf('\0') >= 0) {
      throw new InputException("Path is not allowed to be absolute: " + relative);
    }
    Path target = base.resolve(rel).normalize();
    if (!target.startsWith(root) || !target.startsWith(base.normalize())) {
      throw new InputException(
          "Relative path is not allowed to refer to a directory outside its parent: " + relative);
    }
    for (Path p = target; p != null && !p.equals(root); p = p.getParent()) {
      if (Files.isSymbolicLink(p)) {
        throw new InputException("Path goes through a symbolic link, which is not allowed: " + relative);
      }
    }
    return target;
  }

  /** The workspace-relative form of a path inside it, with {@code /} separators. */
  public String relativize(Path p) {
    return root.relativize(p).toString().replace('\\', '/');
  }

  /** Regular files below {@code dir} (relative to the workspace), sorted; symlinks are not followed. */
  public List<String> listFiles(Path dir) throws IOException {
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(p -> Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)).map(this::relativize).sorted().toList();
    }
  }

  /** Fails when the workspace holds more files or bytes than allowed. */
  public void checkLimits() throws IOException {
    long[] counts = new long[2];
    Files.walkFileTree(root, new SimpleFileVisitor<>() {
      @Override
      public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
        counts[0]++;
        counts[1] += attrs.size();
        return FileVisitResult.CONTINUE;
      }
    });
    if (counts[0] > maxFiles) {
      throw new InputException("Workspace holds " + counts[0] + " files, more than the limit of " + maxFiles);
    }
    if (counts[1] > maxBytes) {
      throw new InputException("Workspace holds " + counts[1] + " bytes, more than the limit of " + maxBytes);
    }
  }

  /**
   * Copies a tree from outside (a fetched template source) to a directory inside the workspace.
   * Symbolic links in the source are refused, so a skeleton cannot smuggle in a link to elsewhere.
   */
  public List<Path> copyTreeInto(Path source, Path targetDir, boolean replace) throws IOException {
    List<Path> written = new ArrayList<>();
    if (Files.isSymbolicLink(source)) {
      throw new InputException("Template source contains a symbolic link, which is not allowed: "
          + source.getFileName());
    }
    if (Files.isRegularFile(source)) {
      copyFile(source, targetDir, replace, written);
      checkLimits();
      return written;
    }
    try (Stream<Path> s = Files.walk(source)) {
      for (Path p : s.sorted().toList()) {
        String rel = source.relativize(p).toString().replace('\\', '/');
        if (Files.isSymbolicLink(p)) {
          throw new InputException("Template source contains a symbolic link, which is not allowed: " + rel);
        }
        Path dest = resolveInside(targetDir, rel);
        if (Files.isDirectory(p)) {
          Files.createDirectories(dest);
        } else {
          copyFile(p, dest, replace, written);
        }
      }
    }
    checkLimits();
    return written;
  }

  private void copyFile(Path from, Path dest, boolean replace, List<Path> written) throws IOException {
    Files.createDirectories(dest.getParent());
    if (Files.exists(dest, LinkOption.NOFOLLOW_LINKS) && !replace) {
      return;
    }
    Files.copy(from, dest, StandardCopyOption.REPLACE_EXISTING);
    written.add(dest);
  }
}
