package org.meshportal.catalog.http;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.meshportal.indexer.FullTextFilter;
import org.meshportal.indexer.ListRequest;
import org.meshportal.indexer.OrderField;
import org.meshportal.indexer.QueryRequest;
import org.meshportal.model.FieldProjection;
import org.meshportal.model.errors.InputException;
import org.meshportal.model.query.EntityPredicate;

/** Parse functions for the query strings of the catalog's entity endpoints (one per shape). */
final class CatalogParams {
  static final int DEFAULT_QUERY_LIMIT = 200;
  private static final Pattern ORDER = Pattern.compile("^(asc|desc):(.+)$");

  private CatalogParams() {}

  /** {@code GET /entities}: filter, fields, order, limit, offset, after. */
  static ListRequest parseListRequest(Map<String, List<String>> params) {
    Integer limit = optionalInt(params, "limit", 1);
    Integer offset = optionalInt(params, "offset", 0);
    String after = first(params, "after");
    if (after != null && after.isEmpty()) {
      throw new InputException("Invalid after parameter, must not be empty");
    }
    return new ListRequest(
        FilterParams.parse(params.get("filter")),
        parseOrder(params.get("order")),
        limit,
        offset,
        after,
        parseFields(params.get("fields")));
  }

  /** {@code GET /entities/by-query}; with a cursor only limit and fields apply. */
  static QueryRequest parseQueryRequest(Map<String, List<String>> params) {
    Integer limitParam = optionalInt(params, "limit", 0);
    int limit = limitParam == null ? DEFAULT_QUERY_LIMIT : limitParam;
    FieldProjection fields = parseFields(params.get("fields"));
    String cursor = first(params, "cursor");
    if (cursor != null && !cursor.isEmpty()) {
      return new QueryRequest(new EntityPredicate.MatchAll(), List.of(), null, limit, 0, false, cursor, fields);
    }
    Integer offset = optionalInt(params, "offset", 0);
    List<OrderField> orderFields = parseOrderFields(params.get("orderField"));
    FullTextFilter fullText = parseFullText(first(params, "fullTextFilterTerm"), params.get("fullTextFilterFields"));
    return new QueryRequest(
        FilterParams.parse(params.get("filter")),
        orderFields,
        fullText,
        limit,
        offset == null ? 0 : offset,
        parseTotalItems(first(params, "totalItems")),
        null,
        fields);
  }

  /** {@code fields=a,b&fields=c}: comma lists, repeats allowed. */
  static FieldProjection parseFields(List<String> params) {
    return fieldsOf(splitCommas(params));
  }

  static FieldProjection fieldsOf(List<String> fields) {
    try {
      return FieldProjection.of(fields);
    } catch (IllegalArgumentException e) {
      throw new InputException(e.getMessage());
    }
  }

  /** {@code order=asc:metadata.name} (GET /entities). */
  static List<OrderField> parseOrder(List<String> params) {
    List<OrderField> order = new ArrayList<>();
    for (String param : params == null ? List.<String>of() : params) {
      Matcher m = ORDER.matcher(param);
      if (!m.matches()) {
        throw new InputException(
            "Invalid order parameter \"" + param + "\", expected \"<asc or desc>:<field name>\"");
      }
      order.add(new OrderField(m.group(2), m.group(1).equals("desc")));
    }
    return order;
  }

  /** {@code orderField=metadata.name,desc} (by-query); the direction defaults to asc. */
  static List<OrderField> parseOrderFields(List<String> params) {
    List<OrderField> order = new ArrayList<>();
    for (String param : params == null ? List.<String>of() : params) {
      String[] parts = param.split(",", -1);
      String field = parts[0].trim();
      String direction = parts.length > 1 ? parts[1].trim() : "asc";
      order.add(new OrderField(field, parseDirection(direction)));
    }
    return order;
  }

  /** {@code asc} or {@code desc}; true for descending. */
  static boolean parseDirection(String direction) {
    return switch (direction) {
      case "asc" -> false;
      case "desc" -> true;
      default -> throw new InputException("Invalid order field order, must be asc or desc");
    };
  }

  /** True to count: {@code include} (default) or {@code exclude}. */
  static boolean parseTotalItems(String value) {
    if (value == null || value.equals("include")) {
      return true;
    }
    if (value.equals("exclude")) {
      return false;
    }
    throw new InputException("Invalid totalItems parameter \"" + value + "\", must be include or exclude");
  }

  /** Null when the trimmed term is empty. */
  static FullTextFilter parseFullText(String term, List<String> fieldParams) {
    if (term == null || term.trim().isEmpty()) {
      return null;
    }
    List<String> fields = splitCommas(fieldParams).stream().map(f -> f.toLowerCase(Locale.ROOT)).toList();
    return new FullTextFilter(term.trim(), fields);
  }

  /** Backstage's yes/no strings for {@code dryRun}; absent is false. */
  static boolean parseBoolean(String name, String value) {
    if (value == null) {
      return false;
    }
    return switch (value.trim().toLowerCase(Locale.ROOT)) {
      case "true", "1", "yes", "y", "on" -> true;
      case "false", "0", "no", "n", "off", "" -> false;
      default -> throw new InputException("Invalid " + name + " parameter \"" + value + "\", expected a boolean");
    };
  }

  static List<String> splitCommas(List<String> params) {
    List<String> out = new ArrayList<>();
    for (String param : params == null ? List.<String>of() : params) {
      for (String item : param.split(",")) {
        String t = item.trim();
        if (!t.isEmpty()) {
          out.add(t);
        }
      }
    }
    return out;
  }

  static String first(Map<String, List<String>> params, String name) {
    List<String> values = params.get(name);
    return values == null || values.isEmpty() ? null : values.get(0);
  }

  /** Null when absent; 400 when not an integer or below {@code min}. */
  static Integer optionalInt(Map<String, List<String>> params, String name, int min) {
    String raw = first(params, name);
    if (raw == null) {
      return null;
    }
    int value;
    try {
      value = Integer.parseInt(raw.trim());
    } catch (NumberFormatException e) {
      throw new InputException("Invalid " + name + " parameter \"" + raw + "\", expected an integer");
    }
    if (value < min) {
      throw new InputException("Invalid " + name + " parameter \"" + raw + "\", must be at least " + min);
    }
    return value;
  }
}
