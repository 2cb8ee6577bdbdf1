package org.meshportal.catalog.processing;

import java.util.List;
import java.util.Set;

/**
 * Typed settings of the processing engine (built by the config layer).
 *
 * @param allowedLocationTypes types {@code POST /locations} accepts (Backstage's default: url)
 * @param allowedKinds kinds accepted from locations ({@code catalog.rules}); empty = every built-in kind
 * @param orphanStrategy what to do with entities no longer emitted
 * @param maxFileBytes largest entity file read; larger files become a processing error
 * @param configLocations static {@code catalog.locations}
 */
public record ProcessingSettings(
    Set<String> allowedLocationTypes,
    Set<String> allowedKinds,
    OrphanStrategy orphanStrategy,
    int maxFileBytes,
    List<ConfigLocation> configLocations) {

  public static final int DEFAULT_MAX_FILE_BYTES = 5 * 1024 * 1024;

  public ProcessingSettings {
    allowedLocationTypes = Set.copyOf(allowedLocationTypes);
    allowedKinds = Set.copyOf(allowedKinds);
    configLocations = List.copyOf(configLocations);
    if (maxFileBytes <= 0) {
      throw new IllegalArgumentException("maxFileBytes must be positive, got " + maxFileBytes);
    }
  }

  /** Backstage's defaults: url registrations, Component/API/Location, delete orphans, 5 MiB. */
  public static ProcessingSettings defaults() {
    return new ProcessingSettings(
        Set.of("url"), Set.of("Component", "API", "Location"), OrphanStrategy.DELETE, DEFAULT_MAX_FILE_BYTES, List.of());
  }

  public ProcessingSettings withAllowedLocationTypes(Set<String> types) {
    return new ProcessingSettings(types, allowedKinds, orphanStrategy, maxFileBytes, configLocations);
  }

  public ProcessingSettings withAllowedKinds(Set<String> kinds) {
    return new ProcessingSettings(allowedLocationTypes, kinds, orphanStrategy, maxFileBytes, configLocations);
  }

  public ProcessingSettings withOrphanStrategy(OrphanStrategy strategy) {
    return new ProcessingSettings(allowedLocationTypes, allowedKinds, strategy, maxFileBytes, configLocations);
  }

  public ProcessingSettings withMaxFileBytes(int bytes) {
    return new ProcessingSettings(allowedLocationTypes, allowedKinds, orphanStrategy, bytes, configLocations);
  }

  public ProcessingSettings withConfigLocations(List<ConfigLocation> locations) {
    return new ProcessingSettings(allowedLocationTypes, allowedKinds, orphanStrategy, maxFileBytes, locations);
  }
}
