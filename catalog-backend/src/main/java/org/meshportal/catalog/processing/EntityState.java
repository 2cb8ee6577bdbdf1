package org.meshportal.catalog.processing;

import java.util.ArrayList;
import java.util.List;
import org.meshportal.model.RelationRules;

/**
 * What the engine keeps in memory per entity: enough to decide what changed and to stitch
 * relations, never the body.
 */
record EntityState(
    String ref, String uid, String source, String hash, String file, List<String> parents, List<Edge> edges,
    boolean orphan) {

  /** A forward relation of this entity; {@code reverse} is stored on {@code target}. */
  record Edge(String type, String target, String reverse) {}

  EntityState asOrphan() {
    return new EntityState(ref, uid, source, hash, file, List.of(), edges, true);
  }

  static List<Edge> edgesOf(List<RelationRules.Edge> rules) {
    List<Edge> out = new ArrayList<>(rules.size());
    for (RelationRules.Edge e : rules) {
      out.add(new Edge(e.forward(), e.target(), e.reverse()));
    }
    return List.copyOf(out);
  }

  /** One edge a line, fields tab-separated (refs never contain tabs or newlines). */
  static String encodeEdges(List<Edge> edges) {
    StringBuilder sb = new StringBuilder();
    for (Edge e : edges) {
      sb.append(e.type()).append('\t').append(e.target()).append('\t').append(e.reverse()).append('\n');
    }
    return sb.toString();
  }

  static List<Edge> decodeEdges(String encoded) {
    if (encoded == null || encoded.isEmpty()) {
      return List.of();
    }
    List<Edge> out = new ArrayList<>();
    for (String line : encoded.split("\n")) {
      String[] parts = line.split("\t", -1);
      if (parts.length == 3) {
        out.add(new Edge(parts[0], parts[1], parts[2]));
      }
    }
    return List.copyOf(out);
  }
}
