package org.meshportal.catalog.processing;

/** Annotation keys the catalog writes. */
final class Annotations {
  static final String MANAGED_BY_LOCATION = "backstage.io/managed-by-location";
  static final String MANAGED_BY_ORIGIN_LOCATION = "backstage.io/managed-by-origin-location";
  static final String ORPHAN = "backstage.io/orphan";

  private Annotations() {}
}
