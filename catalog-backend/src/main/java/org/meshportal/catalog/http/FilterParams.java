package org.meshportal.catalog.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.meshportal.model.errors.InputException;
import org.meshportal.model.query.EntityPredicate;

/**
 * Backstage's key/value {@code filter=} syntax: each parameter is one set, sets are OR-ed; inside a
 * set, comma-separated {@code key=value} or bare {@code key} conditions; the same key repeated is
 * OR-ed, different keys AND-ed.
 */
final class FilterParams {
  private FilterParams() {}

  /** {@link EntityPredicate.MatchAll} when there is no non-empty filter parameter. */
  static EntityPredicate parse(List<String> filterParams) {
    List<EntityPredicate> sets = new ArrayList<>();
    for (String param : filterParams == null ? List.<String>of() : filterParams) {
      EntityPredicate set = parseSet(param);
      if (set != null) {
        sets.add(set);
      }
    }
    return sets.isEmpty() ? new EntityPredicate.MatchAll() : EntityPredicate.any(sets);
  }

  private static EntityPredicate parseSet(String param) {
    // key -> values; null means "bare key only" (exists)
    Map<String, List<String>> byKey = new LinkedHashMap<>();
    for (String piece : param.split(",", -1)) {
      String statement = piece.trim();
      if (statement.isEmpty()) {
        continue;
      }
      int eq = statement.indexOf('=');
      String key = (eq < 0 ? statement : statement.substring(0, eq)).trim();
      if (key.isEmpty()) {
        throw new InputException("Invalid filter, '" + statement
            + "' is not a valid statement (expected a string on the form a=b or a= or a)");
      }
      if (eq < 0) {
        byKey.putIfAbsent(key, null);
      } else {
        List<String> values = byKey.get(key);
        if (values == null) {
          values = new ArrayList<>();
          byKey.put(key, values);
        }
        values.add(statement.substring(eq + 1).trim());
      }
    }
    if (byKey.isEmpty()) {
      return null;
    }
    List<EntityPredicate> conditions = new ArrayList<>();
    byKey.forEach((key, values) -> conditions.add(
        values == null ? new EntityPredicate.Exists(key) : new EntityPredicate.ValueIn(key, values)));
    return EntityPredicate.all(conditions);
  }
}
