package org.meshportal.indexer.lucene;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.MultiBits;
import org.apache.lucene.index.MultiTerms;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;

/**
 * Per-reader lookup tables built lazily from the term dictionary: the sorted refs with their
 * documents, and per order key the rank of every document's value. They turn ordering and keyset
 * paging into integer comparisons. One instance belongs to one top-level reader and is dropped
 * with it.
 */
final class ReaderTables {
  private static final int MAX_CACHED_KEYS = 16;

  private final IndexReader reader;
  private final Bits liveDocs;
  private volatile Refs refs;
  private final ResultCache results;
  private final Map<String, ValueRanks> ranks =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ValueRanks> eldest) {
          return size() > MAX_CACHED_KEYS;
        }
      };

  ReaderTables(IndexReader reader, long resultCacheBytes) {
    this.reader = reader;
    this.results = new ResultCache(resultCacheBytes);
    this.liveDocs = MultiBits.getLiveDocs(reader);
  }

  IndexReader reader() {
    return reader;
  }

  ResultCache results() {
    return results;
  }

  /**
   * Refs in term (UTF-8 byte) order; {@code ordOfDoc[doc]} is the ref ordinal of a live document,
   * {@code docOfOrd[ord]} the live document of a ref or -1.
   */
  record Refs(String[] sorted, int[] ordOfDoc, int[] docOfOrd) {
    /** Odd rank for a present ref, even rank for the gap where an absent ref would go. */
    long rankOf(String ref) {
      int i = binarySearch(sorted, ref);
      return i >= 0 ? 2L * i + 1 : 2L * (-i - 1);
    }

    /** The live document of a (lowercased) ref, or -1. */
    int docOf(String ref) {
      int i = binarySearch(sorted, ref);
      return i >= 0 ? docOfOrd[i] : -1;
    }

    long rankOfDoc(int doc) {
      return 2L * ordOfDoc[doc] + 1;
    }

    /** Size of the rank space, so (value rank, ref rank) pairs pack into one long. */
    long rankSpace() {
      return 2L * sorted.length + 2;
    }
  }

  /**
   * The distinct lowercased values of one key in term order, and for each document the smallest
   * and largest ordinal among its values (-1 when it has no non-null value).
   */
  record ValueRanks(String[] values, int[] minOrd, int[] maxOrd) {
    long rankOf(String value) {
      int i = binarySearch(values, value);
      return i >= 0 ? 2L * i + 1 : 2L * (-i - 1);
    }

    long rankSpace() {
      return 2L * values.length + 2;
    }
  }

  Refs refs() throws IOException {
    Refs r = refs;
    if (r == null) {
      r = buildRefs();
      refs = r;
    }
    return r;
  }

  /** The refs table if a read has built it already, else null (not worth building for one lookup). */
  Refs refsIfBuilt() {
    return refs;
  }

  ValueRanks ranks(String lowerKey) throws IOException {
    synchronized (ranks) {
      ValueRanks r = ranks.get(lowerKey);
      if (r != null) {
        return r;
      }
    }
    ValueRanks built = buildRanks(lowerKey);
    synchronized (ranks) {
      ranks.put(lowerKey, built);
    }
    return built;
  }

  private Refs buildRefs() throws IOException {
    int maxDoc = reader.maxDoc();
    int[] ordOfDoc = new int[maxDoc];
    Arrays.fill(ordOfDoc, -1);
    List<String> sorted = new ArrayList<>();
    List<Integer> docs = new ArrayList<>();
    Terms terms = MultiTerms.getTerms(reader, IndexFields.REF);
    if (terms != null) {
      TermsEnum te = terms.iterator();
      PostingsEnum pe = null;
      for (BytesRef term = te.next(); term != null; term = te.next()) {
        pe = te.postings(pe, PostingsEnum.NONE);
        int live = -1;
        for (int doc = pe.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = pe.nextDoc()) {
          if (liveDocs == null || liveDocs.get(doc)) {
            live = doc;
          }
        }
        if (live >= 0) {
          ordOfDoc[live] = sorted.size();
          sorted.add(term.utf8ToString());
          docs.add(live);
        }
      }
    }
    return new Refs(sorted.toArray(String[]::new), ordOfDoc, docs.stream().mapToInt(Integer::intValue).toArray());
  }

  private ValueRanks buildRanks(String lowerKey) throws IOException {
    int maxDoc = reader.maxDoc();
    int[] minOrd = new int[maxDoc];
    int[] maxOrd = new int[maxDoc];
    Arrays.fill(minOrd, -1);
    Arrays.fill(maxOrd, -1);
    List<String> values = new ArrayList<>();
    Terms terms = MultiTerms.getTerms(reader, IndexFields.ROW);
    if (terms != null) {
      BytesRef prefix = new BytesRef(IndexFields.rowPrefix(lowerKey));
      TermsEnum te = terms.iterator();
      PostingsEnum pe = null;
      if (te.seekCeil(prefix) != TermsEnum.SeekStatus.END) {
        for (BytesRef term = te.term(); term != null && startsWith(term, prefix); term = te.next()) {
          pe = te.postings(pe, PostingsEnum.NONE);
          int ord = -1;
          for (int doc = pe.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = pe.nextDoc()) {
            if (liveDocs != null && !liveDocs.get(doc)) {
              continue;
            }
            if (ord < 0) {
              ord = values.size();
              values.add(new String(term.bytes, term.offset + prefix.length, term.length - prefix.length,
                  java.nio.charset.StandardCharsets.UTF_8));
            }
            if (minOrd[doc] < 0) {
              minOrd[doc] = ord;
            }
            maxOrd[doc] = ord;
          }
        }
      }
    }
    return new ValueRanks(values.toArray(String[]::new), minOrd, maxOrd);
  }

  static boolean startsWith(BytesRef term, BytesRef prefix) {
    if (term.length < prefix.length) {
      return false;
    }
    return Arrays.equals(term.bytes, term.offset, term.offset + prefix.length,
        prefix.bytes, prefix.offset, prefix.offset + prefix.length);
  }

  /** Binary search in code point order, which is the UTF-8 byte order of the term dictionary. */
  static int binarySearch(String[] sorted, String key) {
    int lo = 0;
    int hi = sorted.length - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      int c = compareCodePoints(sorted[mid], key);
      if (c < 0) {
        lo = mid + 1;
      } else if (c > 0) {
        hi = mid - 1;
      } else {
        return mid;
      }
    }
    return -(lo + 1);
  }

  static int compareCodePoints(String a, String b) {
    int i = 0;
    int j = 0;
    while (i < a.length() && j < b.length()) {
      int ca = a.codePointAt(i);
      int cb = b.codePointAt(j);
      if (ca != cb) {
        return Integer.compare(ca, cb);
      }
      i += Character.charCount(ca);
      j += Character.charCount(cb);
    }
    return Integer.compare(a.length() - i, b.length() - j);
  }
}
