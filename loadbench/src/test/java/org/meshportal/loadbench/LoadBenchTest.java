package org.meshportal.loadbench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Runs the harness against a small catalog served by the JDK's HTTP server over loopback. */
class LoadBenchTest {

  private static final Map<String, Integer> KINDS = Map.of(
      "Component", 70, "API", 20, "System", 10, "Group", 5, "User", 30, "Domain", 3, "Template", 2);

  private final ObjectMapper json = new ObjectMapper();
  private final Queue<String> requests = new ConcurrentLinkedQueue<>();
  private HttpServer server;
  private int missingSystems;

  @AfterEach
  void stop() {
    if (server != null) server.stop(0);
  }

  @Test
  void walks_the_same_refs_as_bench_mjs() {
    // expected values printed by bench.mjs's refAt with the same kind counts
    Scenarios scenarios = new Scenarios(KINDS);
    assertEquals("api:default/api-00001", scenarios.refAt(1));
    assertEquals("api:default/api-00003", scenarios.refAt(7));
    assertEquals("group:default/team-0001", scenarios.refAt(12345));
    assertEquals("api:default/api-00003", scenarios.refAt(1_000_003));
    assertEquals("system:default/system-0006", scenarios.refAt(8000));
  }

  @Test
  void every_scenario_passes_against_a_correct_catalog_and_sends_the_client_requests() throws Exception {
    LoadBench bench = new LoadBench(start(), null, 4, 2);
    for (Scenarios.Scenario scenario : new Scenarios(KINDS).all(40)) {
      LoadBench.Row row = bench.run(scenario);
      assertEquals(0, row.errors(), scenario.name() + ": " + row.firstError());
      assertEquals(scenario.total(), row.requests());
      assertTrue(row.p50() > 0 && row.p50() <= row.p99() && row.p99() <= row.max(), row.toString());
    }
    assertTrue(requests.contains("GET /api/catalog/entities/by-name/api/default/api-00001"), requests.toString());
    assertTrue(requests.contains("GET /api/catalog/entities?limit=100&filter=kind%3DComponent"));
    assertTrue(requests.contains(
        "GET /api/catalog/entities/by-query?limit=50&orderField=metadata.name%2Casc&filter=kind%3DComponent"));
    assertTrue(requests.contains("GET /api/catalog/entities/by-query?limit=50&cursor=next-50"));
    assertTrue(requests.contains("GET /api/search/query?term=alpha+service&types%5B0%5D=software-catalog&filters%5Bkind%5D=Component"));
    assertTrue(requests.contains("GET /.backstage/health/v1/liveness"));
  }

  @Test
  void measures_cpu_per_request_of_client_and_server_process() throws Exception {
    // the stub server runs in this JVM, so its pid is this process's: both sides see CPU time
    URI base = start();
    LoadBench bench = new LoadBench(base, null, 2, 0, ProcessHandle.current().pid());
    LoadBench.Row row = bench.run(new Scenarios(KINDS).all(200).get(1));
    assertTrue(row.clientCpuUs() > 0, row.toString());
    // the same process seen two ways; schedstat misses the worker threads that have just ended
    assertTrue(row.serverCpuUs() > row.clientCpuUs() / 2 && row.serverCpuUs() <= row.clientCpuUs() * 1.1, row.toString());
    LoadBench.Row without = new LoadBench(base, null, 2, 0).run(new Scenarios(KINDS).all(20).get(1));
    assertEquals(-1, without.serverCpuUs());
    assertTrue(LoadBench.table(List.of(row, without)).contains("server us/req"));
  }

  @Test
  void a_wrong_answer_counts_as_an_error() throws Exception {
    missingSystems = 1;
    LoadBench bench = new LoadBench(start(), null, 2, 0);
    LoadBench.Row row = bench.run(new Scenarios(KINDS).all(8).get(1)); // entities.kind.small.full
    assertEquals("entities.kind.small.full", row.name());
    assertEquals(2, row.errors(), "System is asked for twice in 8 requests over 4 kinds");
    assertEquals("got 9", row.firstError());
  }

  @Test
  void summarizes_with_bench_mjs_percentiles() {
    double[] latencies = new double[100];
    for (int i = 0; i < 100; i++) latencies[i] = 100 - i; // 1..100 ms, unsorted
    LoadBench.Row row = LoadBench.summarize("x", latencies, 8, 0, null, 2.0);
    assertEquals(51, row.p50());
    assertEquals(91, row.p90());
    assertEquals(100, row.p99());
    assertEquals(50.5, row.mean());
    assertEquals(50, row.rps());
  }

  private URI start() throws IOException {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.createContext("/", this::handle);
    server.start();
    return URI.create("http://localhost:" + server.getAddress().getPort());
  }

  private void handle(HttpExchange exchange) throws IOException {
    String target = exchange.getRequestURI().getRawPath()
        + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
    requests.add(exchange.getRequestMethod() + " " + target);
    byte[] requestBody = exchange.getRequestBody().readAllBytes();
    Map<String, List<String>> query = query(exchange.getRequestURI().getRawQuery());
    String path = exchange.getRequestURI().getRawPath();
    Object body;
    if (path.startsWith("/api/catalog/entities/by-name/")) {
      body = entity(path.substring("/api/catalog/entities/by-name/".length()));
    } else if (path.equals("/api/catalog/entities/by-refs")) {
      List<Object> items = new ArrayList<>();
      json.readTree(requestBody).path("entityRefs").forEach(ref -> items.add(entity(ref.asText())));
      body = Map.of("items", items);
    } else if (path.equals("/api/catalog/entities/by-query")) {
      body = Map.of("items", List.of(entity("component/default/component-00001")),
          "pageInfo", Map.of("nextCursor", "next-50"), "totalItems", 70);
    } else if (path.equals("/api/catalog/entities")) {
      String kind = query.get("filter").get(0).substring("kind=".length());
      int count = KINDS.get(kind) - (kind.equals("System") ? missingSystems : 0);
      if (query.containsKey("limit")) count = Math.min(count, Integer.parseInt(query.get("limit").get(0)));
      List<Object> items = new ArrayList<>();
      for (int i = 0; i < count; i++) items.add(entity(kind.toLowerCase() + "/default/e-" + i));
      body = items;
    } else if (path.equals("/api/catalog/entity-facets")) {
      body = Map.of("facets", Map.of());
    } else if (path.equals("/api/search/query")) {
      body = Map.of("results", List.of(), "numberOfResults", 0);
    } else if (path.equals("/.backstage/health/v1/liveness")) {
      body = Map.of("status", "ok");
    } else {
      exchange.sendResponseHeaders(404, -1);
      exchange.close();
      return;
    }
    byte[] bytes = json.writeValueAsBytes(body);
    exchange.getResponseHeaders().set("content-type", "application/json");
    String acceptEncoding = exchange.getRequestHeaders().getFirst("accept-encoding");
    if (bytes.length > 1024 && acceptEncoding != null && acceptEncoding.contains("gzip")) {
      ByteArrayOutputStream zipped = new ByteArrayOutputStream();
      try (GZIPOutputStream gzip = new GZIPOutputStream(zipped)) {
        gzip.write(bytes);
      }
      exchange.getResponseHeaders().set("content-encoding", "gzip");
      exchange.sendResponseHeaders(200, 0); // chunked
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(zipped.toByteArray());
      }
    } else {
      exchange.sendResponseHeaders(200, bytes.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  private static Map<String, Object> entity(String ref) {
    return Map.of("apiVersion", "backstage.io/v1alpha1", "kind", "Component",
        "metadata", Map.of("name", ref.substring(ref.lastIndexOf('/') + 1), "namespace", "default"));
  }

  private static Map<String, List<String>> query(String raw) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    if (raw == null) return out;
    for (String pair : raw.split("&")) {
      int eq = pair.indexOf('=');
      String key = URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8);
      out.computeIfAbsent(key, k -> new ArrayList<>()).add(URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return out;
  }
}
