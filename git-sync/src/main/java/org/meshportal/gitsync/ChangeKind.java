package org.meshportal.gitsync;

/** How one path changed between two commits. */
public enum ChangeKind {
  ADDED,
  MODIFIED,
  DELETED,
  RENAMED
}
