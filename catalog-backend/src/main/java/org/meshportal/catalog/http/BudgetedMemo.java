package org.meshportal.catalog.http;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Values kept by key, least recently used out first once their costs (bytes, as the caller counts
 * them) exceed a budget; a value costing more than a quarter of the budget is not kept. The
 * response memos of this package are built on it. Thread-safe.
 */
final class BudgetedMemo<V> {
  /** Bookkeeping bytes per entry, so many small values still count. */
  private static final long ENTRY_OVERHEAD = 256;

  private final long maxBytes;
  private long bytes;
  private final LinkedHashMap<String, Entry<V>> entries = new LinkedHashMap<>(64, 0.75f, true);

  private record Entry<V>(V value, long cost) {}

  BudgetedMemo(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  synchronized V get(String key) {
    Entry<V> e = entries.get(key);
    return e == null ? null : e.value();
  }

  void put(String key, V value, long valueBytes) {
    long cost = ENTRY_OVERHEAD + 2L * key.length() + valueBytes;
    if (cost > maxBytes / 4) {
      return;
    }
    synchronized (this) {
      Entry<V> old = entries.put(key, new Entry<>(value, cost));
      bytes += cost - (old == null ? 0 : old.cost());
      var it = entries.entrySet().iterator();
      while (bytes > maxBytes && it.hasNext()) {
        bytes -= it.next().getValue().cost();
        it.remove();
      }
    }
  }
}
