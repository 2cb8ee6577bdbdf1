package org.meshportal.indexer.lucene;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.SegmentInfos;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.IOUtils;
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
 * The Lucene-backed {@link EntityIndex}. Owns one {@link IndexWriter} and one
 * {@link SearcherManager}; writes are serialised, each ending with a commit and a refresh, so a
 * caller reads its own writes and readers never see half a batch. Reads acquire a searcher and
 * release it in {@code finally}.
 */
public final class LuceneEntityIndex implements EntityIndex {
  /** Bump when documents change shape; an index with another version is opened empty. */
  static final String SCHEMA_VERSION = "1";
  static final String SCHEMA_KEY = "schemaVersion";
  static final String GENERATION_KEY = "storeGeneration";

  private final Directory directory;
  private final IndexWriter writer;
  private final SearcherManager searchers;
  private final ObjectMapper json = new ObjectMapper();
  private final EntityDocuments documents = new EntityDocuments(json);
  private final ReentrantLock writeLock = new ReentrantLock();
  private final AtomicReference<ReaderTables> tables = new AtomicReference<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile long storeGeneration;

  private LuceneEntityIndex(Directory directory, IndexWriter writer, long storeGeneration) throws IOException {
    this.directory = directory;
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
      IndexWriterConfig config = new IndexWriterConfig(new SearchAnalyzer())
          .setOpenMode(reuse ? IndexWriterConfig.OpenMode.APPEND : IndexWriterConfig.OpenMode.CREATE)
          .setCommitOnClose(false);
      IndexWriter writer = new IndexWriter(directory, config);
      if (!reuse) {
        writer.setLiveCommitData(commitData(-1).entrySet());
        writer.commit();
      }
      return new LuceneEntityIndex(directory, writer, generation);
    } catch (IOException e) {
      IOUtils.closeWhileHandlingException(directory);
      throw new UncheckedIOException("Cannot open the entity index in " + dir.getFileName() + ": " + e.getMessage(), e);
    }
  }

  private static Map<String, String> commitData(long generation) {
    return Map.of(SCHEMA_KEY, SCHEMA_VERSION, GENERATION_KEY, Long.toString(generation));
  }

  @Override
  public void apply(Collection<? extends JsonNode> upserts, Collection<String> deletedRefs, long storeGeneration) {
    write(false, toDocuments(upserts), deletedRefs, storeGeneration);
  }

  @Override
  public void replaceAll(Collection<? extends JsonNode> entities, long storeGeneration) {
    write(true, toDocuments(entities), List.of(), storeGeneration);
  }

  /** Built before the writer is touched, so a bad entity fails the call without a partial batch. */
  private List<Map.Entry<String, Document>> toDocuments(Collection<? extends JsonNode> entities) {
    List<Map.Entry<String, Document>> docs = new ArrayList<>(entities.size());
    for (JsonNode entity : entities) {
      docs.add(Map.entry(EntityDocuments.refOf(entity), documents.toDocument(entity)));
    }
    return docs;
  }

  private void write(boolean replace, List<Map.Entry<String, Document>> docs, Collection<String> deletedRefs,
      long generation) {
    ensureOpen();
    writeLock.lock();
    try {
      ensureOpen();
      if (replace) {
        writer.deleteAll();
      }
      for (String ref : deletedRefs) {
        writer.deleteDocuments(new Term(IndexFields.REF, ref.toLowerCase(Locale.ROOT)));
      }
      for (Map.Entry<String, Document> doc : docs) {
        writer.updateDocument(new Term(IndexFields.REF, doc.getKey()), doc.getValue());
      }
      writer.setLiveCommitData(commitData(generation).entrySet());
      writer.commit();
      searchers.maybeRefreshBlocking();
      this.storeGeneration = generation;
    } catch (IOException e) {
      throw new UncheckedIOException("Writing the entity index failed: " + e.getMessage(), e);
    } finally {
      writeLock.unlock();
    }
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
    return read(s -> Optional.ofNullable(s.byKey(IndexFields.REF, canonicalRef.toLowerCase(Locale.ROOT))));
  }

  @Override
  public Optional<byte[]> byUid(String uid) {
    return read(s -> Optional.ofNullable(s.byKey(IndexFields.UID, uid)));
  }

  @Override
  public List<byte[]> byRefs(List<String> refs, EntityPredicate filter, FieldProjection fields) {
    return read(s -> s.byRefs(refs, filter, fields));
  }

  @Override
  public ListResult list(ListRequest request) {
    return read(s -> s.list(request));
  }

  @Override
  public QueryResult query(QueryRequest request) {
    return read(s -> s.query(request));
  }

  @Override
  public Map<String, List<FacetCount>> facets(EntityPredicate filter, List<String> facets) {
    return read(s -> s.facets(filter, facets));
  }

  @Override
  public SearchResult search(SearchRequest request) {
    return read(s -> new CatalogSearch(s.searcher(), json).search(request));
  }

  private interface Read<T> {
    T run(CatalogReads reads) throws IOException;
  }

  private <T> T read(Read<T> body) {
    ensureOpen();
    IndexSearcher searcher;
    try {
      searcher = searchers.acquire();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    try {
      return body.run(new CatalogReads(searcher, tablesFor(searcher), json));
    } catch (IOException e) {
      throw new UncheckedIOException("Reading the entity index failed: " + e.getMessage(), e);
    } finally {
      try {
        searchers.release(searcher);
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
    ReaderTables fresh = new ReaderTables(searcher.getIndexReader());
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
