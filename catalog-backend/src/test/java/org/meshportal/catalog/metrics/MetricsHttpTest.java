package org.meshportal.catalog.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshportal.catalog.app.Application;
import org.meshportal.catalog.testing.LoopbackHttp;

/** {@code GET /metrics} of the real server: what a Prometheus scrape sees after some traffic. */
class MetricsHttpTest {
  @TempDir Path tmp;

  @Test
  void requests_catalog_and_jvm_show_in_the_prometheus_text() throws IOException {
    Path file = Files.writeString(Files.createDirectories(tmp.resolve("catalog")).resolve("catalog-info.yaml"), """
        apiVersion: backstage.io/v1alpha1
        kind: Component
        metadata: {name: measured}
        spec: {type: service, lifecycle: production, owner: team-a}
        """);
    Path config = Files.writeString(tmp.resolve("app-config.yaml"), """
        backend:
          listen: {port: 0}
          dataDir: %s
          auth: {dangerouslyDisableDefaultAuthPolicy: true}
        catalog:
          locations: [{type: file, target: '%s'}]
        """.formatted(tmp.resolve("data"), file));
    try (Application app = Application.start(List.of(config), false, name -> null)) {
      LoopbackHttp http = new LoopbackHttp("http://127.0.0.1:" + app.port());
      for (int i = 0; i < 3; i++) {
        assertEquals(200, http.get("/api/catalog/entities/by-name/component/default/measured").status());
      }
      assertEquals(404, http.get("/api/catalog/entities/by-name/component/default/missing-x1").status());
      assertEquals(404, http.get("/no/such/route/9f3a").status());

      LoopbackHttp.Response metrics = http.get("/metrics");
      assertEquals(200, metrics.status());
      String text = metrics.body();
      String byName = "uri=\"/api/catalog/entities/by-name/{kind}/{namespace}/{name}\"";
      assertEquals(3.0, value(text, "http_server_requests_seconds_count", "status=\"200\"", byName), text);
      assertEquals(1.0, value(text, "http_server_requests_seconds_count", "status=\"404\"", byName));
      assertTrue(text.contains("http_server_requests_seconds_bucket"), "latency histogram for quantiles");
      assertFalse(text.contains("9f3a") || text.contains("missing-x1"), "raw paths must not become series");
      // the entity plus the static location's Location entity
      assertEquals(2.0, value(text, "portal_catalog_entities"));
      assertTrue(value(text, "portal_catalog_generation") >= 1);
      assertEquals(0.0, value(text, "portal_scaffolder_tasks", "status=\"processing\""));
      assertTrue(value(text, "jvm_memory_used_bytes", "area=\"heap\"") > 0);
      assertTrue(text.contains("process_uptime_seconds"));
    }
  }

  /** The value of the first sample of {@code metric} whose labels contain every {@code label}. */
  private static double value(String text, String metric, String... labels) {
    Matcher m = Pattern.compile("(?m)^" + Pattern.quote(metric) + "(\\{.*\\})? (\\S+)$").matcher(text);
    while (m.find()) {
      String found = m.group(1) == null ? "" : m.group(1);
      boolean all = true;
      for (String label : labels) {
        all &= found.contains(label);
      }
      if (all) {
        return Double.parseDouble(m.group(2));
      }
    }
    throw new AssertionError("no sample " + metric + " with " + List.of(labels));
  }
}
