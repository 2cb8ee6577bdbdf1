package org.meshportal.catalog.processing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.meshportal.indexer.EntityIndex;
import org.meshportal.indexer.FacetCount;
import org.meshportal.indexer.ListRequest;
import org.meshportal.indexer.ListResult;
import org.meshportal.indexer.QueryRequest;
import org.meshportal.indexer.QueryResult;
import org.meshportal.indexer.SearchRequest;
import org.meshportal.indexer.SearchResult;
import org.meshportal.model.FieldProjection;
import org.meshportal.model.query.EntityPredicate;

/**
 * The by-ref part of {@link EntityIndex} over a map, standing in for the Lucene index where a
 * test needs to count index writes. Queries are the indexer's business and are not offered.
 */
final class MemoryEntityIndex implements EntityIndex {
  private final ObjectMapper json = new ObjectMapper();
  private final Map<String, byte[]> byRef = new ConcurrentHashMap<>();
  private volatile long generation = -1;
  int applyCalls;
  int replaceAllCalls;

  @Override
  public synchronized void apply(Collection<? extends JsonNode> upserts, Collection<String> deletedRefs, long storeGeneration) {
    applyCalls++;
    upserts.forEach(e -> byRef.put(ref(e), bytes(e)));
    deletedRefs.forEach(byRef::remove);
    generation = storeGeneration;
  }

  @Override
  public synchronized void replaceAll(Collection<? extends JsonNode> entities, long storeGeneration) {
    replaceAllCalls++;
    byRef.clear();
    entities.forEach(e -> byRef.put(ref(e), bytes(e)));
    generation = storeGeneration;
  }

  private static String ref(JsonNode e) {
    return org.meshportal.model.Entities.ref(e).canonical();
  }

  private byte[] bytes(JsonNode e) {
    try {
      return json.writeValueAsBytes(e);
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
  }

  @Override
  public long storeGeneration() {
    return generation;
  }

  @Override
  public int size() {
    return byRef.size();
  }

  @Override
  public Optional<byte[]> byRef(String canonicalRef) {
    return Optional.ofNullable(byRef.get(canonicalRef));
  }

  @Override
  public Optional<byte[]> byUid(String uid) {
    throw new UnsupportedOperationException();
  }

  @Override
  public List<byte[]> byRefs(List<String> refs, EntityPredicate filter, FieldProjection fields) {
    throw new UnsupportedOperationException();
  }

  @Override
  public ListResult list(ListRequest request) {
    throw new UnsupportedOperationException();
  }

  @Override
  public QueryResult query(QueryRequest request) {
    throw new UnsupportedOperationException();
  }

  @Override
  public Map<String, List<FacetCount>> facets(EntityPredicate filter, List<String> facets) {
    throw new UnsupportedOperationException();
  }

  @Override
  public SearchResult search(SearchRequest request) {
    throw new UnsupportedOperationException();
  }

  @Override
  public EntityIndex visibleOnly(EntityPredicate visible) {
    throw new UnsupportedOperationException();
  }

  @Override
  public void close() {}
}
