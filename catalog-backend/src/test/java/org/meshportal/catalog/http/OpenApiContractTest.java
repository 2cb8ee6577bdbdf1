package org.meshportal.catalog.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshportal.catalog.app.Application;
import org.meshportal.openapi.OpenApiDocuments;

/**
 * Every route the assembled server registers has an OpenAPI operation, and every operation a
 * route. The server is built by the real composition root, so a plugin that is wired in without
 * a document (or documented but not wired) fails here.
 */
class OpenApiContractTest {
  private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

  @Test
  void registered_routes_and_documented_operations_match(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("app-config.yaml");
    Files.writeString(config, """
        backend:
          listen: { host: 127.0.0.1, port: 0 }
          dataDir: %s
        """.formatted(dir.resolve("data")));
    try (Application app = Application.start(List.of(config), false, Map.<String, String>of()::get)) {
      Set<String> registered = new TreeSet<>();
      for (String route : app.routes()) {
        String path = route.substring(route.indexOf(' ') + 1);
        if (path.startsWith("/api/") || path.startsWith("/.backstage/")) {
          registered.add(route);
        }
      }
      Set<String> documented = new TreeSet<>();
      for (String plugin : OpenApiDocuments.PLUGINS) {
        collect(SpecSchemas.document(plugin), "/api/" + plugin, documented);
      }
      collect(SpecSchemas.document(OpenApiDocuments.HEALTH), "", documented);
      assertEquals(documented, registered);
    }
  }

  private static void collect(JsonNode doc, String prefix, Set<String> out) {
    doc.path("paths").fields().forEachRemaining(path -> path.getValue().fieldNames().forEachRemaining(method -> {
      if (METHODS.contains(method)) {
        out.add(method.toUpperCase(Locale.ROOT) + " " + prefix + path.getKey());
      }
    }));
  }
}
