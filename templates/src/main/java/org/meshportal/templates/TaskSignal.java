package org.meshportal.templates;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/** Cancel and shutdown requests for one running task; actions wait on it instead of sleeping. */
final class TaskSignal {
  private final AtomicBoolean cancelled = new AtomicBoolean();
  private final AtomicBoolean shutdown = new AtomicBoolean();
  private final CountDownLatch raised = new CountDownLatch(1);

  void cancel() {
    cancelled.set(true);
    raised.countDown();
  }

  void shutdown() {
    shutdown.set(true);
    raised.countDown();
  }

  boolean isCancelled() {
    return cancelled.get();
  }

  boolean isShutdown() {
    return shutdown.get();
  }

  /** @return true if cancel or shutdown was raised within {@code max} */
  boolean await(Duration max) throws InterruptedException {
    return raised.await(max.toNanos(), TimeUnit.NANOSECONDS);
  }
}
