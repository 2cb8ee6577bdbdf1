package org.meshportal.indexer.lucene;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Results of identical repeated reads (the frontend asks the same list, query, facets and
 * search questions again and again), least recently used first out once their bytes exceed a budget.
 * One instance belongs to one reader generation, so a write never serves a stale result: the next
 * read acquires the new reader and with it an empty cache.
 */
final class ResultCache {
  /** Rough per-entry and per-item bookkeeping bytes, so many tiny results still count. */
  private static final long ENTRY_OVERHEAD = 256;
  private static final long ITEM_OVERHEAD = 24;

  private final long maxBytes;
  private long bytes;
  private final LinkedHashMap<Object, Entry> entries = new LinkedHashMap<>(64, 0.75f, true);

  private record Entry(Object value, long bytes) {}

  ResultCache(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  @SuppressWarnings("unchecked")
  synchronized <T> T get(Object key) {
    Entry e = entries.get(key);
    return e == null ? null : (T) e.value();
  }

  /** Keeps {@code value} unless it alone would take more than a quarter of the budget. */
  synchronized void put(Object key, Object value, long size) {
    long cost = size + ENTRY_OVERHEAD;
    if (cost > maxBytes / 4) {
      return;
    }
    Entry old = entries.put(key, new Entry(value, cost));
    bytes += cost - (old == null ? 0 : old.bytes());
    var it = entries.entrySet().iterator();
    while (bytes > maxBytes && it.hasNext()) {
      Map.Entry<Object, Entry> eldest = it.next();
      bytes -= eldest.getValue().bytes();
      it.remove();
    }
  }

  static long sizeOf(List<byte[]> items) {
    long size = 0;
    for (byte[] item : items) {
      size += ITEM_OVERHEAD + (item == null ? 0 : item.length);
    }
    return size;
  }
}
