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
 * <p>Implementations are thread-safe; the processing engine is their only writer. When several
 * server processes share one store ({@link #sharedByReplicas()}), each commit names the generation
 * its writer last read, and the store keeps an ordered log of what each generation changed so that
 * every replica can bring its memory and index up to date ({@link #changesSince}).
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
   * Applies the batch in one transaction, whatever the current generation.
   *
   * @return the new store generation
   */
  default long commit(StoreBatch batch) {
    return commit(batch, -1, null);
  }

  /**
   * Applies the batch in one transaction if the store is still at {@code expectedGeneration} (any
   * generation when negative) and, with a {@code fence}, its lease term is still current.
   *
   * @return the new store generation ({@code expectedGeneration + 1})
   * @throws StaleGenerationException when either check fails; nothing was written
   */
  long commit(StoreBatch batch, long expectedGeneration, WriteFence fence);

  /**
   * Starts a write that excludes the writers of every other process sharing the store until it
   * is closed: what the writer reads after this (its catch-up) stays the newest state until its
   * one commit through the session. A store only this process writes needs no more than the
   * caller's own lock.
   */
  default WriteSession beginWrite() {
    return new WriteSession() {
      @Override
      public long commit(StoreBatch batch, long expectedGeneration, WriteFence fence) {
        return CatalogStore.this.commit(batch, expectedGeneration, fence);
      }

      @Override
      public void close() {}
    };
  }

  /** One exclusive write: at most one {@link #commit}; closing without committing writes nothing. */
  interface WriteSession extends AutoCloseable {
    /** Like {@link CatalogStore#commit(StoreBatch, long, WriteFence)}. */
    long commit(StoreBatch batch, long expectedGeneration, WriteFence fence);

    @Override
    void close();
  }

  /**
   * Reads every entity (with its body when {@code withBodies}, else with an empty body) and every
   * processing error as of one generation, which it returns.
   */
  long snapshot(boolean withBodies, Consumer<EntityRecord> entities, Consumer<ErrorRecord> errors);

  /**
   * What changed after {@code generation}, as of the newest generation; empty when the store keeps
   * no log ({@link #sharedByReplicas()} is false) or its log no longer reaches back that far (the
   * caller then reloads everything).
   */
  Optional<ChangeBatch> changesSince(long generation);

  /** Whether other server processes may write this store (it then keeps the change log). */
  boolean sharedByReplicas();

  @Override
  void close();
}
