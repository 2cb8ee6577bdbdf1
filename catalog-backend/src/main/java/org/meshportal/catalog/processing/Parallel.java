package org.meshportal.catalog.processing;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Function;

/** Maps a list in order, in one chunk per processor (CPU-bound work on virtual threads). */
final class Parallel {
  private static final int MIN_CHUNK = 256;

  private Parallel() {}

  static <T, R> List<R> map(List<T> items, Function<T, R> f) {
    int chunks = Math.min(Runtime.getRuntime().availableProcessors(), Math.max(1, items.size() / MIN_CHUNK));
    if (chunks <= 1) {
      List<R> out = new ArrayList<>(items.size());
      items.forEach(i -> out.add(f.apply(i)));
      return out;
    }
    int size = (items.size() + chunks - 1) / chunks;
    try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<List<R>>> futures = new ArrayList<>(chunks);
      for (int from = 0; from < items.size(); from += size) {
        List<T> part = items.subList(from, Math.min(items.size(), from + size));
        futures.add(executor.submit(() -> {
          List<R> out = new ArrayList<>(part.size());
          part.forEach(i -> out.add(f.apply(i)));
          return out;
        }));
      }
      List<R> out = new ArrayList<>(items.size());
      for (Future<List<R>> future : futures) {
        out.addAll(future.get());
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while processing entities", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    }
  }
}
