package org.meshportal.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Backstage's {@code fields=} projection: keeps only the listed dot paths. A path part that is not
 * a key is glued to the next part with a dot and retried, so annotation keys containing dots work.
 */
public final class FieldProjection {
  private final List<String> fields;

  private FieldProjection(List<String> fields) {
    this.fields = fields;
  }

  /**
   * @param fields trimmed, de-duplicated field paths; empty means "everything"
   * @throws IllegalArgumentException for array-index fields such as {@code spec.a[0]}
   */
  public static FieldProjection of(List<String> fields) {
    LinkedHashSet<String> unique = new LinkedHashSet<>();
    for (String f : fields) {
      String t = f.trim();
      if (t.isEmpty()) {
        continue;
      }
      if (t.contains("[")) {
        throw new IllegalArgumentException("Invalid field \"" + t + "\", array type fields are not supported");
      }
      unique.add(t);
    }
    return new FieldProjection(new ArrayList<>(unique));
  }

  public boolean isAll() {
    return fields.isEmpty();
  }

  public List<String> fields() {
    return fields;
  }

  /** Returns {@code entity} itself when the projection keeps everything, else a new pruned copy. */
  public JsonNode apply(JsonNode entity) {
    if (fields.isEmpty() || entity == null || !entity.isObject()) {
      return entity;
    }
    ObjectNode out = JsonNodeFactory.instance.objectNode();
    for (String field : fields) {
      copy(entity, field.split("\\."), 0, out);
    }
    return out;
  }

  private static void copy(JsonNode src, String[] parts, int from, ObjectNode dst) {
    StringBuilder key = new StringBuilder();
    for (int i = from; i < parts.length; i++) {
      if (key.length() > 0) {
        key.append('.');
      }
      key.append(parts[i]);
      JsonNode child = src.get(key.toString());
      if (child == null) {
        continue;
      }
      if (i == parts.length - 1) {
        dst.set(key.toString(), child.deepCopy());
        return;
      }
      if (child.isObject()) {
        JsonNode existing = dst.get(key.toString());
        ObjectNode next = existing instanceof ObjectNode o ? o : dst.putObject(key.toString());
        copy(child, parts, i + 1, next);
        if (next.isEmpty() && existing == null) {
          dst.remove(key.toString());
        }
        return;
      }
      return;
    }
  }
}
