package org.meshportal.indexer.lucene;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.meshportal.indexer.ListRequest;
import org.meshportal.indexer.OrderField;
import org.meshportal.indexer.QueryRequest;
import org.meshportal.indexer.SearchRequest;
import org.meshportal.model.FieldProjection;
import org.meshportal.model.query.EntityPredicate;

/**
 * On-demand benchmark (not part of the test run). Datasets: {@code catalog} (entities shaped like
 * {@code compat/gen_catalog.mjs} output after processing) or {@code mesh} (Platform Mesh-like:
 * kcp-annotated resources, and APIs of which some carry a 5-50 KB OpenAPI definition). Each read
 * is timed single-threaded (wall and thread CPU per call) and with 8 threads in flight (CPU per
 * call and p99 latency). Run with
 * {@code java -cp <test classpath> org.meshportal.indexer.lucene.IndexBenchmark [count] [catalog|mesh] [nocache]};
 * {@code nocache} turns the result cache off to time the work behind a cache miss.
 */
public final class IndexBenchmark {
  private static final String[] WORDS = {"alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel"};
  private static final String[] LANGS = {"java", "go", "python", "typescript", "rust"};
  private static final String[] LIFECYCLES = {"production", "experimental", "deprecated"};
  private static final String[] TYPES = {"service", "website", "library"};
  private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
  private static final int THREADS = 8;

  private IndexBenchmark() {}

  public static void main(String[] args) throws Exception {
    int count = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
    boolean mesh = args.length > 1 && args[1].equals("mesh");
    Path dir = Files.createTempDirectory("index-bench");
    List<ObjectNode> entities = mesh ? generateMesh(count) : generate(count);
    boolean noCache = args.length > 2 && args[2].equals("nocache");
    try (LuceneEntityIndex index = LuceneEntityIndex.open(dir, noCache ? 0 : LuceneEntityIndex.RESULT_CACHE_BYTES)) {
      long t0 = System.nanoTime();
      long c0 = CPU.getCurrentThreadCpuTime();
      index.replaceAll(entities, 1);
      System.out.printf("replaceAll %d entities: %d ms wall, %d ms cpu%n", index.size(),
          (System.nanoTime() - t0) / 1_000_000, (CPU.getCurrentThreadCpuTime() - c0) / 1_000_000);
      t0 = System.nanoTime();
      c0 = CPU.getCurrentThreadCpuTime();
      index.apply(entities, List.of(), 2);
      System.out.printf("apply (update all) %d entities: %d ms wall, %d ms cpu%n", index.size(),
          (System.nanoTime() - t0) / 1_000_000, (CPU.getCurrentThreadCpuTime() - c0) / 1_000_000);
      FieldProjection all = FieldProjection.of(List.of());
      FieldProjection six = FieldProjection.of(List.of("kind", "metadata.namespace", "metadata.name", "metadata.title",
          "spec.type", "spec.lifecycle"));
      EntityPredicate components = new EntityPredicate.ValueIn("kind", List.of("component"));
      EntityPredicate systems = new EntityPredicate.ValueIn("kind", List.of("system", "domain"));
      List<String> twenty = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        twenty.add(String.format("component:default/component-%05d", i * 37));
      }
      Map<String, Supplier<Object>> ops = new LinkedHashMap<>();
      ops.put("byRef", () -> index.byRef("component:default/component-00042"));
      ops.put("byUid", () -> index.byUid(java.util.UUID.nameUUIDFromBytes("Componentcomponent-00042".getBytes()).toString()));
      ops.put("byRefs of 20", () -> index.byRefs(twenty, null, all));
      ops.put("list kind=Component, 6 fields", () -> index.list(new ListRequest(components,
          List.of(new OrderField("metadata.name", false)), null, null, null, six)).items().size());
      ops.put("list kind=Component unprojected", () -> index.list(new ListRequest(components,
          List.of(new OrderField("metadata.name", false)), null, null, null, all)).items().size());
      ops.put("list kind=Component unordered unprojected", () -> index.list(new ListRequest(components,
          List.of(), null, null, null, all)).items().size());
      ops.put("list systems+domains unprojected", () -> index.list(new ListRequest(systems, List.of(), null, null, null, all)).items().size());
      ops.put("facets kind, spec.lifecycle, metadata.tags", () -> index.facets(new EntityPredicate.MatchAll(),
          List.of("kind", "spec.lifecycle", "metadata.tags")));
      ops.put("facets relations.ownedBy for components", () -> index.facets(components, List.of("relations.ownedBy")));
      ops.put("by-query page of 50 ordered by name", () -> index.query(new QueryRequest(components,
          List.of(new OrderField("metadata.name", false)), null, 50, 0, true, null, all)).items().size());
      String cursor = index.query(new QueryRequest(components, List.of(new OrderField("metadata.title", true)), null, 50, 0,
          true, null, all)).nextCursor();
      if (cursor != null) {
        ops.put("by-query next page, desc title", () -> index.query(new QueryRequest(null, List.of(), null, 50, 0, true, cursor, all)));
      }
      ops.put("by-query limit=0 owned count", () -> index.query(new QueryRequest(
          new EntityPredicate.ValueIn("relations.ownedBy", List.of("group:default/team-0003")),
          List.of(new OrderField("metadata.name", false)), null, 0, 0, true, null, all)).totalItems());
      ops.put("search 'component'", () -> index.search(new SearchRequest("component", List.of(), Map.of(), null, 25, null)));
      ops.put("search 'alpha servce' (typo)", () -> index.search(new SearchRequest("alpha servce", List.of(), Map.of(), null, 25, null)));
      ops.put("search 'api-0004' prefix", () -> index.search(new SearchRequest("api-0004", List.of(), Map.of(), null, 25, null)));
      ops.put("search 'c' one letter", () -> index.search(new SearchRequest("c", List.of(), Map.of(), null, 25, null)));
      ops.put("search '' kind=Domain", () -> index.search(new SearchRequest("", List.of(), Map.of("kind", List.of("Domain")), null, 25, null)));
      ops.put("search '' kind=Component", () -> index.search(new SearchRequest("", List.of(), Map.of("kind", List.of("Component")), null, 25, null)));
      System.out.printf("%-45s %10s %10s | %10s %10s%n", "operation (1 thread | 8 threads)", "wall ms", "cpu ms", "cpu ms", "p99 ms");
      ExecutorService pool = Executors.newFixedThreadPool(THREADS);
      try {
        for (Map.Entry<String, Supplier<Object>> op : ops.entrySet()) {
          double[] single = timeSingle(op.getValue());
          double[] multi = timeConcurrent(pool, op.getValue());
          System.out.printf("%-45s %10.3f %10.3f | %10.3f %10.3f%n", op.getKey(), single[0], single[1], multi[0], multi[1]);
        }
      } finally {
        pool.shutdownNow();
      }
      Runtime rt = Runtime.getRuntime();
      System.gc();
      System.out.printf("heap used after GC: %d MB%n", (rt.totalMemory() - rt.freeMemory()) / 1_000_000);
    }
  }

  /** Mean wall and thread-CPU milliseconds per call, after a warm-up. */
  private static double[] timeSingle(Supplier<Object> op) {
    for (int i = 0; i < 30; i++) {
      op.get();
    }
    int runs = 100;
    long t0 = System.nanoTime();
    long c0 = CPU.getCurrentThreadCpuTime();
    for (int i = 0; i < runs; i++) {
      op.get();
    }
    return new double[] {(System.nanoTime() - t0) / 1e6 / runs, (CPU.getCurrentThreadCpuTime() - c0) / 1e6 / runs};
  }

  /** Mean thread-CPU milliseconds per call and p99 latency with {@link #THREADS} callers at once. */
  private static double[] timeConcurrent(ExecutorService pool, Supplier<Object> op) throws Exception {
    int perThread = 40;
    List<Future<long[]>> futures = new ArrayList<>();
    for (int t = 0; t < THREADS; t++) {
      futures.add(pool.submit(() -> {
        long[] out = new long[perThread + 1];
        long c0 = CPU.getCurrentThreadCpuTime();
        for (int i = 0; i < perThread; i++) {
          long t0 = System.nanoTime();
          op.get();
          out[i] = System.nanoTime() - t0;
        }
        out[perThread] = CPU.getCurrentThreadCpuTime() - c0;
        return out;
      }));
    }
    long cpu = 0;
    long[] latencies = new long[THREADS * perThread];
    int n = 0;
    for (Future<long[]> f : futures) {
      long[] r = f.get();
      System.arraycopy(r, 0, latencies, n, perThread);
      n += perThread;
      cpu += r[perThread];
    }
    Arrays.sort(latencies);
    return new double[] {cpu / 1e6 / latencies.length, latencies[(int) (latencies.length * 0.99)] / 1e6};
  }

  /**
   * Platform Mesh-like entities: a few systems and groups, kcp-annotated resources, and APIs of
   * which every fourth carries a 5-50 KB OpenAPI definition. Names reuse the catalog pattern so the
   * same reads apply.
   */
  static List<ObjectNode> generateMesh(int count) {
    List<ObjectNode> out = generate(count);
    Random random = new Random(42);
    int apiIndex = 0;
    for (ObjectNode e : out) {
      String kind = e.path("kind").asText();
      ObjectNode annotations = (ObjectNode) meta(e).get("annotations");
      String org = WORDS[Math.floorMod(e.path("metadata").path("name").asText().hashCode(), 8)];
      annotations.put("kcp.io/path", "root:orgs:" + org + ":team-" + (apiIndex % 40));
      annotations.put("core.platform-mesh.io/org", org);
      if (kind.equals("API") && apiIndex++ % 4 == 0) {
        ((ObjectNode) e.get("spec")).put("definition", openApi(e.path("metadata").path("name").asText(),
            5_000 + random.nextInt(45_000), random));
      }
    }
    return out;
  }

  private static String openApi(String name, int size, Random random) {
    StringBuilder b = new StringBuilder("openapi: 3.0.0\ninfo:\n  title: ").append(name)
        .append(" API\n  version: 1.0.0\n  description: Generated for the benchmark\npaths:\n");
    int i = 0;
    while (b.length() < size) {
      String word = WORDS[random.nextInt(8)];
      b.append("  /").append(word).append('/').append(i).append(":\n    get:\n      summary: Get the ").append(word)
          .append(" item ").append(i).append("\n      operationId: get").append(word).append(i)
          .append("\n      responses:\n        '200':\n          description: The ").append(word).append(" item\n");
      i++;
    }
    return b.toString();
  }

  static List<ObjectNode> generate(int count) {
    int groups = Math.max(3, count / 50);
    int users = Math.max(5, count / 10);
    int apis = Math.max(3, count / 5);
    int systems = Math.max(3, count / 50);
    int domains = Math.max(2, count / 200);
    int componentsCount = count - groups - users - apis - systems - domains;
    List<ObjectNode> out = new ArrayList<>();
    for (int i = 0; i < domains; i++) {
      ObjectNode e = base("Domain", String.format("domain-%03d", i), i);
      meta(e).put("title", "Domain " + WORDS[i % 8] + " " + i).put("description", "Business domain " + WORDS[i % 8]);
      e.putObject("spec").put("owner", String.format("group:team-%04d", i % groups));
      out.add(e);
    }
    for (int i = 0; i < systems; i++) {
      ObjectNode e = base("System", String.format("system-%04d", i), i);
      meta(e).put("description", "System " + WORDS[i % 8] + " number " + i).putArray("tags").add(WORDS[i % 8]);
      e.putObject("spec").put("owner", String.format("group:team-%04d", i % groups)).put("domain", String.format("domain-%03d", i % domains));
      out.add(e);
    }
    for (int i = 0; i < groups; i++) {
      ObjectNode e = base("Group", String.format("team-%04d", i), i);
      meta(e).put("description", "The " + WORDS[i % 8] + " team");
      ObjectNode spec = e.putObject("spec").put("type", "team");
      spec.putObject("profile").put("displayName", "Team " + WORDS[i % 8] + " " + i);
      spec.putArray("children");
      out.add(e);
    }
    for (int i = 0; i < users; i++) {
      String name = String.format("user-%05d", i);
      ObjectNode e = base("User", name, i);
      ObjectNode spec = e.putObject("spec");
      spec.putObject("profile").put("displayName", "User " + WORDS[i % 8] + " " + i).put("email", name + "@example.com");
      spec.putArray("memberOf").add(String.format("team-%04d", i % groups));
      relation(e, "memberOf", String.format("group:default/team-%04d", i % groups));
      out.add(e);
    }
    for (int i = 0; i < apis; i++) {
      String name = String.format("api-%05d", i);
      ObjectNode e = base("API", name, i);
      meta(e).put("description", "OpenAPI for " + WORDS[i % 8] + " " + i).putArray("tags").add("rest").add(WORDS[i % 8]);
      meta(e).putObject("labels").put("tier", "gold");
      e.putObject("spec").put("type", "openapi").put("lifecycle", LIFECYCLES[i % 3])
          .put("owner", String.format("group:team-%04d", i % groups)).put("system", String.format("system-%04d", i % systems))
          .put("definition", "openapi: 3.0.0\ninfo:\n  title: " + name + " API\n  version: 1.0.0\n  description: Generated API number " + i
              + "\nservers:\n  - url: http://localhost/" + name + "\npaths:\n  /" + name + "/items:\n    get:\n      summary: List "
              + name + " items\n      responses:\n        '200':\n          description: OK\n");
      relation(e, "ownedBy", String.format("group:default/team-%04d", i % groups));
      relation(e, "partOf", String.format("system:default/system-%04d", i % systems));
      out.add(e);
    }
    for (int i = 0; i < componentsCount; i++) {
      String name = String.format("component-%05d", i);
      ObjectNode e = base("Component", name, i);
      String lang = LANGS[(i * 7) % 5];
      ObjectNode m = meta(e);
      m.put("title", "Component " + WORDS[i % 8] + " " + i).put("description", "A " + lang + " " + TYPES[i % 3] + " in the " + WORDS[i % 8] + " area");
      m.putArray("tags").add(lang).add(WORDS[i % 8]);
      m.putObject("labels").put("tier", "silver");
      ((ObjectNode) m.get("annotations")).put("example.com/generated", "true");
      m.putArray("links").addObject().put("url", "http://localhost/docs/" + name).put("title", "Docs");
      ObjectNode spec = e.putObject("spec").put("type", TYPES[i % 3]).put("lifecycle", LIFECYCLES[i % 3])
          .put("owner", String.format("group:team-%04d", i % groups)).put("system", String.format("system-%04d", i % systems));
      spec.putArray("providesApis").add(String.format("api-%05d", i % apis));
      spec.putArray("consumesApis").add(String.format("api-%05d", (i + 7) % apis));
      relation(e, "ownedBy", String.format("group:default/team-%04d", i % groups));
      relation(e, "partOf", String.format("system:default/system-%04d", i % systems));
      relation(e, "providesApi", String.format("api:default/api-%05d", i % apis));
      relation(e, "consumesApi", String.format("api:default/api-%05d", (i + 7) % apis));
      out.add(e);
    }
    return out;
  }

  private static ObjectNode base(String kind, String name, int i) {
    ObjectNode e = TestEntities.entity(kind, name);
    ObjectNode m = meta(e);
    m.put("uid", java.util.UUID.nameUUIDFromBytes((kind + name).getBytes()).toString());
    m.put("etag", Integer.toHexString((kind + name).hashCode()));
    m.putObject("annotations")
        .put("backstage.io/managed-by-location", "url:http://localhost/catalog/" + kind.toLowerCase() + "-" + (i / 250) + ".yaml")
        .put("backstage.io/managed-by-origin-location", "url:http://localhost/catalog/catalog-info.yaml");
    e.putArray("relations");
    return e;
  }

  private static ObjectNode meta(ObjectNode e) {
    return (ObjectNode) e.get("metadata");
  }

  private static void relation(ObjectNode e, String type, String target) {
    ((com.fasterxml.jackson.databind.node.ArrayNode) e.get("relations")).addObject().put("type", type).put("targetRef", target);
  }
}
