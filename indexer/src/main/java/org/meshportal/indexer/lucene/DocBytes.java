package org.meshportal.indexer.lucene;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.apache.lucene.index.BinaryDocValues;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.util.BytesRef;

/**
 * Reads a binary doc-values field (entity JSON, search document) of global doc ids. The values are
 * stored uncompressed and memory-mapped, so a read is a copy; doc-values iterators only move
 * forward, so a batch is visited in doc-id order and returned in the order asked for.
 */
final class DocBytes {
  private DocBytes() {}

  static byte[] one(IndexReader reader, String field, int doc) throws IOException {
    List<LeafReaderContext> leaves = reader.leaves();
    LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
    BinaryDocValues values = leaf.reader().getBinaryDocValues(field);
    if (values == null || !values.advanceExact(doc - leaf.docBase)) {
      return null;
    }
    return copy(values.binaryValue());
  }

  /** Values of {@code docs[from..to)}, in that order (null where a document has none). */
  static byte[][] many(IndexReader reader, String field, int[] docs, int from, int to) throws IOException {
    int n = Math.max(0, to - from);
    long[] byDoc = new long[n];
    for (int i = 0; i < n; i++) {
      byDoc[i] = ((long) docs[from + i] << 32) | i;
    }
    Arrays.sort(byDoc);
    byte[][] out = new byte[n][];
    List<LeafReaderContext> leaves = reader.leaves();
    int leafIndex = -1;
    LeafReaderContext leaf = null;
    BinaryDocValues values = null;
    int lastDoc = -1;
    for (long packed : byDoc) {
      int doc = (int) (packed >>> 32);
      int slot = (int) packed;
      if (leaf == null || doc >= leaf.docBase + leaf.reader().maxDoc() || doc == lastDoc) {
        if (leaf == null || doc >= leaf.docBase + leaf.reader().maxDoc()) {
          leafIndex = ReaderUtil.subIndex(doc, leaves);
          leaf = leaves.get(leafIndex);
        }
        // A fresh iterator for a new segment, or for a document asked for twice.
        values = leaf.reader().getBinaryDocValues(field);
      }
      lastDoc = doc;
      if (values != null && values.advanceExact(doc - leaf.docBase)) {
        out[slot] = copy(values.binaryValue());
      }
    }
    return out;
  }

  private static byte[] copy(BytesRef ref) {
    return Arrays.copyOfRange(ref.bytes, ref.offset, ref.offset + ref.length);
  }
}
