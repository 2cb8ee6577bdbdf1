package org.meshportal.catalog.store;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The writes of one generation; committed atomically by {@link CatalogStore#commit}. */
public final class StoreBatch {
  private final List<LocationRecord> locationUpserts = new ArrayList<>();
  private final List<String> locationDeletes = new ArrayList<>();
  private final List<EntityRecord> entityUpserts = new ArrayList<>();
  private final List<String> entityDeletes = new ArrayList<>();
  private final Map<String, List<ErrorRecord>> errorReplacements = new LinkedHashMap<>();
  private final Map<String, Map<String, String>> sourceStates = new LinkedHashMap<>();
  private final List<String> sourceDeletes = new ArrayList<>();

  public StoreBatch upsertLocation(LocationRecord location) {
    locationUpserts.add(location);
    return this;
  }

  public StoreBatch deleteLocation(String id) {
    locationDeletes.add(id);
    return this;
  }

  public StoreBatch upsertEntity(EntityRecord entity) {
    entityUpserts.add(entity);
    return this;
  }

  public StoreBatch deleteEntity(String ref) {
    entityDeletes.add(ref);
    return this;
  }

  /** Replaces every error of {@code source} with {@code errors}. */
  public StoreBatch replaceErrors(String source, List<ErrorRecord> errors) {
    errorReplacements.put(source, List.copyOf(errors));
    return this;
  }

  public StoreBatch putSourceState(String source, String key, String value) {
    sourceStates.computeIfAbsent(source, s -> new LinkedHashMap<>()).put(key, value);
    return this;
  }

  /** Forgets the source's errors and state (its entities are deleted one by one). */
  public StoreBatch deleteSource(String source) {
    sourceDeletes.add(source);
    return this;
  }

  public List<LocationRecord> locationUpserts() {
    return locationUpserts;
  }

  public List<String> locationDeletes() {
    return locationDeletes;
  }

  public List<EntityRecord> entityUpserts() {
    return entityUpserts;
  }

  public List<String> entityDeletes() {
    return entityDeletes;
  }

  public Map<String, List<ErrorRecord>> errorReplacements() {
    return errorReplacements;
  }

  public Map<String, Map<String, String>> sourceStates() {
    return sourceStates;
  }

  public List<String> sourceDeletes() {
    return sourceDeletes;
  }
}
