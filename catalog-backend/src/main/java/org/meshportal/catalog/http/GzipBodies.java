package org.meshportal.catalog.http;

import java.util.Arrays;
import java.util.List;

/**
 * Gzipped forms of large item bodies, so a list the frontend asks for again is not compressed
 * again (compression was most of the CPU of a large cached read). An entry is reused only while
 * the index hands back the very same item arrays with the same head and tail: the index loads
 * fresh arrays after every write, and stored bytes are never changed, so identical arrays mean an
 * identical body and a stale entry can never be served. An entry's cost includes the items it
 * keeps alive. Thread-safe.
 */
final class GzipBodies {
  private static final long ITEM_OVERHEAD = 16;

  private final BudgetedMemo<Entry> memo;

  private record Entry(byte[] head, byte[][] items, byte[] tail, byte[] gzip) {
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
    this.memo = new BudgetedMemo<>(maxBytes);
  }

  /** The gzipped body kept under {@code key} if it is still this body, else null. */
  byte[] reused(String key, ItemsBody body) {
    Entry e = memo.get(key);
    return e != null && e.matches(body) ? e.gzip() : null;
  }

  /** Compresses {@code body} and keeps the result under {@code key} for the next same read. */
  byte[] compress(String key, ItemsBody body) {
    byte[] gzip = body.gzip();
    memo.put(key, new Entry(body.head(), body.items().toArray(new byte[0][]), body.tail(), gzip),
        gzip.length + body.size() + ITEM_OVERHEAD * body.items().size());
    return gzip;
  }
}
