package org.meshportal.loadbench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

/**
 * Replays bench.mjs's latency scenarios with a lean client: a fixed number of requests per
 * scenario, a fixed number in flight (one keep-alive connection per worker), latency measured
 * around request, response and JSON parse, as bench.mjs does. The output rows have bench.mjs's
 * JSON shape, so both harnesses' results compare in one table.
 *
 * <pre>
 * java -jar loadbench.jar BASE_URL --data DIR [--concurrency 8] [--requests 400] [--warmup 16]
 *      [--prewarm 50] [--only REGEX] [--json FILE] [--token TOKEN] [--pid SERVER_PID]
 * </pre>
 *
 * The data must already be loaded (bench.mjs does the ingest); only loopback targets are allowed.
 */
public final class LoadBench {

  /**
   * One scenario's figures, in milliseconds; CPU per request in microseconds, of this client and of
   * the server process ({@code --pid}), -1 where not measured.
   */
  public record Row(String name, int requests, int concurrency, int errors, String firstError,
      double p50, double p90, double p99, double max, double mean, double rps, double clientCpuUs,
      double serverCpuUs) {
    Row withCpu(double client, double server) {
      return new Row(name, requests, concurrency, errors, firstError, p50, p90, p99, max, mean, rps, client, server);
    }
  }

  private static final Set<String> LOOPBACK = Set.of("localhost", "127.0.0.1", "::1", "[::1]");

  private final String host;
  private final int port;
  private final String extraHeaders;
  private final int concurrency;
  private final int warmup;
  /** The server's pid, for its CPU time per request; 0 when not given. */
  private final long serverPid;

  LoadBench(URI baseUrl, String token, int concurrency, int warmup) {
    this(baseUrl, token, concurrency, warmup, 0);
  }

  LoadBench(URI baseUrl, String token, int concurrency, int warmup, long serverPid) {
    if (!LOOPBACK.contains(baseUrl.getHost())) {
      throw new IllegalArgumentException("refusing to target non-local host " + baseUrl.getHost());
    }
    this.host = baseUrl.getHost();
    this.port = baseUrl.getPort() > 0 ? baseUrl.getPort() : 80;
    this.extraHeaders = token == null ? "" : "authorization: Bearer " + token + "\r\n";
    this.concurrency = Math.max(1, Math.min(concurrency, 64));
    this.warmup = warmup;
    this.serverPid = serverPid;
  }

  /** Runs one scenario: sequential warm-up requests, then {@code total} with the workers in flight. */
  Row run(Scenarios.Scenario scenario) throws InterruptedException {
    int total = scenario.total();
    try (HttpConnection warm = connection()) {
      for (int i = 0; i < Math.min(warmup, total); i++) {
        try {
          scenario.step().run(1_000_000 + i, 0, warm);
        } catch (Exception e) {
          // a failing warm-up request shows up again, counted, in the measured run
        }
      }
    }
    int workers = Math.min(concurrency, total);
    double[] latencies = new double[total];
    AtomicInteger next = new AtomicInteger();
    AtomicInteger errors = new AtomicInteger();
    AtomicReference<String> firstError = new AtomicReference<>();
    List<Thread> threads = new ArrayList<>(workers);
    long clientCpu = CpuTime.ofThisProcess();
    long serverCpu = serverPid > 0 ? CpuTime.ofProcess(serverPid) : -1;
    long start = System.nanoTime();
    for (int w = 0; w < workers; w++) {
      int worker = w;
      threads.add(Thread.ofPlatform().name("loadbench-" + w).start(() -> {
        try (HttpConnection connection = connection()) {
          for (int i = next.getAndIncrement(); i < total; i = next.getAndIncrement()) {
            long s = System.nanoTime();
            try {
              scenario.step().run(i, worker, connection);
            } catch (Exception e) {
              errors.incrementAndGet();
              String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
              firstError.compareAndSet(null, message.length() > 200 ? message.substring(0, 200) : message);
              connection.close();
            }
            latencies[i] = (System.nanoTime() - s) / 1e6;
          }
        }
      }));
    }
    for (Thread t : threads) t.join();
    double wallSeconds = (System.nanoTime() - start) / 1e9;
    // what one request cost each side, on average: at a fixed number in flight on shared cores the
    // latency follows from these (Little's law), whichever side spends them
    double clientUs = round((CpuTime.ofThisProcess() - clientCpu) / 1e3 / total);
    long serverNow = serverCpu < 0 ? -1 : CpuTime.ofProcess(serverPid);
    double serverUs = serverCpu < 0 || serverNow < 0 ? -1 : round((serverNow - serverCpu) / 1e3 / total);
    return summarize(scenario.name(), latencies, workers, errors.get(), firstError.get(), wallSeconds)
        .withCpu(clientUs, serverUs);
  }

  /** bench.mjs's percentile: the sorted sample at floor(p × n). */
  static Row summarize(String name, double[] latencies, int concurrency, int errors, String firstError,
      double wallSeconds) {
    double[] sorted = latencies.clone();
    Arrays.sort(sorted);
    int n = sorted.length;
    double sum = 0;
    for (double v : sorted) sum += v;
    return new Row(name, n, concurrency, errors, firstError,
        round(quantile(sorted, 0.5)), round(quantile(sorted, 0.9)), round(quantile(sorted, 0.99)),
        round(sorted[n - 1]), round(sum / n), round(n / wallSeconds), -1, -1);
  }

  private static double quantile(double[] sorted, double p) {
    return sorted[Math.min(sorted.length - 1, (int) Math.floor(p * sorted.length))];
  }

  private static double round(double v) {
    return Math.round(v * 100) / 100.0;
  }

  private HttpConnection connection() {
    return new HttpConnection(host, port, extraHeaders);
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> opts = new LinkedHashMap<>(Map.of(
        "concurrency", "8", "requests", "400", "warmup", "16", "prewarm", "50"));
    String baseUrl = "http://localhost:7007";
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (a.equals("-h") || a.equals("--help")) {
        System.out.println("usage: java -jar loadbench.jar BASE_URL --data DIR [--concurrency 8] [--requests 400]"
            + " [--warmup 16] [--prewarm 50] [--only REGEX] [--json FILE] [--token TOKEN] [--pid SERVER_PID]");
        return;
      }
      if (a.startsWith("--")) {
        if (i + 1 >= args.length) throw new IllegalArgumentException(a + " needs a value");
        opts.put(a.substring(2), args[++i]);
      } else {
        baseUrl = a;
      }
    }
    Set<String> known = Set.of("concurrency", "requests", "warmup", "prewarm", "only", "json", "token", "data", "pid");
    for (String key : opts.keySet()) {
      if (!known.contains(key)) throw new IllegalArgumentException("unknown option --" + key);
    }
    if (!opts.containsKey("data")) throw new IllegalArgumentException("--data DIR (with manifest.json) is required");
    URI base = URI.create(baseUrl.replaceAll("/+$", ""));
    ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    JsonNode manifest = json.readTree(Path.of(opts.get("data"), "manifest.json").toFile());
    Map<String, Integer> kinds = new LinkedHashMap<>();
    manifest.path("kinds").properties().forEach(e -> kinds.put(e.getKey(), e.getValue().asInt()));

    int concurrency = Integer.parseInt(opts.get("concurrency"));
    int requests = Math.max(1, Math.min(Integer.parseInt(opts.get("requests")), 100_000));
    long pid = opts.containsKey("pid") ? Long.parseLong(opts.get("pid")) : 0;
    LoadBench bench = new LoadBench(base, opts.get("token"), concurrency, Integer.parseInt(opts.get("warmup")), pid);
    Pattern only = opts.containsKey("only") ? Pattern.compile(opts.get("only")) : null;
    List<Scenarios.Scenario> selected = new Scenarios(kinds).all(requests).stream()
        .filter(s -> only == null || only.matcher(s.name()).find()).toList();

    System.out.printf(Locale.ROOT, "# loadbench against %s, data %s (%s entities), concurrency %d, %d requests/scenario%n",
        base, opts.get("data"), manifest.path("count").asText("?"), bench.concurrency, requests);
    // One short pass over every scenario first, so neither this client's JIT nor the server's
    // first-call costs land in the first scenario's figures. Every server gets the same pass.
    int prewarm = Integer.parseInt(opts.get("prewarm"));
    if (prewarm > 0) {
      LoadBench warmer = new LoadBench(base, opts.get("token"), concurrency, 0);
      for (Scenarios.Scenario s : new Scenarios(kinds).all(prewarm)) warmer.run(s);
    }
    List<Row> rows = new ArrayList<>();
    for (Scenarios.Scenario scenario : selected) {
      Row row = bench.run(scenario);
      rows.add(row);
      System.out.printf(Locale.ROOT, "  %s: p50 %.2f ms, p99 %.2f ms, %.1f req/s%s%n", row.name(), row.p50(),
          row.p99(), row.rps(), row.errors() > 0 ? ", " + row.errors() + " errors (" + row.firstError() + ")" : "");
    }
    System.out.println();
    System.out.println(table(rows));
    if (opts.containsKey("json")) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("harness", "loadbench");
      out.put("baseUrl", base.toString());
      out.put("data", opts.get("data"));
      out.put("entities", manifest.path("count").asInt());
      out.put("concurrency", bench.concurrency);
      out.put("requests", requests);
      out.put("latency", rows);
      Files.writeString(Path.of(opts.get("json")), json.writeValueAsString(out) + "\n");
    }
    int errors = rows.stream().mapToInt(Row::errors).sum();
    if (errors > 0) System.exit(1);
  }

  static String table(List<Row> rows) {
    String[] cols = {"scenario", "n", "conc", "p50 ms", "p90 ms", "p99 ms", "max ms", "mean ms", "req/s", "err",
        "client us/req", "server us/req"};
    List<String[]> data = new ArrayList<>();
    for (Row r : rows) {
      data.add(new String[] {r.name(), "" + r.requests(), "" + r.concurrency(), fmt(r.p50()), fmt(r.p90()),
          fmt(r.p99()), fmt(r.max()), fmt(r.mean()), fmt(r.rps()), "" + r.errors(), cpu(r.clientCpuUs()),
          cpu(r.serverCpuUs())});
    }
    int[] width = new int[cols.length];
    for (int c = 0; c < cols.length; c++) {
      width[c] = cols[c].length();
      for (String[] d : data) width[c] = Math.max(width[c], d[c].length());
    }
    StringBuilder out = new StringBuilder();
    appendLine(out, cols, width);
    String[] rule = new String[cols.length];
    for (int c = 0; c < cols.length; c++) rule[c] = "-".repeat(width[c]);
    appendLine(out, rule, width);
    for (String[] d : data) appendLine(out, d, width);
    return out.toString().stripTrailing();
  }

  private static void appendLine(StringBuilder out, String[] cells, int[] width) {
    for (int c = 0; c < cells.length; c++) {
      if (c > 0) out.append("  ");
      String pad = " ".repeat(width[c] - cells[c].length());
      out.append(c == 0 ? cells[c] + pad : pad + cells[c]);
    }
    out.append('\n');
  }

  private static String cpu(double us) {
    return us < 0 ? "-" : String.format(Locale.ROOT, "%.0f", us);
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, "%.2f", v);
  }
}
