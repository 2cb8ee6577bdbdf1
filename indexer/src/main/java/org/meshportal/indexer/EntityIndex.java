package org.meshportal.indexer;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongSupplier;
import org.meshportal.model.FieldProjection;
import org.meshportal.model.query.EntityPredicate;

/**
 * The one index that serves every catalog read and search query. One instance owns its directory
 * (one writer, one searcher manager); it is thread-safe.
 *
 * <p>Writes are generations: {@link #apply} makes all of a batch visible at once, before it
 * returns. Reads never see half a generation.
 *
 * <p>Returned lists are the caller's own, but the entity byte arrays in them may be shared with
 * other callers (identical reads are answered from a cache): never modify them.
 *
 * <p>Malformed cursors and invalid requests throw
 * {@link org.meshportal.model.errors.InputException}.
 */
public interface EntityIndex extends AutoCloseable {

  /**
   * Upserts the final (stitched) entities, keyed by their canonical ref, and deletes the given
   * canonical refs, as one commit; visible to readers when this returns. {@code storeGeneration}
   * is recorded with the commit so a restart can tell whether the index matches the store.
   */
  void apply(Collection<? extends JsonNode> upserts, Collection<String> deletedRefs, long storeGeneration);

  /**
   * Like {@link #apply}, but builds the batch while {@code commitStore} runs on the calling thread
   * and makes it visible only after that returned the store generation to record. When
   * {@code commitStore} throws, the batch is discarded and that exception is rethrown. When
   * building the batch fails after the store committed, the index keeps its previous content and
   * the failure is thrown; the caller then rebuilds the index from the store.
   */
  default void applyAfterStore(List<EntityUpsert> upserts, Collection<String> deletedRefs, LongSupplier commitStore) {
    long generation = commitStore.getAsLong();
    apply(upserts.stream().map(EntityUpsert::entity).toList(), deletedRefs, generation);
  }

  /** Replaces the whole content (a rebuild from the store). */
  void replaceAll(Collection<? extends JsonNode> entities, long storeGeneration);

  /** The store generation recorded by the last commit, or -1 for a new or unreadable index. */
  long storeGeneration();

  /** Number of entities. */
  int size();

  /** The full entity JSON (UTF-8) for a canonical ref. */
  Optional<byte[]> byRef(String canonicalRef);

  Optional<byte[]> byUid(String uid);

  /** Entries in request order; null where the ref does not exist or fails {@code filter}. */
  List<byte[]> byRefs(List<String> refs, EntityPredicate filter, FieldProjection fields);

  ListResult list(ListRequest request);

  QueryResult query(QueryRequest request);

  /** Facet key as requested → values in original case, sorted by value. */
  Map<String, List<FacetCount>> facets(EntityPredicate filter, List<String> facets);

  /** The result may be shared with other callers asking the same question: read it, do not modify it. */
  SearchResult search(SearchRequest request);

  /**
   * A read view of this index that sees only the entities matching {@code visible} (a caller's
   * {@code catalog.entity.read} conditions): the restriction is applied inside the index, before
   * counting, paging, faceting and ranking, so totals, cursors, facet counts and search counts are
   * those of the visible part. Cursors it returns carry only the request's own filter. Lookups by
   * ref or uid answer empty for a hidden entity, {@link #byRefs} gives null in its slot. The view
   * is read-only: its write methods throw {@link UnsupportedOperationException}.
   */
  EntityIndex visibleOnly(EntityPredicate visible);

  @Override
  void close();
}
