package org.meshportal.mesh;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Manual check and benchmark: {@code SmokeMain <seed> <scale> [bad] [n]} generates a repository and reads it,
 * or {@code SmokeMain dir=<path> 1} reads an existing one. Prints wall and CPU time of the full read and a re-derive.
 */
public final class SmokeMain {
  public static void main(String[] args) throws Exception {
    MeshFiles files;
    if (args[0].startsWith("dir=")) {
      files = GeneratedRepo.directory(Path.of(args[0].substring(4)));
    } else {
      Path out = Files.createTempDirectory("mesh-smoke");
      files = GeneratedRepo.generate(out, Integer.parseInt(args[0]), Double.parseDouble(args[1]), args.length > 2).files();
    }
    MeshReader reader = new MeshReader(MeshOptions.defaults());
    var threads = java.lang.management.ManagementFactory.getThreadMXBean();
    long c0 = threads.getCurrentThreadCpuTime();
    long t0 = System.nanoTime();
    MeshResult r = reader.read(files, null, List.of());
    long t1 = System.nanoTime();
    long c1 = threads.getCurrentThreadCpuTime();
    MeshResult r2 = reader.read(files, List.of(), List.of());
    for (int i = 0; i < Integer.getInteger("loops", 0); i++) {
      long a = System.nanoTime();
      reader.read(files, List.of(), List.of());
      System.out.printf("rederive %dms%n", (System.nanoTime() - a) / 1_000_000);
    }
    long t2 = System.nanoTime();
    long c2 = threads.getCurrentThreadCpuTime();
    System.out.printf("cpu: full=%dms rederive=%dms%n", (c1 - c0) / 1_000_000, (c2 - c1) / 1_000_000);
    System.out.printf("entities=%d relations=%d problems=%d full=%dms rederive=%dms%n", r.entities().size(),
        r.relations().size(), r.problems().size(), (t1 - t0) / 1_000_000, (t2 - t1) / 1_000_000);
    if (args.length > 3) {
      r.problems().forEach(System.out::println);
      r.entities().stream().limit(Integer.parseInt(args[3])).forEach(e -> System.out.println(e.toPrettyString()));
      System.out.println(r.skippedCounts());
      System.out.println(r.adoptions());
    }
  }
}
