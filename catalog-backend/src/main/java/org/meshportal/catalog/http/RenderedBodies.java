package org.meshportal.catalog.http;

import java.lang.ref.WeakReference;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Serialised forms of results the index hands out again as the very same object (its result cache
 * returns one instance per question and reader generation), so a repeated read is not serialised
 * again. A different object, as after any write, is always rendered afresh. Least recently used
 * entries leave first once their bytes exceed the budget. Thread-safe.
 */
final class RenderedBodies<R> {
  private static final long ENTRY_OVERHEAD = 256;

  private final long maxBytes;
  private final Function<R, byte[]> render;
  private long bytes;
  private final LinkedHashMap<String, Entry<R>> entries = new LinkedHashMap<>(64, 0.75f, true);

  /** The result is held weakly: an entry must not keep alive what the index's cache has let go. */
  private record Entry<R>(WeakReference<R> result, byte[] body, long cost) {}

  RenderedBodies(long maxBytes, Function<R, byte[]> render) {
    this.maxBytes = maxBytes;
    this.render = render;
  }

  byte[] body(String key, R result) {
    synchronized (this) {
      Entry<R> e = entries.get(key);
      if (e != null && e.result().get() == result) {
        return e.body();
      }
    }
    byte[] body = render.apply(result);
    long cost = ENTRY_OVERHEAD + body.length + 2L * key.length();
    if (cost <= maxBytes / 4) {
      put(key, new Entry<>(new WeakReference<>(result), body, cost));
    }
    return body;
  }

  private synchronized void put(String key, Entry<R> entry) {
    Entry<R> old = entries.put(key, entry);
    bytes += entry.cost() - (old == null ? 0 : old.cost());
    var it = entries.entrySet().iterator();
    while (bytes > maxBytes && it.hasNext()) {
      Map.Entry<String, Entry<R>> eldest = it.next();
      bytes -= eldest.getValue().cost();
      it.remove();
    }
  }
}
