package org.meshportal.catalog.replicas;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import org.meshportal.catalog.processing.CatalogEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this replica's catalog current with what other replicas commit: a notification (or, when
 * notifications are lost, the poll) wakes one thread that asks the engine to catch up. Tracks the
 * newest generation it has heard of, so it can tell how far behind the replica is and since when.
 */
public final class ChangeFollower implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ChangeFollower.class);

  private final CatalogEngine engine;
  private final LongSupplier storeGeneration;
  private final Duration poll;
  private final Clock clock;
  private final Object signal = new Object();
  private final AtomicLong heard = new AtomicLong(-1);
  private volatile Instant behindSince;
  private volatile boolean woken;
  private volatile boolean closed;
  private Thread thread;

  /**
   * @param storeGeneration reads the store's newest generation (the poll)
   * @param poll how often to look without a notification
   */
  public ChangeFollower(CatalogEngine engine, LongSupplier storeGeneration, Duration poll, Clock clock) {
    this.engine = engine;
    this.storeGeneration = storeGeneration;
    this.poll = poll;
    this.clock = clock;
  }

  public synchronized void start() {
    if (thread == null) {
      thread = Thread.ofPlatform().name("catalog-follower").daemon().start(this::run);
    }
  }

  /** A replica committed {@code generation} (a notification's payload; unparseable ones just wake). */
  public void committed(String generation) {
    try {
      heard(Long.parseLong(generation.trim()));
    } catch (NumberFormatException e) {
      // a wake-up all the same
    }
    wake();
  }

  /** Look now (e.g. notifications may have been missed while the listening connection was down). */
  public void wake() {
    synchronized (signal) {
      woken = true;
      signal.notifyAll();
    }
  }

  private void heard(long generation) {
    heard.accumulateAndGet(generation, Math::max);
    if (generation > engine.appliedGeneration() && behindSince == null) {
      behindSince = clock.instant();
    }
  }

  /** Generations this replica has still to apply, as far as it knows. */
  public long lag() {
    return Math.max(0, heard.get() - engine.appliedGeneration());
  }

  /** Since when this replica has known of a generation it has not applied yet; null when current. */
  public Instant behindSince() {
    return lag() == 0 ? null : behindSince;
  }

  private void run() {
    while (!closed) {
      try {
        synchronized (signal) {
          if (!woken) {
            signal.wait(poll.toMillis());
          }
          woken = false;
        }
        if (closed) {
          return;
        }
        heard(storeGeneration.getAsLong());
        engine.catchUp();
        if (engine.appliedGeneration() >= heard.get()) {
          behindSince = null;
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        LOG.warn("Catching up with the store failed, trying again in {} ms: {}", poll.toMillis(), e.toString());
      }
    }
  }

  /**
   * Stops following and waits for a catch-up in progress to finish. No interrupt: one reaching
   * Lucene's file I/O would close its channels and fail the index write.
   */
  @Override
  public void close() {
    closed = true;
    wake();
    Thread t;
    synchronized (this) {
      t = thread;
    }
    if (t != null) {
      try {
        t.join(30_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
