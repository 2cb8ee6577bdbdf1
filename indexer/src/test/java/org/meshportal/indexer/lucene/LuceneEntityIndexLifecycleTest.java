package org.meshportal.indexer.lucene;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.meshportal.indexer.lucene.TestEntities.component;
import static org.meshportal.indexer.lucene.TestEntities.parse;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.store.FSDirectory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshportal.indexer.ListRequest;
import org.meshportal.model.FieldProjection;
import org.meshportal.model.query.EntityPredicate;

class LuceneEntityIndexLifecycleTest {
  @TempDir Path dir;

  @Test
  void aNewIndexIsEmptyWithGenerationMinusOne() {
    try (LuceneEntityIndex index = LuceneEntityIndex.open(dir)) {
      assertEquals(0, index.size());
      assertEquals(-1, index.storeGeneration());
    }
  }

  @Test
  void contentAndStoreGenerationSurviveReopen() {
    try (LuceneEntityIndex index = LuceneEntityIndex.open(dir)) {
      index.apply(List.of(component("a", "service", "t"), component("b", "service", "t")), List.of(), 7);
      index.apply(List.of(component("c", "library", "t")), List.of("component:default/a"), 8);
      assertEquals(8, index.storeGeneration());
    }
    try (LuceneEntityIndex index = LuceneEntityIndex.open(dir)) {
      assertEquals(8, index.storeGeneration());
      assertEquals(2, index.size());
      assertTrue(index.byRef("component:default/a").isEmpty());
      assertEquals("library", parse(index.byRef("component:default/c")).path("spec").path("type").asText());
    }
  }

  @Test
  void repeatedReadsSeeEveryWriteAndOwnTheirLists() {
    try (LuceneEntityIndex index = LuceneEntityIndex.open(dir)) {
      index.apply(List.of(component("a", "service", "t"), component("b", "service", "t")), List.of(), 1);
      EntityPredicate all = new EntityPredicate.MatchAll();
      ListRequest names = new ListRequest(all, List.of(), null, null, null, FieldProjection.of(List.of("metadata.name")));
      List<byte[]> first = index.list(names).items();
      assertEquals(List.of("a", "b"), TestEntities.names(first));
      first.clear();
      assertEquals(List.of("a", "b"), TestEntities.names(index.list(names).items()));
      assertEquals(2, index.facets(all, List.of("kind")).get("kind").get(0).count());
      assertEquals(List.of("b"), TestEntities.names(index.byRefs(List.of("component:default/b"), null,
          FieldProjection.of(List.of()))));

      index.apply(List.of(component("c", "service", "t")), List.of("component:default/b"), 2);
      assertEquals(List.of("a", "c"), TestEntities.names(index.list(names).items()));
      assertEquals(2, index.facets(all, List.of("kind")).get("kind").get(0).count());
      List<byte[]> gone = index.byRefs(List.of("component:default/b"), null, FieldProjection.of(List.of()));
      assertEquals(1, gone.size());
      assertEquals(null, gone.get(0));
    }
  }

  @Test
  void upsertReplacesAndReplaceAllDropsEverythingElse() {
    try (LuceneEntityIndex index = LuceneEntityIndex.open(dir)) {
      index.apply(List.of(component("a", "service", "t"), component("b", "service", "t")), List.of(), 1);
      index.apply(List.of(component("A", "website", "t")), List.of(), 2);
      assertEquals(2, index.size());
      assertEquals("website", parse(index.byRef("component:default/a")).path("spec").path("type").asText());
      index.replaceAll(List.of(component("z", "service", "t")), 3);
      assertEquals(1, index.size());
      assertTrue(index.byRef("component:default/b").isEmpty());
      assertEquals(List.of(), index.facets(new EntityPredicate.ValueIn("metadata.name", List.of("b")), List.of("kind")).get("kind"));
    }
  }

  @Test
  void anIndexOfAnotherSchemaVersionOpensEmpty() throws Exception {
    try (LuceneEntityIndex index = LuceneEntityIndex.open(dir)) {
      index.apply(List.of(component("a", "service", "t")), List.of(), 5);
    }
    try (FSDirectory d = FSDirectory.open(dir);
        IndexWriter w = new IndexWriter(d, new IndexWriterConfig(new StandardAnalyzer()))) {
      w.setLiveCommitData(Map.of(LuceneEntityIndex.SCHEMA_KEY, "0", LuceneEntityIndex.GENERATION_KEY, "5").entrySet());
      w.commit();
    }
    try (LuceneEntityIndex index = LuceneEntityIndex.open(dir)) {
      assertEquals(0, index.size());
      assertEquals(-1, index.storeGeneration());
    }
  }

  @Test
  void aFailedBatchLeavesNothingBehind() {
    try (LuceneEntityIndex index = LuceneEntityIndex.open(dir)) {
      index.apply(List.of(component("a", "service", "t")), List.of(), 1);
      // a ref longer than Lucene's term limit makes the second document fail mid-batch
      assertThrows(RuntimeException.class, () -> index.apply(
          List.of(component("b", "service", "t"), component("x".repeat(40_000), "service", "t")),
          List.of("component:default/a"), 2));
      assertEquals(1, index.storeGeneration());
      assertTrue(index.byRef("component:default/a").isPresent());
      index.apply(List.of(component("c", "service", "t")), List.of(), 3);
      assertTrue(index.byRef("component:default/b").isEmpty(), "the failed batch never gets committed later");
      assertTrue(index.byRef("component:default/a").isPresent());
      assertEquals(2, index.size());
    }
    try (LuceneEntityIndex index = LuceneEntityIndex.open(dir)) {
      assertEquals(3, index.storeGeneration());
      assertEquals(2, index.size());
    }
  }

  @Test
  void closeIsIdempotentAndReadsAfterCloseFail() {
    LuceneEntityIndex index = LuceneEntityIndex.open(dir);
    index.close();
    index.close();
    assertThrows(IllegalStateException.class, index::size);
    assertThrows(IllegalStateException.class, () -> index.apply(List.of(), List.of(), 1));
  }

  @Test
  void readersNeverSeeHalfABatch() throws Exception {
    int batch = 40;
    int batches = 15;
    try (LuceneEntityIndex index = LuceneEntityIndex.open(dir)) {
      AtomicBoolean done = new AtomicBoolean();
      AtomicReference<String> violation = new AtomicReference<>();
      CountDownLatch readerStarted = new CountDownLatch(1);
      Thread reader = new Thread(() -> {
        readerStarted.countDown();
        while (!done.get()) {
          int size = index.list(new ListRequest(new EntityPredicate.MatchAll(), List.of(), null, null, null,
              FieldProjection.of(List.of("metadata.name")))).items().size();
          if (size % batch != 0) {
            violation.set("saw " + size + " entities");
          }
        }
      });
      reader.start();
      readerStarted.await();
      for (int b = 0; b < batches; b++) {
        List<ObjectNode> entities = new ArrayList<>();
        for (int i = 0; i < batch; i++) {
          entities.add(component("e-" + b + "-" + i, "service", "t"));
        }
        index.apply(entities, List.of(), b);
        assertEquals((b + 1) * batch, index.size(), "visible when apply returns");
      }
      done.set(true);
      reader.join(10_000);
      assertEquals(null, violation.get());
    }
  }
}
