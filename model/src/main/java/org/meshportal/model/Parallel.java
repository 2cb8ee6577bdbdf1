package org.meshportal.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Maps a list in order on one virtual thread per processor (CPU-bound work such as parsing and
 * validating many documents). Workers take small chunks in turn, so items of uneven cost (a 200 KB
 * file beside 1 KB ones) still keep every processor busy; the result is in input order whatever
 * the timing. Lists too short to repay the threads are mapped on the calling thread.
 */
public final class Parallel {
  private static final int MIN_ITEMS = 64;
  private static final int CHUNKS_PER_WORKER = 8;

  private Parallel() {}

  /** The results of {@code f} over {@code items}, in input order; the first failure is rethrown. */
  public static <T, R> List<R> map(List<T> items, Function<T, R> f) {
    int workers = Math.min(Runtime.getRuntime().availableProcessors(), items.size() / MIN_ITEMS);
    if (workers <= 1) {
      List<R> out = new ArrayList<>(items.size());
      items.forEach(i -> out.add(f.apply(i)));
      return out;
    }
    int chunk = Math.max(1, items.size() / (workers * CHUNKS_PER_WORKER));
    Object[] results = new Object[items.size()];
    AtomicInteger nextChunk = new AtomicInteger();
    try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> futures = new ArrayList<>(workers);
      for (int w = 0; w < workers; w++) {
        futures.add(executor.submit(() -> {
          for (int from = nextChunk.getAndIncrement() * chunk; from < items.size();
              from = nextChunk.getAndIncrement() * chunk) {
            for (int i = from, end = Math.min(items.size(), from + chunk); i < end; i++) {
              results[i] = f.apply(items.get(i));
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
      throw new IllegalStateException("Interrupted while processing in parallel", e);
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
    return new ArrayList<>(out);
  }
}
