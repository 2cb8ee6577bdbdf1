package org.meshportal.catalog.store;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What every {@link CatalogStore} does, run against each database the store supports. */
abstract class CatalogStoreContract {
  /** Opens the store under test; a second call opens the same database again. */
  abstract CatalogStore open();

  static EntityRecord entity(int i, String source) {
    String body = "{\"kind\":\"Component\",\"metadata\":{\"name\":\"c-" + i + "\"},\"spec\":{\"pad\":\"" + "x".repeat(900) + "\"}}";
    return new EntityRecord("component:default/c-" + i, "uid-" + i, source, "hash-" + i, "file:/c.yaml",
        List.of("location:default/root"), "ownedBy\tgroup:default/team\townerOf\n", false, body.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aBatchIsOneGenerationAndSurvivesReopening() {
    try (CatalogStore store = open()) {
      assertEquals(0, store.generation());
      long g = store.commit(new StoreBatch()
          .upsertLocation(new LocationRecord("id-1", "file", "/c.yaml"))
          .upsertEntity(entity(1, "location:id-1"))
          .upsertEntity(entity(2, "location:id-1"))
          .replaceErrors("location:id-1", List.of(
              new ErrorRecord("location:id-1", "file:/bad.yaml", 0, null, "location:default/root", "InputError", "bad"),
              new ErrorRecord("location:id-1", "file:/odd.yaml", null, "api:default/a", "api:default/a", "InputError",
                  "odd", "warning")))
          .putSourceState("location:id-1", "commit", "abc"));
      assertEquals(1, g);
      store.commit(new StoreBatch().deleteEntity("component:default/c-2").upsertEntity(entity(1, "location:id-1")));
    }
    try (CatalogStore store = open()) {
      assertEquals(2, store.generation());
      assertEquals(List.of(new LocationRecord("id-1", "file", "/c.yaml")), store.locations());
      List<EntityRecord> all = new ArrayList<>();
      store.forEachEntity(all::add);
      assertEquals(1, all.size());
      EntityRecord e = all.get(0);
      assertEquals(List.of("location:default/root"), e.parents());
      assertEquals("ownedBy\tgroup:default/team\townerOf\n", e.edges());
      assertArrayEquals(entity(1, "x").body(), store.bodies(List.of(e.ref())).get(e.ref()));
      assertEquals(2, store.errors().size());
      assertEquals(0, store.errors().get(0).documentIndex());
      assertEquals("error", store.errors().get(0).level());
      assertEquals("warning", store.errors().get(1).level()); // the level survives reopening
      assertEquals(Optional.of("abc"), store.sourceState("location:id-1", "commit"));

      store.commit(new StoreBatch().deleteLocation("id-1").deleteSource("location:id-1").deleteEntity(e.ref()));
      assertEquals(List.of(), store.locations());
      assertEquals(List.of(), store.errors());
      assertEquals(Optional.empty(), store.sourceState("location:id-1", "commit"));
      assertEquals(Map.of(), store.bodies(List.of(e.ref())));
    }
  }

  @Test
  void aFailedBatchChangesNothing() {
    try (CatalogStore store = open()) {
      store.commit(new StoreBatch().upsertEntity(entity(1, "a")));
      // an insert of a ref that is stored already violates the primary key: the whole batch rolls back
      assertThrows(StoreException.class, () -> store.commit(new StoreBatch().upsertEntity(entity(2, "a")).insertEntity(entity(1, "a"))));
      assertEquals(1, store.generation());
      List<EntityRecord> all = new ArrayList<>();
      store.forEachEntity(all::add);
      assertEquals(1, all.size());
    }
  }

  @Test
  void tenThousandEntitiesAreWrittenInOneFastBatch() {
    try (CatalogStore store = open()) {
      store.commit(new StoreBatch().upsertEntity(entity(-1, "warm-up")));
      StoreBatch batch = new StoreBatch();
      for (int i = 0; i < 10_000; i++) {
        batch.insertEntity(entity(i, "location:big"));
      }
      long start = System.nanoTime();
      store.commit(batch);
      long ms = (System.nanoTime() - start) / 1_000_000;
      System.out.println("BENCH store (" + getClass().getSimpleName() + "): 10000 entities committed in " + ms + " ms");
      int[] count = {0};
      store.forEachEntity(e -> count[0]++);
      assertEquals(10_001, count[0]);
    }
  }
}
