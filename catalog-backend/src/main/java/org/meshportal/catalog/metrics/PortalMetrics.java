package org.meshportal.catalog.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import org.meshportal.catalog.git.GitProviderStatus;
import org.meshportal.catalog.http.RequestMetrics;

/**
 * The server's Prometheus metrics (Micrometer): request rate and latency per route, method and
 * status; catalog size and store generation; each Git provider's last fetch and apply durations,
 * entity count and error state; scaffolder tasks by status; and the JVM's memory, collector,
 * threads, classes, CPU and uptime.
 */
public final class PortalMetrics implements RequestMetrics, AutoCloseable {
  /** Latency buckets (seconds) for histogram_quantile: short reads up to slow bulk answers. */
  private static final Duration[] BUCKETS = {
      Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
      Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500),
      Duration.ofSeconds(1), Duration.ofSeconds(5)};

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Map<String, Timer> timers = new ConcurrentHashMap<>();
  private final List<AutoCloseable> binders = new ArrayList<>();

  public PortalMetrics() {
    new JvmMemoryMetrics().bindTo(registry);
    JvmGcMetrics gc = new JvmGcMetrics();
    gc.bindTo(registry);
    binders.add(gc);
    new JvmThreadMetrics().bindTo(registry);
    new ClassLoaderMetrics().bindTo(registry);
    new ProcessorMetrics().bindTo(registry);
    new UptimeMetrics().bindTo(registry);
  }

  @Override
  public void record(String method, String route, int status, long nanos) {
    // One timer per (method, route, status); looked up without building tags on the hot path.
    String key = method + ' ' + status + ' ' + route;
    Timer timer = timers.get(key);
    if (timer == null) {
      timer = timers.computeIfAbsent(key, k -> Timer.builder("http.server.requests")
          .description("HTTP requests by route template, method and status")
          .tags("method", method, "uri", route, "status", Integer.toString(status))
          .serviceLevelObjectives(BUCKETS)
          .register(registry));
    }
    timer.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  @Override
  public String scrape() {
    return registry.scrape();
  }

  /** Catalog size (entities served) and the store generation last committed. */
  public void bindCatalog(Supplier<Number> entities, Supplier<Number> generation) {
    Gauge.builder("portal.catalog.entities", () -> entities.get().doubleValue())
        .description("entities the index serves").register(registry);
    Gauge.builder("portal.catalog.generation", () -> generation.get().doubleValue())
        .description("the catalog store's last committed generation").register(registry);
  }

  /** Per Git provider: durations of the last fetch and apply, entity count, whether the last sync failed. */
  /**
   * The replica's role and how current its catalog is: 1 while it leads (runs Git sync), the
   * generation its index serves, and how many generations it knows of but has not applied.
   */
  public void bindReplica(Supplier<Boolean> leading, Supplier<Number> appliedGeneration, Supplier<Number> lag) {
    Gauge.builder("portal.replica.leader", () -> leading.get() ? 1 : 0)
        .description("1 while this replica holds the catalog lease and runs Git sync").register(registry);
    Gauge.builder("portal.replica.applied.generation", () -> appliedGeneration.get().doubleValue())
        .description("the catalog generation this replica's index serves").register(registry);
    Gauge.builder("portal.replica.lag.generations", () -> lag.get().doubleValue())
        .description("catalog generations committed by other replicas and not yet applied here").register(registry);
  }

  public void bindGitProviders(List<String> ids, java.util.function.Function<String, GitProviderStatus> status) {
    for (String id : ids) {
      gauge("portal.git.last.fetch.seconds", "duration of the provider's last fetch", id, status,
          s -> s.lastFetchDurationMs() == null ? Double.NaN : s.lastFetchDurationMs() / 1000.0);
      gauge("portal.git.last.apply.seconds", "duration of the provider's last apply", id, status,
          s -> s.lastApplyDurationMs() == null ? Double.NaN : s.lastApplyDurationMs() / 1000.0);
      gauge("portal.git.entities", "entities the provider emits", id, status, GitProviderStatus::entityCount);
      gauge("portal.git.failing", "1 when the provider's last sync failed", id, status,
          s -> s.lastError() == null ? 0 : 1);
    }
  }

  private void gauge(String name, String description, String id,
      java.util.function.Function<String, GitProviderStatus> status, ToDoubleFunction<GitProviderStatus> value) {
    Gauge.builder(name, () -> value.applyAsDouble(status.apply(id)))
        .description(description).tags("provider", id).register(registry);
  }

  /** Scaffolder tasks by status; counted once per scrape however many statuses read the count. */
  public void bindTasks(List<String> statuses, Supplier<Map<String, Long>> countByStatus) {
    Supplier<Map<String, Long>> perScrape = new Supplier<>() {
      private long at;
      private Map<String, Long> counts;

      @Override
      public synchronized Map<String, Long> get() {
        if (counts == null || System.nanoTime() - at > 1_000_000_000L) {
          counts = countByStatus.get();
          at = System.nanoTime();
        }
        return counts;
      }
    };
    for (String status : statuses) {
      Gauge.builder("portal.scaffolder.tasks", () -> perScrape.get().getOrDefault(status, 0L))
          .description("scaffolder tasks by status").tags("status", status).register(registry);
    }
  }

  @Override
  public void close() {
    for (AutoCloseable binder : binders) {
      try {
        binder.close();
      } catch (Exception e) {
        // a binder that fails to close leaves nothing behind worth reporting
      }
    }
    registry.close();
  }
}
