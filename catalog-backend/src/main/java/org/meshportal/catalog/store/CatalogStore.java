package org.meshportal.catalog.store;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * Durable source of truth of the catalog: registered locations, the entities each source
 * produced, processing errors and per-source state. Every write is one {@link StoreBatch} that
 * commits atomically and advances the store generation by one.
 *
 * <p>Implementations are thread-safe; the processing engine is their only writer.
 */
public interface CatalogStore extends AutoCloseable {

  /** The generation of the last committed batch; 0 for a new store. */
  long generation();

  /** Registered locations ordered by id. */
  List<LocationRecord> locations();

  Optional<LocationRecord> location(String id);

  /** Streams every entity row (with body), in no particular order. */
  void forEachEntity(Consumer<EntityRecord> consumer);

  /** The stored bodies of the given canonical refs; absent refs are left out. */
  Map<String, byte[]> bodies(Collection<String> refs);

  /** Every recorded processing error, ordered by source and insertion. */
  List<ErrorRecord> errors();

  Optional<String> sourceState(String source, String key);

  /**
   * Applies the batch in one transaction.
   *
   * @return the new store generation
   */
  long commit(StoreBatch batch);

  @Override
  void close();
}
