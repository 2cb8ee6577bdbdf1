package org.meshportal.catalog.processing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opt-in: ingests a data set of {@code gen_catalog.mjs} from a file location, end to end (read,
 * validate, stitch, H2, Lucene). Run with
 * {@code -Dtest=IngestBenchmarkTest -Dcatalog.bench.dir=<dir with catalog-info.yaml>}.
 */
@EnabledIfSystemProperty(named = "catalog.bench.dir", matches = ".+")
class IngestBenchmarkTest {
  @TempDir Path tmp;

  @Test
  void ingestsTheGeneratedDataSet() throws Exception {
    Path root = Path.of(System.getProperty("catalog.bench.dir")).resolve("catalog-info.yaml").toAbsolutePath();
    assertTrue(Files.isRegularFile(root), "no catalog-info.yaml in catalog.bench.dir");
    int expected = Catalog.JSON.readTree(root.resolveSibling("manifest.json").toFile()).path("count").asInt();
    try (Catalog c = Catalog.open(tmp.resolve("data"))) {
      // warm-up on a copy would double the run time; the first registration is the honest figure
      java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
      var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
      long processCpuStart = os.getProcessCpuTime();
      long cpuStart = threads.getCurrentThreadCpuTime();
      long start = System.nanoTime();
      c.locations.add("file", root.toString(), false, false);
      long ingestMs = (System.nanoTime() - start) / 1_000_000;
      long ingestCpuMs = (threads.getCurrentThreadCpuTime() - cpuStart) / 1_000_000;
      long processCpuMs = (os.getProcessCpuTime() - processCpuStart) / 1_000_000;
      assertEquals(expected + 1, c.index.size(), () -> c.entities.processingErrors().toString());
      assertEquals(0, c.entities.processingErrors().size(), () -> c.entities.processingErrors().toString());

      start = System.nanoTime();
      c.entities.refresh(c.locations.list().get(0).entityRef());
      long refreshMs = (System.nanoTime() - start) / 1_000_000;

      System.gc();
      long heapMb = (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) / (1024 * 1024);
      System.out.printf("BENCH ingest of %d entities: %d ms wall, %d ms cpu of the calling thread, %d ms cpu of the process;"
          + " unchanged refresh: %d ms; heap after GC: %d MB%n", c.index.size(), ingestMs, ingestCpuMs, processCpuMs,
          refreshMs, heapMb);
    }
    var os = (com.sun.management.OperatingSystemMXBean) java.lang.management.ManagementFactory.getOperatingSystemMXBean();
    try (Catalog c = Catalog.open(tmp.resolve("warm"))) {
      long cpu = os.getProcessCpuTime();
      long start = System.nanoTime();
      c.locations.add("file", root.toString(), false, false);
      System.out.printf("BENCH second ingest in the same JVM (warm JIT): %d ms wall, %d ms cpu of the process%n",
          (System.nanoTime() - start) / 1_000_000, (os.getProcessCpuTime() - cpu) / 1_000_000);
    }
    try (Catalog c = Catalog.open(tmp.resolve("data"))) {
      long start = System.nanoTime();
      c.engine.start();
      System.out.printf("BENCH restart (state load, index reused): %d ms%n", (System.nanoTime() - start) / 1_000_000);
    }
  }
}
