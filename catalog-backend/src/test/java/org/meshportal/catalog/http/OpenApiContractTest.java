package org.meshportal.catalog.http;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshportal.openapi.OpenApiDocuments;

/** Every route the server registers has an OpenAPI operation, and every operation a route. */
class OpenApiContractTest {
  private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");

  @Test
  void registered_routes_and_documented_operations_match(@TempDir Path dir) {
    try (CatalogFixture fixture = CatalogFixture.start(dir)) {
      Set<String> registered = new TreeSet<>();
      for (String route : fixture.server.server.routes()) {
        String path = route.substring(route.indexOf(' ') + 1);
        if (path.startsWith("/api/") || path.startsWith("/.backstage/")) {
          registered.add(route);
        }
      }
      Set<String> documented = new TreeSet<>();
      for (String plugin : OpenApiDocuments.PLUGINS) {
        // The catalog fixture does not mount the scaffolder; ScaffolderHttpTest checks its routes against its document.
        if (!plugin.equals("scaffolder")) {
          collect(SpecSchemas.document(plugin), "/api/" + plugin, documented);
        }
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
