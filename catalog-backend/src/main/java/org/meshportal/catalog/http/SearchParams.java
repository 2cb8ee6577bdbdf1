package org.meshportal.catalog.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.meshportal.indexer.SearchRequest;
import org.meshportal.model.errors.InputException;

/**
 * {@code GET /api/search/query} parameters in {@code qs} bracket notation: {@code types[0]=},
 * {@code types[]=}, repeated {@code types=}; {@code filters[kind]=X}, {@code filters[lifecycle][0]=a}.
 */
final class SearchParams {
  private static final Pattern TYPES = Pattern.compile("^types(?:\\[(\\d*)])?$");
  private static final Pattern FILTER = Pattern.compile("^filters\\[([^\\]]+)](?:\\[(\\d*)])?$");

  private SearchParams() {}

  static SearchRequest parse(Map<String, List<String>> params, SearchSettings settings) {
    String term = CatalogParams.first(params, "term");
    term = term == null ? "" : term;
    if (term.length() > settings.maxTermLength()) {
      throw new InputException("Invalid query string: term must be at most " + settings.maxTermLength()
          + " characters long");
    }
    Integer pageLimit = CatalogParams.optionalInt(params, "pageLimit", 0);
    if (pageLimit != null && pageLimit > settings.maxPageLimit()) {
      throw new InputException("Invalid query string: pageLimit must be at most " + settings.maxPageLimit());
    }
    String cursor = CatalogParams.first(params, "pageCursor");
    return new SearchRequest(
        term,
        types(params),
        filters(params),
        cursor == null || cursor.isEmpty() ? null : cursor,
        pageLimit == null ? settings.defaultPageLimit() : pageLimit,
        highlight(settings));
  }

  /** The highlighting every search asks for, or null when it is turned off. */
  static SearchRequest.Highlight highlight(SearchSettings settings) {
    return settings.highlight()
        ? new SearchRequest.Highlight(settings.preTag(), settings.postTag(), settings.fragmentDelimiterLength())
        : null;
  }

  private static List<String> types(Map<String, List<String>> params) {
    // indexed items sort by index; unindexed ones keep request order after them
    TreeMap<Integer, String> indexed = new TreeMap<>();
    List<String> plain = new ArrayList<>();
    params.forEach((key, values) -> {
      Matcher m = TYPES.matcher(key);
      if (!m.matches()) {
        return;
      }
      if (m.group(1) != null && !m.group(1).isEmpty()) {
        indexed.put(Integer.parseInt(m.group(1).length() > 6 ? "999999" : m.group(1)), values.get(0));
      } else {
        plain.addAll(values);
      }
    });
    List<String> types = new ArrayList<>(indexed.values());
    types.addAll(plain);
    return types.stream().filter(t -> !t.isEmpty()).distinct().toList();
  }

  private static Map<String, List<String>> filters(Map<String, List<String>> params) {
    Map<String, TreeMap<Integer, String>> indexed = new LinkedHashMap<>();
    Map<String, List<String>> filters = new LinkedHashMap<>();
    params.forEach((key, values) -> {
      Matcher m = FILTER.matcher(key);
      if (!m.matches()) {
        return;
      }
      String field = m.group(1);
      String index = m.group(2);
      if (index != null && !index.isEmpty()) {
        indexed.computeIfAbsent(field, f -> new TreeMap<>())
            .put(Integer.parseInt(index.length() > 6 ? "999999" : index), values.get(0));
      } else {
        filters.computeIfAbsent(field, f -> new ArrayList<>()).addAll(values);
      }
    });
    indexed.forEach((field, items) -> filters.computeIfAbsent(field, f -> new ArrayList<>()).addAll(0, items.values()));
    filters.replaceAll((field, values) -> List.copyOf(values));
    return filters;
  }
}
