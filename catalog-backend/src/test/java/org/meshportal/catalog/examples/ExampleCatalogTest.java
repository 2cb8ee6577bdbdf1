package org.meshportal.catalog.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshportal.catalog.app.Application;
import org.meshportal.catalog.testing.LoopbackHttp;

/**
 * Pins what the server makes of the example catalog (test resources {@code example-catalog}, in the
 * shape of Backstage's own examples: Locations several levels deep, a Location inside a
 * multi-document org file, Users and Groups in one file, a User in another namespace, {@code $text}
 * placeholders, a definition on an unlisted host, inline GraphQL, AsyncAPI and gRPC definitions).
 * {@code scripts/compare-examples.sh} compares the same output with the real Backstage backend
 * (README, "Compatibility"); this test keeps ours from drifting. Entities are compared whole, with
 * server-made values (uid, etag) left out and the catalog's folder written as {@code <root>}.
 *
 * <p>After an intended change: {@code -Dexample.catalog.update=true} rewrites the expected file in
 * the source tree; review its diff.
 */
class ExampleCatalogTest {
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
  private static final String EXPECTED = "example-catalog.expected.json";

  @TempDir Path tmp;

  @Test
  void the_example_catalog_becomes_the_pinned_entities_and_relations() throws Exception {
    Path catalog = copyResources(tmp.resolve("catalog"));
    Path config = Files.writeString(tmp.resolve("app-config.yaml"), """
        backend:
          listen: {port: 0}
          dataDir: %s
          auth: {dangerouslyDisableDefaultAuthPolicy: true}
        catalog:
          locations: [{type: file, target: '%s'}]
        """.formatted(tmp.resolve("data"), catalog.resolve("all.yaml")));
    try (Application app = Application.start(List.of(config), false, name -> null)) {
      LoopbackHttp http = new LoopbackHttp("http://127.0.0.1:" + app.port());
      JsonNode entities = http.get("/api/catalog/entities").json();
      String actual = JSON.writeValueAsString(normalize(entities, catalog.toString())) + "\n";
      if (Boolean.getBoolean("example.catalog.update")) {
        Files.writeString(Path.of("src/test/resources").resolve(EXPECTED), actual);
      }
      try (InputStream in = getClass().getResourceAsStream("/" + EXPECTED)) {
        String expected = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(expected, actual);
      }
    }
  }

  private static ArrayNode normalize(JsonNode entities, String root) throws IOException {
    List<ObjectNode> list = new ArrayList<>();
    for (JsonNode e : entities) {
      // the config location's name is a hash of its absolute path, which differs per run
      String text = JSON.writeValueAsString(e).replace(root, "<root>")
          .replaceAll("generated-[0-9a-f]{40}", "generated-<sha1 of the location>");
      ObjectNode entity = (ObjectNode) JSON.readTree(text);
      ObjectNode metadata = (ObjectNode) entity.get("metadata");
      metadata.remove("uid");
      metadata.remove("etag");
      List<JsonNode> relations = new ArrayList<>();
      entity.path("relations").forEach(relations::add);
      relations.sort(Comparator.comparing(r -> r.path("type").asText() + " " + r.path("targetRef").asText()));
      entity.putArray("relations").addAll(relations);
      list.add(entity);
    }
    list.sort(Comparator.comparing(ExampleCatalogTest::ref));
    ArrayNode out = JSON.createArrayNode();
    list.forEach(out::add);
    return out;
  }

  private static String ref(JsonNode e) {
    return (e.path("kind").asText() + ":" + e.at("/metadata/namespace").asText("default") + "/"
        + e.at("/metadata/name").asText()).toLowerCase(java.util.Locale.ROOT);
  }

  private Path copyResources(Path target) throws IOException, URISyntaxException {
    Path source = Path.of(getClass().getResource("/example-catalog/all.yaml").toURI()).getParent();
    try (Stream<Path> files = Files.walk(source)) {
      for (Path p : files.toList()) {
        Path dest = target.resolve(source.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(dest);
        } else {
          Files.copy(p, dest);
        }
      }
    }
    return target;
  }
}
