package org.meshportal.model;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Flattens an entity into Backstage's filter rows: the (key, value) pairs that filters, facets,
 * ordering and the full-text filter work on.
 *
 * <ul>
 *   <li>keys are dot-joined object paths; arrays reuse their path for each item, and each string
 *       item also yields {@code <path>.<item> = "true"};
 *   <li>{@code status}, {@code attachments} and the raw {@code relations} array are skipped; each
 *       relation becomes {@code relations.<type> = <targetRef>};
 *   <li>{@code metadata.namespace} is always present (defaulting to {@code default});
 *   <li>values longer than 200 characters become {@code null} (they exist but never match);
 *       keys longer than 200 characters are dropped.
 * </ul>
 *
 * Rows keep the original case; {@link Row#lowerKey()} and {@link Row#lowerValue()} give the forms
 * that matching uses.
 */
public final class FilterRows {
  public static final int MAX_LENGTH = 200;

  private FilterRows() {}

  /** One row. {@code value} is null for null values and values over 200 characters. */
  public record Row(String key, String value) {
    public String lowerKey() {
      return key.toLowerCase(Locale.ROOT);
    }

    public String lowerValue() {
      return value == null ? null : value.toLowerCase(Locale.ROOT);
    }
  }

  public static List<Row> of(JsonNode entity) {
    List<Row> rows = new ArrayList<>();
    Iterator<Map.Entry<String, JsonNode>> it = entity.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String k = e.getKey();
      if (k.equals("status") || k.equals("attachments") || k.equals("relations")) {
        continue;
      }
      walk(k, e.getValue(), rows);
    }
    if (!entity.path("metadata").has("namespace")) {
      rows.add(new Row("metadata.namespace", EntityRef.DEFAULT_NAMESPACE));
    }
    for (JsonNode rel : entity.path("relations")) {
      String type = rel.path("type").asText("");
      String target = rel.path("targetRef").asText(null);
      if (!type.isEmpty()) {
        add(rows, "relations." + type, target);
      }
    }
    return rows;
  }

  private static void walk(String path, JsonNode node, List<Row> rows) {
    if (node.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> it = node.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        walk(path + "." + e.getKey(), e.getValue(), rows);
      }
    } else if (node.isArray()) {
      for (JsonNode item : node) {
        if (item.isTextual()) {
          add(rows, path + "." + item.asText(), "true");
        }
        walk(path, item, rows);
      }
    } else if (node.isNull() || node.isMissingNode()) {
      add(rows, path, null);
    } else {
      add(rows, path, node.asText());
    }
  }

  private static void add(List<Row> rows, String key, String value) {
    if (key.length() > MAX_LENGTH) {
      return;
    }
    rows.add(new Row(key, value != null && value.length() > MAX_LENGTH ? null : value));
  }
}
