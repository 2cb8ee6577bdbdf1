package org.meshportal.indexer.lucene;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.TieredMergePolicy;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.IOUtils;
import org.meshportal.indexer.EntityIndex;
import org.meshportal.indexer.EntityUpsert;
import org.meshportal.indexer.FacetCount;
import org.meshportal.indexer.FullTextFilter;
import org.meshportal.indexer.ListRequest;
import org.meshportal.indexer.ListResult;
import org.meshportal.indexer.OrderField;
import org.meshportal.indexer.QueryRequest;
import org.meshportal.indexer.QueryResult;
import org.meshportal.indexer.SearchRequest;
import org.meshportal.indexer.SearchResult;
import org.meshportal.model.FieldProjection;
import org.meshportal.model.query.EntityPredicate;

/**
 * The Lucene-backed {@link EntityIndex}. Owns one {@link IndexWriter} and one
 * {@link SearcherManager}; writes are serialised, each ending with a refresh and a commit, so a
 * caller reads its own writes and readers never see half a batch. Reads acquire a searcher and
 * release it in {@code finally}.
 */
public final class LuceneEntityIndex implements EntityIndex {
  /** Bump when documents change shape; an index with another version is opened empty. */
  static final String SCHEMA_VERSION = "3";
  static final String SCHEMA_KEY = "schemaVersion";
  static final String GENERATION_KEY = "storeGeneration";
  private static final double RAM_BUFFER_MB = 24;
  /** Batches smaller than this are built on the calling thread after the store committed. */
  private static final int PARALLEL_MIN_DOCS = 512;
  /** Budget of the result cache of the current reader generation. */
  static final long RESULT_CACHE_BYTES = 32L << 20;

  private final Directory directory;
  // Replaced only after a failed batch (under the write lock); readers capture one instance.
  private volatile IndexWriter writer;
  private volatile SearcherManager searchers;
  private final ObjectMapper json = new ObjectMapper();
  private final EntityDocuments documents = new EntityDocuments(json);
  private final ReentrantLock writeLock = new ReentrantLock();
  private final SearchQueryParts searchParts = new SearchQueryParts();
  private final AtomicReference<ReaderTables> tables = new AtomicReference<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile long storeGeneration;
  private final long resultCacheBytes;
  private final int builders = Math.max(1, Math.min(4, Runtime.getRuntime().availableProcessors()));

  private LuceneEntityIndex(Directory directory, IndexWriter writer, long storeGeneration, long resultCacheBytes)
      throws IOException {
    this.directory = directory;
    this.resultCacheBytes = resultCacheBytes;
    this.writer = writer;
    this.storeGeneration = storeGeneration;
    this.searchers = new SearcherManager(writer, null);
  }

  /**
   * Opens (or creates) the index in {@code dir}. An index written with another schema version, or
   * one that cannot be read, is replaced by an empty one whose {@link #storeGeneration()} is -1, so
   * the caller rebuilds it from the store.
   *
   * @throws UncheckedIOException when the directory cannot be used (e.g. another process holds it)
   */
  public static LuceneEntityIndex open(Path dir) {
    return open(dir, RESULT_CACHE_BYTES);
  }

  /** As {@link #open(Path)} with another result cache budget (0 turns the cache off). */
  static LuceneEntityIndex open(Path dir, long resultCacheBytes) {
    Directory directory = null;
    try {
      directory = FSDirectory.open(dir);
      long generation = -1;
      boolean reuse = false;
      if (DirectoryReader.indexExists(directory)) {
        try {
          Map<String, String> data = SegmentInfos.readLatestCommit(directory).getUserData();
          if (SCHEMA_VERSION.equals(data.get(SCHEMA_KEY))) {
            reuse = true;
            generation = Long.parseLong(data.getOrDefault(GENERATION_KEY, "-1"));
          }
        } catch (IOException | NumberFormatException e) {
          reuse = false;
        }
      }
      IndexWriter writer = new IndexWriter(directory,
          writerConfig(reuse ? IndexWriterConfig.OpenMode.APPEND : IndexWriterConfig.OpenMode.CREATE));
      if (!reuse) {
        writer.setLiveCommitData(commitData(-1).entrySet());
        writer.commit();
      }
      return new LuceneEntityIndex(directory, writer, generation, resultCacheBytes);
    } catch (IOException e) {
      IOUtils.closeWhileHandlingException(directory);
      throw new UncheckedIOException("Cannot open the entity index in " + dir.getFileName() + ": " + e.getMessage(), e);
    }
  }

  /**
   * A larger RAM buffer flushes a typical batch (10-20k entities) as one segment instead of
   * several that are merged right away; without compound files a flush writes each byte once.
   */
  private static IndexWriterConfig writerConfig(IndexWriterConfig.OpenMode mode) {
    TieredMergePolicy merges = new TieredMergePolicy();
    merges.setNoCFSRatio(0);
    return new IndexWriterConfig(new SearchAnalyzer())
        .setOpenMode(mode)
        .setCommitOnClose(false)
        .setRAMBufferSizeMB(RAM_BUFFER_MB)
        .setUseCompoundFile(false)
        .setMergePolicy(merges);
  }

  private static Map<String, String> commitData(long generation) {
    return Map.of(SCHEMA_KEY, SCHEMA_VERSION, GENERATION_KEY, Long.toString(generation));
  }

  @Override
  public void apply(Collection<? extends JsonNode> upserts, Collection<String> deletedRefs, long storeGeneration) {
    write(false, unserialised(upserts), deletedRefs, () -> storeGeneration);
  }

  @Override
  public void applyAfterStore(List<EntityUpsert> upserts, Collection<String> deletedRefs, LongSupplier commitStore) {
    write(false, upserts, deletedRefs, commitStore);
  }

  @Override
  public void replaceAll(Collection<? extends JsonNode> entities, long storeGeneration) {
    write(true, unserialised(entities), List.of(), () -> storeGeneration);
  }

  /** Entities whose JSON the index serialises itself. */
  private static List<EntityUpsert> unserialised(Collection<? extends JsonNode> entities) {
    List<EntityUpsert> out = new ArrayList<>(entities.size());
    for (JsonNode e : entities) {
      out.add(new EntityUpsert(e, null));
    }
    return out;
  }

  /**
   * One batch, one commit, one refresh. A large batch is built on {@link #builders} threads while
   * {@code generation} (the store commit) runs on the calling thread; each builder flushes its own
   * segment, so the commit has little left to do. Nothing is visible before the refresh at the end.
   * If building fails or the store refuses, the uncommitted batch is rolled back and a fresh writer
   * is opened, so no later commit can publish half of it.
   */
  private void write(boolean replace, List<EntityUpsert> upserts, Collection<String> deletedRefs,
      LongSupplier generation) {
    ensureOpen();
    writeLock.lock();
    try {
      ensureOpen();
      long storeGen;
      try {
        if (replace) {
          writer.deleteAll();
        }
        // into an empty index (a first ingest) documents are added, as after deleteAll: no delete
        // term per document for the flush to resolve
        boolean fresh = replace || (deletedRefs.isEmpty() && !writer.hasUncommittedChanges()
            && writer.getDocStats().maxDoc == 0);
        for (String ref : deletedRefs) {
          writer.deleteDocuments(new Term(IndexFields.REF, ref.toLowerCase(Locale.ROOT)));
        }
        int threads = upserts.size() < PARALLEL_MIN_DOCS ? 0 : builders;
        if (threads == 0) {
          storeGen = generation.getAsLong();
          addAll(fresh, upserts, 0, 1);
        } else {
          storeGen = buildAlongside(fresh, upserts, threads, generation);
        }
      } catch (RuntimeException | IOException | Error e) {
        reopenAfterRollback();
        throw e;
      }
      // Visible first (a near-real-time reader needs no fsync), durable right after: a crash in
      // between leaves the last commit's generation on disk, which differs from the store's, so the
      // next start rebuilds the index from the store.
      searchers.maybeRefreshBlocking();
      // Reads from here on acquire the new reader and build fresh tables and an empty result
      // cache; dropping the old ones now frees their memory without waiting for the next read.
      tables.set(null);
      writer.setLiveCommitData(commitData(storeGen).entrySet());
      writer.commit();
      this.storeGeneration = storeGen;
    } catch (IOException e) {
      throw new UncheckedIOException("Writing the entity index failed: " + e.getMessage(), e);
    } finally {
      writeLock.unlock();
    }
  }

  /** Builds on {@code threads} platform threads (time-sliced, unlike virtual ones) while the store commits. */
  private long buildAlongside(boolean fresh, List<EntityUpsert> upserts, int threads, LongSupplier generation)
      throws IOException {
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> started = new ArrayList<>(threads);
    for (int i = 0; i < threads; i++) {
      int part = i;
      started.add(Thread.ofPlatform().name("index-builder-" + i).start(() -> {
        try {
          addAll(fresh, upserts, part, threads);
          writer.flushNextBuffer();
        } catch (Throwable t) {
          failure.compareAndSet(null, t);
        }
      }));
    }
    long storeGen;
    try {
      storeGen = generation.getAsLong();
    } finally {
      joinAll(started);
    }
    Throwable t = failure.get();
    if (t instanceof IOException io) {
      throw io;
    } else if (t instanceof RuntimeException r) {
      throw r;
    } else if (t instanceof Error err) {
      throw err;
    } else if (t != null) {
      throw new IllegalStateException(t);
    }
    return storeGen;
  }

  private static void joinAll(List<Thread> threads) {
    boolean interrupted = false;
    for (Thread thread : threads) {
      while (true) {
        try {
          thread.join();
          break;
        } catch (InterruptedException e) {
          interrupted = true; // the builders use the writer: never leave them running
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Adds the upserts of one partition; partitions split by ref, so a ref repeated in a batch is
   * applied in order by one thread. Into an empty index ({@code fresh}) only a ref repeated within
   * the batch needs the costlier update-by-term.
   */
  private void addAll(boolean fresh, List<EntityUpsert> upserts, int part, int parts) throws IOException {
    Set<String> added = fresh ? new HashSet<>() : null;
    EntityDocuments.Builder builder = documents.builder();
    for (EntityUpsert upsert : upserts) {
      String ref = EntityDocuments.refOf(upsert.entity());
      if (parts > 1 && Math.floorMod(ref.hashCode(), parts) != part) {
        continue;
      }
      if (added != null && added.add(ref)) {
        writer.addDocument(builder.toDocument(upsert.entity(), upsert.json(), ref));
      } else {
        writer.updateDocument(new Term(IndexFields.REF, ref), builder.toDocument(upsert.entity(), upsert.json(), ref));
      }
    }
  }

  private void reopenAfterRollback() throws IOException {
    SearcherManager oldSearchers = searchers;
    writer.rollback();
    writer = new IndexWriter(directory, writerConfig(IndexWriterConfig.OpenMode.APPEND));
    searchers = new SearcherManager(writer, null);
    oldSearchers.close();
  }

  @Override
  public long storeGeneration() {
    return storeGeneration;
  }

  @Override
  public int size() {
    return read(s -> s.searcher().getIndexReader().numDocs());
  }

  @Override
  public Optional<byte[]> byRef(String canonicalRef) {
    return byRef(canonicalRef, null);
  }

  private Optional<byte[]> byRef(String canonicalRef, EntityPredicate visible) {
    return read(visible, s -> Optional.ofNullable(s.byKey(IndexFields.REF, canonicalRef.toLowerCase(Locale.ROOT))));
  }

  @Override
  public Optional<byte[]> byUid(String uid) {
    return byUid(uid, null);
  }

  private Optional<byte[]> byUid(String uid, EntityPredicate visible) {
    return read(visible, s -> Optional.ofNullable(s.byKey(IndexFields.UID, uid)));
  }

  // Reads that the frontend repeats go through the generation's result cache. Keys name the
  // projection by its field list (FieldProjection has no value equality) and the caller's
  // visibility (null: everything); hits are copied so a caller may change the list it gets.
  private record ListKey(EntityPredicate filter, List<OrderField> order, Integer limit, Integer offset, String after,
      List<String> fields, EntityPredicate visible) {}

  private record QueryKey(EntityPredicate filter, List<OrderField> order, FullTextFilter fullText, int limit, int offset,
      boolean countTotal, String cursor, List<String> fields, EntityPredicate visible) {}

  private record FacetsKey(EntityPredicate filter, List<String> facets, EntityPredicate visible) {}

  private record SearchKey(SearchRequest request, EntityPredicate visible) {}

  /**
   * Not cached: a batch is a handful of term lookups, and batches seldom repeat exactly, so cached
   * results would mostly be garbage that survives into the old generation.
   */
  @Override
  public List<byte[]> byRefs(List<String> refs, EntityPredicate filter, FieldProjection fields) {
    return byRefs(refs, filter, fields, null);
  }

  private List<byte[]> byRefs(List<String> refs, EntityPredicate filter, FieldProjection fields,
      EntityPredicate visible) {
    return read(visible, s -> s.byRefs(refs, filter, fields));
  }

  @Override
  public ListResult list(ListRequest request) {
    return list(request, null);
  }

  private ListResult list(ListRequest request, EntityPredicate visible) {
    ListKey key = new ListKey(request.filter(), request.order(), request.limit(), request.offset(), request.after(),
        fieldsOf(request.fields()), visible);
    return read(visible, s -> {
      ListResult hit = s.results().get(key);
      if (hit == null) {
        hit = s.list(request);
        s.results().put(key, hit, ResultCache.sizeOf(hit.items()));
      }
      return new ListResult(new ArrayList<>(hit.items()), hit.nextAfter());
    });
  }

  @Override
  public QueryResult query(QueryRequest request) {
    return query(request, null);
  }

  private QueryResult query(QueryRequest request, EntityPredicate visible) {
    QueryKey key = new QueryKey(request.filter(), request.orderFields(), request.fullText(), request.limit(),
        request.offset(), request.countTotal(), request.cursor(), fieldsOf(request.fields()), visible);
    return read(visible, s -> {
      QueryResult hit = s.results().get(key);
      if (hit == null) {
        hit = s.query(request);
        s.results().put(key, hit, ResultCache.sizeOf(hit.items()));
      }
      return new QueryResult(new ArrayList<>(hit.items()), hit.totalItems(), hit.nextCursor(), hit.prevCursor());
    });
  }

  @Override
  public Map<String, List<FacetCount>> facets(EntityPredicate filter, List<String> facets) {
    return facets(filter, facets, null);
  }

  private Map<String, List<FacetCount>> facets(EntityPredicate filter, List<String> facets, EntityPredicate visible) {
    FacetsKey key = new FacetsKey(filter, List.copyOf(facets), visible);
    return read(visible, s -> {
      Map<String, List<FacetCount>> hit = s.results().get(key);
      if (hit == null) {
        hit = s.facets(filter, facets);
        long size = 0;
        for (List<FacetCount> counts : hit.values()) {
          size += 64L * counts.size();
        }
        s.results().put(key, hit, size);
      }
      Map<String, List<FacetCount>> copy = new LinkedHashMap<>();
      hit.forEach((facet, counts) -> copy.put(facet, new ArrayList<>(counts)));
      return copy;
    });
  }

  private static List<String> fieldsOf(FieldProjection fields) {
    return fields == null ? List.of() : fields.fields();
  }

  /** Rough heap bytes of one cached hit (document tree, highlight strings). */
  private static final long SEARCH_HIT_BYTES = 2048;

  /**
   * Cached per reader generation like the catalog reads; the same result object is handed to
   * every caller asking the same question (callers only render it), which lets the HTTP layer
   * reuse its rendering too.
   */
  @Override
  public SearchResult search(SearchRequest request) {
    return search(request, null);
  }

  private SearchResult search(SearchRequest request, EntityPredicate visible) {
    Object key = visible == null ? request : new SearchKey(request, visible); // records: equal requests are one key
    return read(visible, s -> {
      SearchResult hit = s.results().get(key);
      if (hit == null) {
        hit = new CatalogSearch(s.searcher(), json, searchParts, visible == null ? null : PredicateQueries.of(visible))
            .search(request);
        s.results().put(key, hit, SEARCH_HIT_BYTES * hit.results().size());
      }
      return hit;
    });
  }

  @Override
  public EntityIndex visibleOnly(EntityPredicate visible) {
    if (visible == null || visible instanceof EntityPredicate.MatchAll) {
      return new Visible(null);
    }
    return new Visible(visible);
  }

  /** The read view of {@link #visibleOnly}; every read passes its predicate down to {@link CatalogReads}. */
  private final class Visible implements EntityIndex {
    private final EntityPredicate visible;

    Visible(EntityPredicate visible) {
      this.visible = visible;
    }

    @Override
    public void apply(Collection<? extends JsonNode> upserts, Collection<String> deletedRefs, long storeGeneration) {
      throw new UnsupportedOperationException("a visibility view is read-only");
    }

    @Override
    public void replaceAll(Collection<? extends JsonNode> entities, long storeGeneration) {
      throw new UnsupportedOperationException("a visibility view is read-only");
    }

    @Override
    public long storeGeneration() {
      return LuceneEntityIndex.this.storeGeneration();
    }

    @Override
    public int size() {
      return visible == null ? LuceneEntityIndex.this.size() : read(visible, s -> s.visibleCount());
    }

    @Override
    public Optional<byte[]> byRef(String canonicalRef) {
      return LuceneEntityIndex.this.byRef(canonicalRef, visible);
    }

    @Override
    public Optional<byte[]> byUid(String uid) {
      return LuceneEntityIndex.this.byUid(uid, visible);
    }

    @Override
    public List<byte[]> byRefs(List<String> refs, EntityPredicate filter, FieldProjection fields) {
      return LuceneEntityIndex.this.byRefs(refs, filter, fields, visible);
    }

    @Override
    public ListResult list(ListRequest request) {
      return LuceneEntityIndex.this.list(request, visible);
    }

    @Override
    public QueryResult query(QueryRequest request) {
      return LuceneEntityIndex.this.query(request, visible);
    }

    @Override
    public Map<String, List<FacetCount>> facets(EntityPredicate filter, List<String> facets) {
      return LuceneEntityIndex.this.facets(filter, facets, visible);
    }

    @Override
    public SearchResult search(SearchRequest request) {
      return LuceneEntityIndex.this.search(request, visible);
    }

    @Override
    public EntityIndex visibleOnly(EntityPredicate more) {
      if (more == null || more instanceof EntityPredicate.MatchAll) {
        return this;
      }
      return new Visible(visible == null ? more : new EntityPredicate.All(List.of(visible, more)));
    }

    @Override
    public void close() {
      // the view owns nothing; the index is closed by its owner
    }
  }

  private interface Read<T> {
    T run(CatalogReads reads) throws IOException;
  }

  private <T> T read(Read<T> body) {
    return read(null, body);
  }

  /** @param visible the caller's visibility, or null for everything */
  private <T> T read(EntityPredicate visible, Read<T> body) {
    ensureOpen();
    SearcherManager manager = searchers;
    IndexSearcher searcher;
    try {
      searcher = manager.acquire();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      ReaderTables tables = tablesFor(searcher);
      return body.run(visible == null
          ? new CatalogReads(searcher, tables, json)
          : CatalogReads.visibleOnly(searcher, tables, json, visible));
    } catch (IOException e) {
      throw new UncheckedIOException("Reading the entity index failed: " + e.getMessage(), e);
    } finally {
      try {
        manager.release(searcher);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
  }

  /** The lookup tables of this searcher's reader, shared by every read of the same generation. */
  private ReaderTables tablesFor(IndexSearcher searcher) {
    ReaderTables current = tables.get();
    if (current != null && current.reader() == searcher.getIndexReader()) {
      return current;
    }
    ReaderTables fresh = new ReaderTables(searcher.getIndexReader(), resultCacheBytes);
    tables.compareAndSet(current, fresh);
    return fresh;
  }

  private void ensureOpen() {
    if (closed.get()) {
      throw new IllegalStateException("The entity index is closed");
    }
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    writeLock.lock();
    try {
      tables.set(null);
      IOUtils.close(searchers, writer, directory);
    } catch (IOException e) {
      throw new UncheckedIOException("Closing the entity index failed: " + e.getMessage(), e);
    } finally {
      writeLock.unlock();
    }
  }

}
