package org.meshportal.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ParallelTest {

  @Test
  void results_keep_input_order_for_uneven_work() {
    List<Integer> items = IntStream.range(0, 1000).boxed().toList();
    // every 97th item costs far more, so workers finish chunks out of order
    List<Long> out = Parallel.map(items, i -> {
      long sum = 0;
      for (int k = 0; k < (i % 97 == 0 ? 200_000 : 10); k++) {
        sum += k % 7;
      }
      return (long) i * 1_000_000 + (sum % 7);
    });
    assertEquals(1000, out.size());
    for (int i = 0; i < 1000; i++) {
      assertEquals(i, out.get(i) / 1_000_000);
    }
  }

  @Test
  void short_lists_run_on_the_calling_thread() {
    Thread caller = Thread.currentThread();
    List<Boolean> onCaller = Parallel.map(List.of(1, 2, 3), i -> Thread.currentThread() == caller);
    assertEquals(List.of(true, true, true), onCaller);
  }

  @Test
  void a_failure_of_one_item_is_rethrown() {
    List<Integer> items = IntStream.range(0, 500).boxed().toList();
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Parallel.map(items, i -> {
      if (i == 321) {
        throw new IllegalArgumentException("bad item 321");
      }
      return i;
    }));
    assertEquals("bad item 321", e.getMessage());
  }
}
