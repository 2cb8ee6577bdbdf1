package org.meshportal.indexer.lucene;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.BoostQuery;
import org.apache.lucene.search.ConstantScoreQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TermInSetQuery;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopFieldCollectorManager;
import org.apache.lucene.search.TopFieldDocs;
import org.apache.lucene.util.BytesRef;
import org.meshportal.indexer.SearchRequest;
import org.meshportal.indexer.SearchResult;
import org.meshportal.model.errors.InputException;

/**
 * {@code GET /api/search/query} over the {@code software-catalog} documents: BM25 over weighted
 * fields, the last term also as a prefix, typo tolerance through fuzzy terms, and a strong boost for
 * an exact name or title. Pages are Backstage's base64 decimal page numbers.
 */
final class CatalogSearch {
  private static final float NAME_WEIGHT = 6f;
  private static final float TAGS_WEIGHT = 3f;
  private static final float DESCRIPTION_WEIGHT = 2f;
  private static final float OTHER_WEIGHT = 1f;
  private static final float EXACT_NAME_BOOST = 100f;
  private static final float EXACT_IDENTIFIER_BOOST = 20f;
  private static final float PREFIX_FACTOR = 0.7f;
  private static final float FUZZY_FACTOR = 0.3f;
  private static final int FUZZY_MIN_LENGTH = 4;
  /** From this length a term may carry two typos; shorter ones one. */
  private static final int FUZZY_TWO_EDITS_LENGTH = 8;
  private static final int FUZZY_MAX_EXPANSIONS = 16;
  private static final int MAX_PAGE = 1_000_000;

  private static final Map<String, Float> FIELD_WEIGHTS = Map.of(
      IndexFields.TEXT_NAME, NAME_WEIGHT,
      IndexFields.TEXT_TAGS, TAGS_WEIGHT,
      IndexFields.TEXT_DESCRIPTION, DESCRIPTION_WEIGHT,
      IndexFields.TEXT_OTHER, OTHER_WEIGHT);

  private final IndexSearcher searcher;
  private final ObjectMapper json;
  private final Analyzer analyzer;
  private final SearchQueryParts parts;
  /** The caller's visibility (permission filter), applied before counting and ranking; null: none. */
  private final Query visible;

  CatalogSearch(IndexSearcher searcher, ObjectMapper json, SearchQueryParts parts) {
    this(searcher, json, parts, null);
  }

  CatalogSearch(IndexSearcher searcher, ObjectMapper json, SearchQueryParts parts, Query visible) {
    this.visible = visible;
    this.searcher = searcher;
    this.json = json;
    this.parts = parts;
    this.analyzer = parts.analyzer();
  }

  SearchResult search(SearchRequest request) throws IOException {
    for (String type : request.types()) {
      if (!CatalogDocument.TYPE.equals(type)) {
        throw new InputException("Invalid query string: unknown document type \"" + type + "\"");
      }
    }
    int page = decodePage(request.pageCursor());
    int size = request.pageLimit();
    if (size < 0) {
      throw new InputException("Invalid pageLimit, must not be negative");
    }
    String term = request.term() == null ? "" : request.term().trim();
    List<String> tokens = tokens(term);

    if (size == 0) {
      // The search page asks for counts only (one request per result type).
      int count = searcher.count(query(term, tokens, request.filters(), false));
      if (count == 0 && !tokens.isEmpty()) {
        count = searcher.count(query(term, tokens, request.filters(), true));
      }
      return new SearchResult(List.of(), null, null, count);
    }
    Sort sort = tokens.isEmpty()
        ? new Sort(new SortField(IndexFields.REF, SortField.Type.STRING))
        : new Sort(SortField.FIELD_SCORE, new SortField(IndexFields.REF, SortField.Type.STRING));
    long wanted = (long) (page + 1) * size;
    int numHits = (int) Math.min(wanted, Math.max(1, searcher.getIndexReader().maxDoc()));
    TopFieldDocs top = searcher.search(query(term, tokens, request.filters(), false),
        new TopFieldCollectorManager(sort, numHits, null, Integer.MAX_VALUE));
    if (top.totalHits.value() == 0 && !tokens.isEmpty()) {
      // nothing found: try once more with two typos in long terms and typos in the long text
      // (schema properties, contacts); too costly for every query, fine for the few that find nothing
      top = searcher.search(query(term, tokens, request.filters(), true),
          new TopFieldCollectorManager(sort, numHits, null, Integer.MAX_VALUE));
    }
    int total = (int) top.totalHits.value();

    List<SearchResult.Hit> hits = new ArrayList<>();
    ScoreDoc[] docs = top.scoreDocs;
    long start = (long) page * size;
    for (long i = start; i < docs.length && i < start + size; i++) {
      byte[] stored = searchDocument(docs[(int) i].doc);
      ObjectNode document = (ObjectNode) json.readTree(stored);
      Map<String, String> highlight = request.highlight() == null ? null : highlight(document, tokens, request.highlight());
      hits.add(new SearchResult.Hit(CatalogDocument.TYPE, document, highlight, (int) i + 1));
    }
    String next = start + size < total ? encodePage(page + 1) : null;
    String previous = page > 0 ? encodePage(page - 1) : null;
    return new SearchResult(hits, next, previous, total);
  }

  private Query query(String term, List<String> tokens, Map<String, List<String>> filters, boolean widened) {
    BooleanQuery.Builder query = new BooleanQuery.Builder();
    if (tokens.isEmpty()) {
      query.add(new MatchAllDocsQuery(), Occur.MUST);
    } else {
      for (int i = 0; i < tokens.size(); i++) {
        query.add(tokenQuery(tokens.get(i), i == tokens.size() - 1, widened), Occur.MUST);
      }
      String whole = term.toLowerCase(Locale.ROOT);
      query.add(new BoostQuery(new ConstantScoreQuery(new TermQuery(new Term(IndexFields.EXACT_NAME, whole))),
          EXACT_NAME_BOOST), Occur.SHOULD);
      query.add(new BoostQuery(new ConstantScoreQuery(new TermQuery(new Term(IndexFields.EXACT_OTHER, whole))),
          EXACT_IDENTIFIER_BOOST), Occur.SHOULD);
    }
    for (Map.Entry<String, List<String>> filter : filters.entrySet()) {
      List<BytesRef> values = filter.getValue().stream()
          .map(v -> new BytesRef(v.toLowerCase(Locale.ROOT))).toList();
      query.add(new TermInSetQuery(IndexFields.SEARCH_FILTER_PREFIX + filter.getKey(), values), Occur.FILTER);
    }
    if (visible != null) {
      query.add(visible, Occur.FILTER);
    }
    return query.build();
  }

  /**
   * Exact terms on every field; the last term also as a prefix (on the long-text field only from 3
   * characters, where a short prefix would expand to much of its vocabulary); one typo on the name,
   * tag and description fields for terms of 4+ characters, first character fixed, few expansions.
   * The {@code widened} retry after an empty result allows {@link #maxEdits} typos and typos in the
   * long text too: fuzzy automata (a two-edit one costs several one-edit ones) were most of the cost
   * of a query, so the common path builds only the cheap ones.
   */
  private Query tokenQuery(String token, boolean last, boolean widened) {
    BooleanQuery.Builder b = new BooleanQuery.Builder();
    int edits = widened ? maxEdits(token) : Math.min(1, maxEdits(token));
    for (Map.Entry<String, Float> field : FIELD_WEIGHTS.entrySet()) {
      Term t = new Term(field.getKey(), token);
      float weight = field.getValue();
      boolean longText = field.getKey().equals(IndexFields.TEXT_OTHER);
      b.add(new BoostQuery(new TermQuery(t), weight), Occur.SHOULD);
      if (last && (!longText || token.length() >= 3)) {
        b.add(new BoostQuery(new ConstantScoreQuery(parts.prefix(t)), weight * PREFIX_FACTOR), Occur.SHOULD);
      }
      if (edits > 0 && (!longText || widened)) {
        b.add(new BoostQuery(parts.fuzzy(t, edits, 1, FUZZY_MAX_EXPANSIONS, true), weight * FUZZY_FACTOR),
            Occur.SHOULD);
      }
    }
    return b.build();
  }

  /** Typos a term may carry: none below 4 characters (too many neighbours), then one, from 8 two. */
  static int maxEdits(String token) {
    if (token.length() < FUZZY_MIN_LENGTH) {
      return 0;
    }
    return token.length() < FUZZY_TWO_EDITS_LENGTH ? 1 : 2;
  }

  private byte[] searchDocument(int doc) throws IOException {
    return DocBytes.one(searcher.getIndexReader(), IndexFields.SEARCH_DOC, doc);
  }

  List<String> tokens(String text) {
    List<String> out = new ArrayList<>();
    try (TokenStream ts = analyzer.tokenStream("", text)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      ts.reset();
      while (ts.incrementToken()) {
        out.add(term.toString());
      }
      ts.end();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** Title and text with every word that matched a query term wrapped in the tags. */
  private Map<String, String> highlight(ObjectNode document, List<String> tokens, SearchRequest.Highlight tags) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (String field : List.of("title", "text")) {
      String value = document.path(field).asText("");
      String marked = mark(value, tokens, tags);
      if (marked != null) {
        fields.put(field, marked);
      }
    }
    return fields;
  }

  private String mark(String value, List<String> tokens, SearchRequest.Highlight tags) {
    if (value.isEmpty() || tokens.isEmpty()) {
      return null;
    }
    StringBuilder out = new StringBuilder();
    int copied = 0;
    boolean any = false;
    try (TokenStream ts = analyzer.tokenStream("", value)) {
      CharTermAttribute term = ts.addAttribute(CharTermAttribute.class);
      OffsetAttribute offset = ts.addAttribute(OffsetAttribute.class);
      ts.reset();
      while (ts.incrementToken()) {
        if (matches(term.toString(), tokens)) {
          out.append(value, copied, offset.startOffset()).append(tags.preTag())
              .append(value, offset.startOffset(), offset.endOffset()).append(tags.postTag());
          copied = offset.endOffset();
          any = true;
        }
      }
      ts.end();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return any ? out.append(value.substring(copied)).toString() : null;
  }

  private static boolean matches(String word, List<String> tokens) {
    for (int i = 0; i < tokens.size(); i++) {
      String t = tokens.get(i);
      if (word.equals(t) || (i == tokens.size() - 1 && word.startsWith(t))) {
        return true;
      }
      int edits = maxEdits(t);
      if (edits > 0 && !word.isEmpty() && word.charAt(0) == t.charAt(0) && editDistance(word, t, edits) <= edits) {
        return true;
      }
    }
    return false;
  }

  /**
   * Edit distance counting a swap of neighbours as one edit (as the fuzzy query does), giving up
   * (returning limit + 1) once it exceeds {@code limit}.
   */
  static int editDistance(String a, String b, int limit) {
    if (Math.abs(a.length() - b.length()) > limit) {
      return limit + 1;
    }
    int[] before = new int[b.length() + 1];
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      int rowMin = cur[0];
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          cur[j] = Math.min(cur[j], before[j - 2] + 1);
        }
        rowMin = Math.min(rowMin, cur[j]);
      }
      if (rowMin > limit) {
        return limit + 1;
      }
      int[] t = before;
      before = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }

  static int decodePage(String cursor) {
    if (cursor == null || cursor.isEmpty()) {
      return 0;
    }
    try {
      String text = new String(Base64.getDecoder().decode(cursor), StandardCharsets.UTF_8).trim();
      int page = Integer.parseInt(text);
      if (page < 0 || page > MAX_PAGE) {
        throw new NumberFormatException("out of range");
      }
      return page;
    } catch (IllegalArgumentException e) {
      throw new InputException("Invalid pageCursor \"" + cursor + "\", expected a base64 page number");
    }
  }

  static String encodePage(int page) {
    return Base64.getEncoder().encodeToString(Integer.toString(page).getBytes(StandardCharsets.UTF_8));
  }
}
