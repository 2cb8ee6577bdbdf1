package org.meshportal.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.meshportal.model.EntityRef;

/**
 * Hand-written entities the reader may adopt instead of deriving its own: those the caller passes
 * and the Backstage descriptors found among the repository's kcp files.
 */
final class Known {

  private final Map<String, List<JsonNode>> byKindAndName = new HashMap<>();
  private final Map<String, List<JsonNode>> systemsByPath = new HashMap<>();

  Known(List<? extends JsonNode> fromCaller, List<MeshDoc> fromFiles) {
    List<JsonNode> all = new ArrayList<>();
    if (fromCaller != null) {
      all.addAll(fromCaller);
    }
    fromFiles.forEach(d -> all.add(d.node()));
    for (JsonNode e : all) {
      if (!mayAdopt(e)) {
        continue; // the caller passes every catalog entity; only a few kinds and names are ever looked up
      }
      String kind = MeshDoc.text(e.path("kind")).toLowerCase(Locale.ROOT);
      String name = MeshDoc.text(e.path("metadata").path("name"));
      byKindAndName.computeIfAbsent(kind + "|" + name.toLowerCase(Locale.ROOT), k -> new ArrayList<>()).add(e);
      String path = MeshDoc.text(e.path("metadata").path("annotations").path(MeshDeriver.ANN_PATH));
      if ("system".equals(kind) && path != null) {
        systemsByPath.computeIfAbsent(path, k -> new ArrayList<>()).add(e);
      }
    }
  }

  /**
   * Whether the reader may adopt this entity: the Domain {@code platform-mesh}, the Group
   * {@code platform-owners}, or a System annotated with {@code kcp.io/path}. Any other entity does
   * not change what the reader derives.
   */
  static boolean mayAdopt(JsonNode e) {
    String kind = MeshDoc.text(e.path("kind"));
    String name = MeshDoc.text(e.path("metadata").path("name"));
    if (kind == null || name == null) {
      return false;
    }
    if (kind.equalsIgnoreCase("system")) {
      return MeshDoc.text(e.path("metadata").path("annotations").path(MeshDeriver.ANN_PATH)) != null;
    }
    return kind.equalsIgnoreCase("domain") && name.equalsIgnoreCase("platform-mesh")
        || kind.equalsIgnoreCase("group") && name.equalsIgnoreCase("platform-owners");
  }

  /** The entity of that kind and name, preferring the default namespace, then the smallest ref. */
  JsonNode named(String kind, String name) {
    return pick(byKindAndName.get(kind + "|" + name));
  }

  /** A hand-written System annotated with {@code kcp.io/path: <path>}. */
  JsonNode systemAt(String path) {
    return pick(systemsByPath.get(path));
  }

  private static JsonNode pick(List<JsonNode> candidates) {
    if (candidates == null || candidates.isEmpty()) {
      return null;
    }
    return candidates.stream()
        .min(Comparator.comparing((JsonNode e) -> !EntityRef.DEFAULT_NAMESPACE.equals(namespace(e)))
            .thenComparing(Known::ref))
        .orElseThrow();
  }

  static String namespace(JsonNode e) {
    String ns = MeshDoc.text(e.path("metadata").path("namespace"));
    return ns == null ? EntityRef.DEFAULT_NAMESPACE : ns;
  }

  static String ref(JsonNode e) {
    return new EntityRef(e.path("kind").asText(), namespace(e), e.path("metadata").path("name").asText()).canonical();
  }
}
