package org.meshportal.gitsync;

import java.util.Objects;

/**
 * One changed path. {@code oldPath} is {@code null} for {@link ChangeKind#ADDED}, {@code newPath}
 * is {@code null} for {@link ChangeKind#DELETED}; both are set for MODIFIED (equal) and RENAMED.
 * Paths are repository-relative with {@code /} separators.
 */
public record FileChange(ChangeKind kind, String oldPath, String newPath) {

  public FileChange {
    Objects.requireNonNull(kind, "kind");
    switch (kind) {
      case ADDED -> require(oldPath == null && newPath != null, kind);
      case DELETED -> require(oldPath != null && newPath == null, kind);
      case MODIFIED -> require(oldPath != null && oldPath.equals(newPath), kind);
      case RENAMED -> require(oldPath != null && newPath != null, kind);
    }
  }

  public static FileChange added(String path) {
    return new FileChange(ChangeKind.ADDED, null, path);
  }

  public static FileChange modified(String path) {
    return new FileChange(ChangeKind.MODIFIED, path, path);
  }

  public static FileChange deleted(String path) {
    return new FileChange(ChangeKind.DELETED, path, null);
  }

  public static FileChange renamed(String oldPath, String newPath) {
    return new FileChange(ChangeKind.RENAMED, oldPath, newPath);
  }

  /** The path as it is after the change, or the removed path for a deletion. */
  public String path() {
    return newPath != null ? newPath : oldPath;
  }

  private static void require(boolean ok, ChangeKind kind) {
    if (!ok) {
      throw new IllegalArgumentException("paths do not fit a change of kind " + kind);
    }
  }
}
