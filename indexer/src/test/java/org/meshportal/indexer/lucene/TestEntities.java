package org.meshportal.indexer.lucene;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Builds entity JSON for tests and reads results back. */
final class TestEntities {
  static final ObjectMapper JSON = new ObjectMapper();

  private TestEntities() {}

  static ObjectNode component(String name, String type, String owner, String... tags) {
    ObjectNode e = entity("Component", name);
    ObjectNode spec = e.putObject("spec");
    if (type != null) {
      spec.put("type", type);
    }
    spec.put("lifecycle", "production");
    spec.put("owner", owner);
    var arr = ((ObjectNode) e.get("metadata")).putArray("tags");
    for (String t : tags) {
      arr.add(t);
    }
    e.putArray("relations").addObject().put("type", "ownedBy").put("targetRef", "group:default/" + owner);
    return e;
  }

  static ObjectNode entity(String kind, String name) {
    ObjectNode e = JSON.createObjectNode();
    e.put("apiVersion", "backstage.io/v1alpha1");
    e.put("kind", kind);
    ObjectNode m = e.putObject("metadata");
    m.put("name", name);
    m.put("namespace", "default");
    m.put("uid", "uid-" + kind.toLowerCase() + "-" + name.toLowerCase());
    return e;
  }

  static JsonNode parse(byte[] bytes) {
    try {
      return JSON.readTree(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static JsonNode parse(Optional<byte[]> bytes) {
    return parse(bytes.orElseThrow());
  }

  static List<String> names(List<byte[]> items) {
    List<String> out = new ArrayList<>();
    for (byte[] b : items) {
      out.add(b == null ? null : parse(b).path("metadata").path("name").asText());
    }
    return out;
  }
}
