package org.meshportal.catalog.processing;

/** {@code catalog.orphanStrategy}: what happens to entities no source emits any more. */
public enum OrphanStrategy {
  /** Remove them (Backstage's default since catalog-backend 3.0.0). */
  DELETE,
  /** Keep them, annotated {@code backstage.io/orphan: "true"}. */
  KEEP
}
