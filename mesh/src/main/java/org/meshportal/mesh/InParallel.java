package org.meshportal.mesh;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

/**
 * Computes {@code f(0) … f(n-1)} on one virtual thread per processor, workers taking small chunks
 * in turn (files differ much in size); results in index order whatever the timing.
 */
final class InParallel {
  private static final int CHUNKS_PER_WORKER = 8;

  private InParallel() {}

  static <R> List<R> map(int n, IntFunction<R> f) {
    int workers = Math.max(1, Math.min(Runtime.getRuntime().availableProcessors(), n));
    int chunk = Math.max(1, n / (workers * CHUNKS_PER_WORKER));
    Object[] results = new Object[n];
    AtomicInteger nextChunk = new AtomicInteger();
    try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> futures = new ArrayList<>(workers);
      for (int w = 0; w < workers; w++) {
        futures.add(executor.submit(() -> {
          for (int from = nextChunk.getAndIncrement() * chunk; from < n; from = nextChunk.getAndIncrement() * chunk) {
            for (int i = from, end = Math.min(n, from + chunk); i < end; i++) {
              results[i] = f.apply(i);
            }
          }
          return null;
        }));
      }
      for (Future<?> future : futures) {
        future.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while parsing mesh files", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      if (e.getCause() instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(e.getCause());
    }
    @SuppressWarnings("unchecked")
    List<R> out = (List<R>) Arrays.asList(results);
    return out;
  }
}
