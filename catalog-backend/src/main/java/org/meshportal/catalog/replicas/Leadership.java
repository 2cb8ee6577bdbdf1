package org.meshportal.catalog.replicas;

import java.time.Duration;
import java.util.OptionalLong;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;
import org.meshportal.catalog.store.CatalogLease;
import org.meshportal.catalog.store.WriteFence;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Holds, renews and loses the catalog lease. Renewals run every third of the lease; a replica
 * that cannot renew (the database is unreachable) stops leading locally before its lease can
 * have expired in the database, and its writes are fenced by the store in any case. Transitions
 * run on their own thread, so a slow one never delays a renewal.
 */
public final class Leadership implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Leadership.class);

  /** What a replica does when it becomes the leader and when it stops being one. */
  public interface Role {
    void lead();

    void follow();
  }

  private final CatalogLease lease;
  private final Role role;
  private final ExecutorService transitions =
      Executors.newSingleThreadExecutor(Thread.ofPlatform().name("catalog-leadership-change").daemon().factory());
  private final Object monitor = new Object();
  private volatile long epoch = -1;
  private volatile long heldUntilNanos;
  private volatile boolean closed;
  private Thread thread;

  public Leadership(CatalogLease lease, Role role) {
    this.lease = lease;
    this.role = role;
  }

  public synchronized void start() {
    if (thread == null) {
      thread = Thread.ofPlatform().name("catalog-lease").daemon().start(this::run);
    }
  }

  /** Whether this replica leads now (as far as it can tell without asking the database). */
  public boolean leading() {
    return epoch >= 0 && System.nanoTime() < heldUntilNanos;
  }

  /** The fence for leader-only writes: the current term, or null when this replica does not lead. */
  public Supplier<WriteFence> fence() {
    return () -> leading() ? new WriteFence(lease.holder(), epoch) : null;
  }

  private void run() {
    Duration every = lease.duration().dividedBy(3);
    while (!closed) {
      long started = System.nanoTime();
      try {
        OptionalLong term = lease.acquireOrRenew();
        if (term.isPresent()) {
          // Counted from before the request: the database's lease ends no earlier than this.
          heldUntilNanos = started + lease.duration().toNanos() - every.toNanos() / 2;
          if (epoch != term.getAsLong()) {
            boolean was = epoch >= 0;
            epoch = term.getAsLong();
            LOG.info("This replica ({}) leads the catalog, term {}{}", lease.holder(), epoch,
                was ? " (a new term: the lease had expired)" : "");
            transitions.execute(role::lead);
          }
        } else {
          lose("another replica holds the catalog lease");
        }
      } catch (RuntimeException e) {
        LOG.warn("Renewing the catalog lease failed: {}", e.toString());
        if (!leading()) {
          lose("the lease could not be renewed in time");
        }
      }
      synchronized (monitor) {
        try {
          if (!closed) {
            monitor.wait(Math.max(1, every.toMillis()));
          }
        } catch (InterruptedException e) {
          return;
        }
      }
    }
  }

  private void lose(String why) {
    if (epoch >= 0) {
      LOG.warn("This replica ({}) no longer leads the catalog: {}", lease.holder(), why);
      epoch = -1;
      transitions.execute(role::follow);
    }
  }

  /** Stops renewing and gives the lease up, so another replica takes over without waiting for it to expire. */
  @Override
  public void close() {
    closed = true;
    synchronized (monitor) {
      monitor.notifyAll();
    }
    long held = epoch;
    if (held >= 0) {
      epoch = -1;
      transitions.execute(role::follow);
    }
    transitions.shutdown();
    try {
      transitions.awaitTermination(35, java.util.concurrent.TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (held >= 0) {
      try {
        lease.release(held);
      } catch (RuntimeException e) {
        LOG.warn("Releasing the catalog lease failed (it expires by itself): {}", e.toString());
      }
    }
  }
}
