package org.meshportal.indexer.lucene;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.MultiTerms;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.Weight;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.FixedBitSet;
import org.meshportal.indexer.FacetCount;
import org.meshportal.indexer.FullTextFilter;
import org.meshportal.indexer.ListRequest;
import org.meshportal.indexer.ListResult;
import org.meshportal.indexer.OrderField;
import org.meshportal.indexer.QueryRequest;
import org.meshportal.indexer.QueryResult;
import org.meshportal.model.FieldProjection;
import org.meshportal.model.errors.InputException;
import org.meshportal.model.query.EntityPredicate;

/** Catalog reads (by ref, list, by-query, facets) against one acquired searcher. */
final class CatalogReads {
  private final IndexSearcher searcher;
  private final ReaderTables tables;
  private final ObjectMapper json;
  /** The documents the caller may see (a permission filter), or null for all of them. */
  private final FixedBitSet visible;

  CatalogReads(IndexSearcher searcher, ReaderTables tables, ObjectMapper json) {
    this(searcher, tables, json, (FixedBitSet) null);
  }

  private CatalogReads(IndexSearcher searcher, ReaderTables tables, ObjectMapper json, FixedBitSet visible) {
    this.searcher = searcher;
    this.tables = tables;
    this.json = json;
    this.visible = visible;
  }

  private record VisibleKey(EntityPredicate visible) {}

  /**
   * Reads restricted to the documents matching {@code visible}. The matching set is computed once
   * per reader generation and predicate (one bit per document) and intersected with every match
   * before anything is counted, sorted or paged.
   */
  static CatalogReads visibleOnly(IndexSearcher searcher, ReaderTables tables, ObjectMapper json,
      EntityPredicate visible) throws IOException {
    VisibleKey key = new VisibleKey(visible);
    FixedBitSet bits = tables.results().get(key);
    if (bits == null) {
      bits = new CatalogReads(searcher, tables, json).match(visible);
      tables.results().put(key, bits, bits.length() / 8);
    }
    return new CatalogReads(searcher, tables, json, bits);
  }

  /** How many live documents this reader may see. */
  int visibleCount() {
    return visible == null ? searcher.getIndexReader().numDocs() : visible.cardinality();
  }

  IndexSearcher searcher() {
    return searcher;
  }

  ResultCache results() {
    return tables.results();
  }

  // ---- single documents ---------------------------------------------------------------------

  /** The stored JSON of the live document whose keyword {@code field} equals {@code value}. */
  byte[] byKey(String field, String value) throws IOException {
    int doc = docByKey(field, value);
    return doc < 0 || (visible != null && !visible.get(doc)) ? null : storedJson(doc);
  }

  private int docByKey(String field, String value) throws IOException {
    return new KeyLookup(field).doc(value);
  }

  /**
   * Finds live documents by a keyword field's value. The ref field is answered from the reader's
   * refs table when a read has built it; otherwise each segment's terms are sought, with one terms
   * enum per segment reused for every value of a batch.
   */
  private final class KeyLookup {
    private final ReaderTables.Refs refs;
    private final String field;
    private TermsEnum[] terms;
    private PostingsEnum[] postings;

    KeyLookup(String field) {
      this.field = field;
      this.refs = field.equals(IndexFields.REF) ? tables.refsIfBuilt() : null;
    }

    int doc(String value) throws IOException {
      if (refs != null) {
        // an in-memory binary search instead of a term dictionary seek per segment
        return refs.docOf(value);
      }
      List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
      if (terms == null) {
        terms = new TermsEnum[leaves.size()];
        postings = new PostingsEnum[leaves.size()];
        for (int i = 0; i < terms.length; i++) {
          Terms t = leaves.get(i).reader().terms(field);
          terms[i] = t == null ? null : t.iterator();
        }
      }
      BytesRef term = new BytesRef(value);
      for (int i = 0; i < terms.length; i++) {
        TermsEnum te = terms[i];
        if (te == null || !te.seekExact(term)) {
          continue;
        }
        LeafReaderContext leaf = leaves.get(i);
        Bits live = leaf.reader().getLiveDocs();
        PostingsEnum pe = te.postings(postings[i], PostingsEnum.NONE);
        postings[i] = pe;
        for (int d = pe.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = pe.nextDoc()) {
          if (live == null || live.get(d)) {
            return leaf.docBase + d;
          }
        }
      }
      return -1;
    }
  }

  private byte[] storedJson(int doc) throws IOException {
    return DocBytes.one(searcher.getIndexReader(), IndexFields.JSON, doc);
  }

  /** Loads documents given in any order, projected, in that order. */
  private List<byte[]> load(int[] docs, int from, int to, Projector projector) throws IOException {
    byte[][] values = DocBytes.many(searcher.getIndexReader(), IndexFields.JSON, docs, from, to);
    List<byte[]> out = new ArrayList<>(values.length);
    for (byte[] value : values) {
      out.add(projector.apply(value));
    }
    return out;
  }

  List<byte[]> byRefs(List<String> refs, EntityPredicate filter, FieldProjection fields) throws IOException {
    FixedBitSet allowed = filter == null || filter instanceof EntityPredicate.MatchAll ? visible : match(filter);
    int[] docs = new int[refs.size()];
    int found = 0;
    KeyLookup lookup = new KeyLookup(IndexFields.REF);
    for (int i = 0; i < docs.length; i++) {
      String ref = refs.get(i);
      int doc = ref == null ? -1 : lookup.doc(ref.toLowerCase(Locale.ROOT));
      docs[i] = doc < 0 || (allowed != null && !allowed.get(doc)) ? -1 : doc;
      found += docs[i] < 0 ? 0 : 1;
    }
    int[] present = new int[found];
    int n = 0;
    for (int doc : docs) {
      if (doc >= 0) {
        present[n++] = doc;
      }
    }
    List<byte[]> loaded = load(present, 0, found, new Projector(fields));
    List<byte[]> out = new ArrayList<>(docs.length);
    n = 0;
    for (int doc : docs) {
      out.add(doc < 0 ? null : loaded.get(n++));
    }
    return out;
  }

  // ---- matching -----------------------------------------------------------------------------

  /** The live, visible documents matching {@code filter}, as global doc ids. */
  FixedBitSet match(EntityPredicate filter) throws IOException {
    FixedBitSet bits = matchAll(filter);
    if (visible != null) {
      bits.and(visible);
    }
    return bits;
  }

  private FixedBitSet matchAll(EntityPredicate filter) throws IOException {
    int maxDoc = searcher.getIndexReader().maxDoc();
    FixedBitSet bits = new FixedBitSet(Math.max(1, maxDoc));
    Query query = PredicateQueries.of(filter == null ? new EntityPredicate.MatchAll() : filter);
    if (query instanceof MatchAllDocsQuery) {
      for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
        Bits live = leaf.reader().getLiveDocs();
        for (int d = 0; d < leaf.reader().maxDoc(); d++) {
          if (live == null || live.get(d)) {
            bits.set(leaf.docBase + d);
          }
        }
      }
      return bits;
    }
    Weight weight = searcher.createWeight(searcher.rewrite(query), ScoreMode.COMPLETE_NO_SCORES, 1f);
    for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
      Scorer scorer = weight.scorer(leaf);
      if (scorer == null) {
        continue;
      }
      Bits live = leaf.reader().getLiveDocs();
      DocIdSetIterator it = scorer.iterator();
      for (int d = it.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = it.nextDoc()) {
        if (live == null || live.get(d)) {
          bits.set(leaf.docBase + d);
        }
      }
    }
    return bits;
  }

  // ---- GET /entities ------------------------------------------------------------------------

  ListResult list(ListRequest request) throws IOException {
    FixedBitSet matches = match(request.filter());
    ReaderTables.Refs refs = tables.refs();
    Projector projector = new Projector(request.fields());
    if (!request.paginated()) {
      if (request.order().isEmpty()) {
        int[] docs = inRefOrder(matches, refs);
        return new ListResult(load(docs, 0, docs.length, projector), null);
      }
      OrderField order = request.order().get(0);
      long[] keys = rowKeys(matches, refs, tables.ranks(lower(order.field())), order.descending());
      Arrays.sort(keys);
      int[] docs = docsOf(keys, 0, keys.length, refs);
      return new ListResult(load(docs, 0, docs.length, projector), null);
    }
    int offset = request.offset() == null ? 0 : request.offset();
    Integer limit = request.limit();
    if (request.after() != null) {
      int[] page = decodeAfter(request.after());
      limit = page[0];
      offset = page[1];
    }
    if (offset < 0) {
      throw new InputException("Invalid offset, must be zero or greater");
    }
    if (limit != null && limit <= 0) {
      throw new InputException("Invalid limit, must be greater than zero");
    }
    int[] docs = sortedForPages(matches, refs, request.order());
    int from = Math.min(offset, docs.length);
    int to = limit == null ? docs.length : (int) Math.min((long) from + limit, docs.length);
    String next = limit != null && to < docs.length ? encodeAfter(limit, offset + limit) : null;
    return new ListResult(load(docs, from, to, projector), next);
  }

  private static int[] inRefOrder(FixedBitSet matches, ReaderTables.Refs refs) {
    int[] docs = new int[matches.cardinality()];
    int n = 0;
    for (int doc : refs.docOfOrd()) {
      if (doc >= 0 && doc < matches.length() && matches.get(doc)) {
        docs[n++] = doc;
      }
    }
    return n == docs.length ? docs : Arrays.copyOf(docs, n);
  }

  /** Every order field in turn, missing values last, ties by ref ascending. */
  private int[] sortedForPages(FixedBitSet matches, ReaderTables.Refs refs, List<OrderField> order) throws IOException {
    if (order.isEmpty()) {
      return inRefOrder(matches, refs);
    }
    ReaderTables.ValueRanks[] ranks = new ReaderTables.ValueRanks[order.size()];
    for (int i = 0; i < ranks.length; i++) {
      ranks[i] = tables.ranks(lower(order.get(i).field()));
    }
    Integer[] docs = new Integer[matches.cardinality()];
    int n = 0;
    for (int d = matches.nextSetBit(0); d != DocIdSetIterator.NO_MORE_DOCS;
        d = d + 1 < matches.length() ? matches.nextSetBit(d + 1) : DocIdSetIterator.NO_MORE_DOCS) {
      docs[n++] = d;
    }
    Arrays.sort(docs, (a, b) -> {
      for (int i = 0; i < ranks.length; i++) {
        boolean desc = order.get(i).descending();
        int oa = desc ? ranks[i].maxOrd()[a] : ranks[i].minOrd()[a];
        int ob = desc ? ranks[i].maxOrd()[b] : ranks[i].minOrd()[b];
        if (oa != ob) {
          if (oa < 0) {
            return 1;
          }
          if (ob < 0) {
            return -1;
          }
          return desc ? Integer.compare(ob, oa) : Integer.compare(oa, ob);
        }
      }
      return Integer.compare(refs.ordOfDoc()[a], refs.ordOfDoc()[b]);
    });
    return Arrays.stream(docs).mapToInt(Integer::intValue).toArray();
  }

  private String encodeAfter(int limit, int offset) {
    String text = json.createObjectNode().put("limit", limit).put("offset", offset).toString();
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private int[] decodeAfter(String after) {
    try {
      JsonNode node = json.readTree(Base64.getDecoder().decode(after));
      JsonNode limit = node == null ? null : node.get("limit");
      JsonNode offset = node == null ? null : node.get("offset");
      if (limit == null || !limit.canConvertToInt() || !limit.isIntegralNumber()
          || offset == null || !offset.canConvertToInt() || !offset.isIntegralNumber()) {
        throw new IllegalArgumentException("no limit/offset");
      }
      return new int[] {limit.asInt(), offset.asInt()};
    } catch (IllegalArgumentException | IOException e) {
      throw new InputException("Malformed after cursor, could not be parsed");
    }
  }

  // ---- by-query (keyset pagination) ---------------------------------------------------------

  QueryResult query(QueryRequest request) throws IOException {
    boolean initial = request.cursor() == null;
    QueryCursor cursor = initial ? initialCursor(request) : QueryCursor.decode(request.cursor(), json);
    if (request.limit() < 0) {
      throw new InputException("Invalid limit, must be zero or greater");
    }
    FixedBitSet matches = match(cursor.filter());
    ReaderTables.Refs refs = tables.refs();
    OrderField order = cursor.order();
    ReaderTables.ValueRanks ranks = order == null ? null : tables.ranks(lower(order.field()));
    boolean desc = order != null && order.descending();
    long refSpace = refs.rankSpace();

    long[] keys = rowKeys(matches, refs, ranks, desc);
    int n = keys.length;
    int total = initial ? (request.countTotal() ? n : 0) : cursor.totalItems();
    if (initial) {
      cursor = new QueryCursor(cursor.filter(), order, null, false, null, total);
    }
    if (request.limit() == 0) {
      return new QueryResult(List.of(), total, null, null);
    }

    long bound = 0;
    if (cursor.after() != null && ranks != null && cursor.after().value() == null) {
      throw new InputException("Malformed cursor: it has no value for the order field");
    }
    if (cursor.after() != null) {
      long valueRank = ranks == null ? 0 : ranks.rankOf(cursor.after().value());
      long b = ranks == null ? refs.rankOf(cursor.after().ref()) : valueRank * refSpace + refs.rankOf(cursor.after().ref());
      bound = desc ? -b : b;
    }
    boolean backwards = cursor.previous();
    long[] selected = new long[n];
    int m = 0;
    for (int i = 0; i < n; i++) {
      long k = keys[i];
      if (cursor.after() == null || (backwards ? k < bound : k > bound)) {
        selected[m++] = k;
      }
    }
    Arrays.sort(selected, 0, m);
    int limit = request.limit();
    int[] pageDocs;
    boolean hasMore;
    if (backwards) {
      int from = Math.max(0, m - limit);
      pageDocs = docsOf(selected, from, m, refs);
      hasMore = true;
    } else {
      int from = initial ? (int) Math.min((long) Math.max(0, request.offset()), m) : 0;
      int to = (int) Math.min((long) from + limit, m);
      pageDocs = docsOf(selected, from, to, refs);
      hasMore = to < m;
    }
    List<byte[]> items = load(pageDocs, 0, pageDocs.length, new Projector(request.fields()));
    if (pageDocs.length == 0) {
      return new QueryResult(items, total, null, null);
    }
    QueryCursor.RowPosition firstRow = position(pageDocs[0], ranks, desc, refs);
    QueryCursor.RowPosition lastRow = position(pageDocs[pageDocs.length - 1], ranks, desc, refs);
    if (initial) {
      cursor = new QueryCursor(cursor.filter(), order, null, false, firstRow, total);
    }
    String next = hasMore ? cursor.continuing(lastRow, false).encode(json) : null;
    String prev = !initial && !firstRow.equals(cursor.first()) ? cursor.continuing(firstRow, true).encode(json) : null;
    return new QueryResult(items, total, next, prev);
  }

  /**
   * One sortable long per matching row: (value rank, ref rank) packed, negated when descending so
   * an ascending sort gives the requested order. Rows lacking the order field are left out.
   */
  private static long[] rowKeys(FixedBitSet matches, ReaderTables.Refs refs, ReaderTables.ValueRanks ranks,
      boolean desc) {
    long refSpace = refs.rankSpace();
    long[] keys = new long[matches.cardinality()];
    int n = 0;
    for (int d = matches.nextSetBit(0); d != DocIdSetIterator.NO_MORE_DOCS;
        d = d + 1 < matches.length() ? matches.nextSetBit(d + 1) : DocIdSetIterator.NO_MORE_DOCS) {
      long key;
      if (ranks == null) {
        key = refs.rankOfDoc(d);
      } else {
        int ord = desc ? ranks.maxOrd()[d] : ranks.minOrd()[d];
        if (ord < 0) {
          continue;
        }
        key = (2L * ord + 1) * refSpace + refs.rankOfDoc(d);
      }
      keys[n++] = desc ? -key : key;
    }
    return n == keys.length ? keys : Arrays.copyOf(keys, n);
  }

  private QueryCursor initialCursor(QueryRequest request) {
    OrderField order = request.orderFields().isEmpty() ? null : request.orderFields().get(0);
    EntityPredicate filter = request.filter() == null ? new EntityPredicate.MatchAll() : request.filter();
    FullTextFilter fullText = request.fullText();
    if (fullText != null && fullText.term() != null && !fullText.term().trim().isEmpty()) {
      List<String> fields = fullText.fields().isEmpty()
          ? List.of(order != null ? order.field() : "metadata.uid")
          : fullText.fields();
      EntityPredicate text = new EntityPredicate.ValueContains(fields, fullText.term().trim());
      filter = filter instanceof EntityPredicate.MatchAll ? text : new EntityPredicate.All(List.of(filter, text));
    }
    return new QueryCursor(filter, order, null, false, null, 0);
  }

  private static int[] docsOf(long[] keys, int from, int to, ReaderTables.Refs refs) {
    long space = refs.rankSpace();
    int[] docs = new int[Math.max(0, to - from)];
    for (int i = from; i < to; i++) {
      long refRank = Math.abs(keys[i]) % space;
      docs[i - from] = refs.docOfOrd()[(int) ((refRank - 1) / 2)];
    }
    return docs;
  }

  private static QueryCursor.RowPosition position(int doc, ReaderTables.ValueRanks ranks, boolean desc,
      ReaderTables.Refs refs) {
    String ref = refs.sorted()[refs.ordOfDoc()[doc]];
    if (ranks == null) {
      return new QueryCursor.RowPosition(null, ref);
    }
    int ord = desc ? ranks.maxOrd()[doc] : ranks.minOrd()[doc];
    return new QueryCursor.RowPosition(ranks.values()[ord], ref);
  }

  // ---- GET /entity-facets -------------------------------------------------------------------

  Map<String, List<FacetCount>> facets(EntityPredicate filter, List<String> facets) throws IOException {
    FixedBitSet matches = match(filter);
    Map<String, List<FacetCount>> out = new LinkedHashMap<>();
    Terms originals = MultiTerms.getTerms(searcher.getIndexReader(), IndexFields.ROW_ORIGINAL);
    Terms rows = MultiTerms.getTerms(searcher.getIndexReader(), IndexFields.ROW);
    for (String facet : facets) {
      BytesRef prefix = new BytesRef(IndexFields.rowPrefix(lower(facet)));
      Map<String, Integer> counts = new HashMap<>();
      // cased values first; the entities they name are not counted again under the lowercase form
      Map<String, Set<Integer>> namedByLower = new HashMap<>();
      forEachTerm(originals, prefix, (value, doc) -> {
        counts.merge(value, 1, Integer::sum);
        namedByLower.computeIfAbsent(lower(value), v -> new HashSet<>()).add(doc);
      }, matches);
      forEachTerm(rows, prefix, (value, doc) -> {
        Set<Integer> named = namedByLower.get(value);
        if (named == null || !named.contains(doc)) {
          counts.merge(value, 1, Integer::sum);
        }
      }, matches);
      List<FacetCount> list = new ArrayList<>(counts.size());
      counts.forEach((value, count) -> list.add(new FacetCount(value, count)));
      list.sort((x, y) -> ReaderTables.compareCodePoints(x.value(), y.value()));
      out.put(facet, list);
    }
    return out;
  }

  private interface TermDoc {
    void accept(String value, int doc);
  }

  /** Calls {@code action} for each (value after {@code prefix}, matching doc) of the field's terms. */
  private static void forEachTerm(Terms terms, BytesRef prefix, TermDoc action, FixedBitSet matches)
      throws IOException {
    if (terms == null) {
      return;
    }
    TermsEnum te = terms.iterator();
    PostingsEnum pe = null;
    if (te.seekCeil(prefix) == TermsEnum.SeekStatus.END) {
      return;
    }
    for (BytesRef term = te.term(); term != null && ReaderTables.startsWith(term, prefix); term = te.next()) {
      pe = te.postings(pe, PostingsEnum.NONE);
      String value = null;
      for (int d = pe.nextDoc(); d != DocIdSetIterator.NO_MORE_DOCS; d = pe.nextDoc()) {
        if (matches.get(d)) {
          if (value == null) {
            value = new String(term.bytes, term.offset + prefix.length, term.length - prefix.length,
                StandardCharsets.UTF_8);
          }
          action.accept(value, d);
        }
      }
    }
  }

  private static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }
}
