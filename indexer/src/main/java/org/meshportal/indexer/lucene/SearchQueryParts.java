package org.meshportal.indexer.lucene;

import java.io.IOException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.FuzzyQuery;
import org.apache.lucene.search.PrefixQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.util.AttributeImpl;
import org.apache.lucene.util.AttributeSource;

/**
 * The reader-independent parts of search queries, kept across requests: the analyzer, prefix
 * queries (their automaton is compiled when built) and the Levenshtein automata of fuzzy terms.
 * Building those automata was the largest single cost of a search that is not cached, and the
 * same ones were built again for each field a term is looked up in. Thread-safe; bounded.
 */
final class SearchQueryParts {
  private static final int MAX_ENTRIES = 256;
  /** The attribute in which FuzzyTermsEnum keeps the automata of one rewrite (not public API). */
  private static final String AUTOMATON_ATTRIBUTE = "org.apache.lucene.search.FuzzyTermsEnum$AutomatonAttributeImpl";

  private final Analyzer analyzer = new SearchAnalyzer();
  private final Bounded<Term, Query> prefixes = new Bounded<>();
  private final Bounded<FuzzyKey, AttributeImpl> automata = new Bounded<>();

  private record FuzzyKey(String text, int maxEdits, int prefixLength, boolean transpositions) {}

  Analyzer analyzer() {
    return analyzer;
  }

  Query prefix(Term term) {
    return prefixes.computeIfAbsent(term, PrefixQuery::new);
  }

  FuzzyQuery fuzzy(Term term, int maxEdits, int prefixLength, int maxExpansions, boolean transpositions) {
    return new SharedAutomataFuzzyQuery(term, maxEdits, prefixLength, maxExpansions, transpositions);
  }

  /**
   * A FuzzyQuery (same matching and scoring) that hands each rewrite the automata already built for
   * its text, in whatever field. FuzzyTermsEnum builds them only when the rewrite's attribute
   * source has none yet, and they are immutable once built, so sharing them is safe.
   */
  private final class SharedAutomataFuzzyQuery extends FuzzyQuery {
    private final FuzzyKey key;

    SharedAutomataFuzzyQuery(Term term, int maxEdits, int prefixLength, int maxExpansions, boolean transpositions) {
      super(term, maxEdits, prefixLength, maxExpansions, transpositions);
      this.key = new FuzzyKey(term.text(), maxEdits, prefixLength, transpositions);
    }

    @Override
    protected TermsEnum getTermsEnum(Terms terms, AttributeSource atts) throws IOException {
      AttributeImpl built = automata.get(key);
      if (built != null && automatonOf(atts) == null) {
        atts.addAttributeImpl(built);
      }
      TermsEnum result = super.getTermsEnum(terms, atts);
      if (built == null) {
        AttributeImpl fresh = automatonOf(atts);
        if (fresh != null) {
          automata.put(key, fresh);
        }
      }
      return result;
    }
  }

  private static AttributeImpl automatonOf(AttributeSource atts) {
    for (Iterator<AttributeImpl> it = atts.getAttributeImplsIterator(); it.hasNext(); ) {
      AttributeImpl impl = it.next();
      if (impl.getClass().getName().equals(AUTOMATON_ATTRIBUTE)) {
        return impl;
      }
    }
    return null;
  }

  /** A small synchronized LRU map. */
  private static final class Bounded<K, V> {
    private final LinkedHashMap<K, V> map = new LinkedHashMap<>(64, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > MAX_ENTRIES;
      }
    };

    synchronized V get(K key) {
      return map.get(key);
    }

    synchronized void put(K key, V value) {
      map.putIfAbsent(key, value);
    }

    V computeIfAbsent(K key, Function<K, V> make) {
      V v = get(key);
      if (v == null) {
        v = make.apply(key);
        put(key, v);
      }
      return v;
    }
  }
}
