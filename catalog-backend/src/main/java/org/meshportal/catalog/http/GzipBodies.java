package org.meshportal.catalog.http;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Gzipped forms of large item bodies, so a list the frontend asks for again is not compressed
 * again (compression was most of the CPU of a large cached read). An entry is reused only while
 * the index hands back the very same item arrays with the same head and tail: the index loads
 * fresh arrays after every write, and stored bytes are never changed, so identical arrays mean an
 * identical body and a stale entry can never be served. Least recently used entries leave first
 * once the bytes they hold (including the items they keep alive) exceed the budget. Thread-safe.
 */
final class GzipBodies {
  private static final long ENTRY_OVERHEAD = 256;
  private static final long ITEM_OVERHEAD = 16;

  private final long maxBytes;
  private long bytes;
  private final LinkedHashMap<String, Entry> entries = new LinkedHashMap<>(64, 0.75f, true);

  private record Entry(byte[] head, byte[][] items, byte[] tail, byte[] gzip, long cost) {
    boolean matches(ItemsBody body) {
      List<byte[]> now = body.items();
      if (now.size() != items.length) {
        return false;
      }
      for (int i = 0; i < items.length; i++) {
        if (now.get(i) != items[i]) {
          return false;
        }
      }
      return Arrays.equals(head, body.head()) && Arrays.equals(tail, body.tail());
    }
  }

  GzipBodies(long maxBytes) {
    this.maxBytes = maxBytes;
  }

  /** The gzipped body kept under {@code key} if it is still this body, else null. */
  synchronized byte[] reused(String key, ItemsBody body) {
    Entry e = entries.get(key);
    return e != null && e.matches(body) ? e.gzip() : null;
  }

  /** Compresses {@code body} and keeps the result under {@code key} for the next same read. */
  byte[] compress(String key, ItemsBody body) {
    byte[] gzip = body.gzip();
    long cost = ENTRY_OVERHEAD + gzip.length + body.size() + ITEM_OVERHEAD * body.items().size() + 2L * key.length();
    if (cost <= maxBytes / 4) {
      put(key, new Entry(body.head(), body.items().toArray(new byte[0][]), body.tail(), gzip, cost));
    }
    return gzip;
  }

  private synchronized void put(String key, Entry entry) {
    Entry old = entries.put(key, entry);
    bytes += entry.cost() - (old == null ? 0 : old.cost());
    var it = entries.entrySet().iterator();
    while (bytes > maxBytes && it.hasNext()) {
      Map.Entry<String, Entry> eldest = it.next();
      bytes -= eldest.getValue().cost();
      it.remove();
    }
  }
}
