package org.meshportal.indexer.lucene;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.meshportal.model.FieldProjection;

/**
 * Applies a {@code fields=} projection to stored entity bytes without building trees: the entity
 * is scanned for member offsets (only the objects a path walks into), the result is assembled from
 * raw value bytes. It follows {@link FieldProjection#apply} step by step (same key resolution,
 * dotted-key gluing, key order and pruning of empty objects), so the result is the same JSON.
 * Unprojected reads return the stored bytes untouched.
 */
final class Projector {
  private final FieldProjection projection;
  private final List<String[]> paths = new ArrayList<>();

  Projector(FieldProjection projection) {
    this.projection = projection == null ? FieldProjection.of(List.of()) : projection;
    for (String field : this.projection.fields()) {
      paths.add(field.split("\\."));
    }
  }

  boolean isAll() {
    return projection.isAll();
  }

  byte[] apply(byte[] entity) {
    if (projection.isAll() || entity == null) {
      return entity;
    }
    JsonObjectView root = JsonObjectView.rootOrNull(entity);
    if (root == null) {
      return entity;
    }
    Out out = new Out();
    for (String[] parts : paths) {
      copy(root, parts, 0, out);
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(128);
    out.write(entity, bytes);
    return bytes.toByteArray();
  }

  /** Mirrors {@code FieldProjection.copy}: the shortest glued key that exists is taken. */
  private static void copy(JsonObjectView src, String[] parts, int from, Out dst) {
    StringBuilder key = new StringBuilder();
    for (int i = from; i < parts.length; i++) {
      if (key.length() > 0) {
        key.append('.');
      }
      key.append(parts[i]);
      String k = key.toString();
      int member = src.indexOf(k);
      if (member < 0) {
        continue;
      }
      if (i == parts.length - 1) {
        dst.members.put(k, new Raw(src, member));
        return;
      }
      if (src.isObject(member)) {
        Object existing = dst.members.get(k);
        if (existing instanceof Raw) {
          // The whole object is already copied; copying parts of it again changes nothing.
          return;
        }
        Out next = existing instanceof Out o ? o : new Out();
        if (existing == null) {
          dst.members.put(k, next);
        }
        next.keyStart = src.keyStart(member);
        next.keyEnd = src.keyEnd(member);
        copy(src.child(member), parts, i + 1, next);
        if (next.members.isEmpty() && existing == null) {
          dst.members.remove(k);
        }
        return;
      }
      return;
    }
  }

  /** A member copied whole: its raw key and value bytes. */
  private record Raw(JsonObjectView src, int member) {}

  /** An output object under construction; insertion order is output order, as in ObjectNode. */
  private static final class Out {
    final Map<String, Object> members = new LinkedHashMap<>();
    int keyStart;
    int keyEnd;

    void write(byte[] source, ByteArrayOutputStream out) {
      out.write('{');
      boolean first = true;
      for (Object value : members.values()) {
        if (!first) {
          out.write(',');
        }
        first = false;
        if (value instanceof Raw raw) {
          JsonObjectView v = raw.src();
          int m = raw.member();
          out.write(source, v.keyStart(m), v.keyEnd(m) - v.keyStart(m));
          out.write(':');
          out.write(source, v.valueStart(m), v.valueEnd(m) - v.valueStart(m));
        } else {
          Out nested = (Out) value;
          out.write(source, nested.keyStart, nested.keyEnd - nested.keyStart);
          out.write(':');
          nested.write(source, out);
        }
      }
      out.write('}');
    }
  }
}
