package org.meshportal.catalog.http;

import java.lang.ref.WeakReference;
import java.util.function.Function;

/**
 * Serialised forms of results the index hands out again as the very same object (its result cache
 * returns one instance per question and reader generation), so a repeated read is not serialised
 * again. A different object, as after any write, is always rendered afresh. Thread-safe.
 */
final class RenderedBodies<R> {
  private final BudgetedMemo<Entry<R>> memo;
  private final Function<R, byte[]> render;

  /** The result is held weakly: an entry must not keep alive what the index's cache has let go. */
  private record Entry<R>(WeakReference<R> result, byte[] body) {}

  RenderedBodies(long maxBytes, Function<R, byte[]> render) {
    this.memo = new BudgetedMemo<>(maxBytes);
    this.render = render;
  }

  byte[] body(String key, R result) {
    Entry<R> e = memo.get(key);
    if (e != null && e.result().get() == result) {
      return e.body();
    }
    byte[] body = render.apply(result);
    memo.put(key, new Entry<>(new WeakReference<>(result), body), body.length);
    return body;
  }
}
