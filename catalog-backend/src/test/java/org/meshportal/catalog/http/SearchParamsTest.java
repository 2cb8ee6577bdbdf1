package org.meshportal.catalog.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.meshportal.indexer.SearchRequest;
import org.meshportal.model.errors.InputException;

class SearchParamsTest {
  private final SearchSettings settings = SearchSettings.defaults();

  private static Map<String, List<String>> params(String... pairs) {
    Map<String, List<String>> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.computeIfAbsent(pairs[i], k -> new java.util.ArrayList<>()).add(pairs[i + 1]);
    }
    return map;
  }

  @Test
  void defaults() {
    SearchRequest r = SearchParams.parse(params(), settings);
    assertEquals("", r.term());
    assertEquals(List.of(), r.types());
    assertEquals(Map.of(), r.filters());
    assertNull(r.pageCursor());
    assertEquals(25, r.pageLimit());
  }

  @Test
  void types_in_every_bracket_form() {
    assertEquals(List.of("software-catalog", "techdocs"),
        SearchParams.parse(params("types[1]", "techdocs", "types[0]", "software-catalog"), settings).types());
    assertEquals(List.of("a", "b"), SearchParams.parse(params("types[]", "a", "types[]", "b"), settings).types());
    assertEquals(List.of("a", "b"), SearchParams.parse(params("types", "a", "types", "b"), settings).types());
  }

  @Test
  void filters_scalar_and_indexed_lists() {
    SearchRequest r = SearchParams.parse(params("filters[kind]", "Component",
        "filters[lifecycle][1]", "production", "filters[lifecycle][0]", "experimental",
        "filters[spec.owner][]", "team-a"), settings);
    assertEquals(Map.of("kind", List.of("Component"), "lifecycle", List.of("experimental", "production"),
        "spec.owner", List.of("team-a")), r.filters());
  }

  @Test
  void term_length_and_page_limit_bounds() {
    assertEquals("x".repeat(100), SearchParams.parse(params("term", "x".repeat(100)), settings).term());
    assertThrows(InputException.class, () -> SearchParams.parse(params("term", "x".repeat(101)), settings));
    assertEquals(100, SearchParams.parse(params("pageLimit", "100"), settings).pageLimit());
    assertEquals(0, SearchParams.parse(params("pageLimit", "0"), settings).pageLimit());
    assertThrows(InputException.class, () -> SearchParams.parse(params("pageLimit", "101"), settings));
    assertThrows(InputException.class, () -> SearchParams.parse(params("pageLimit", "many"), settings));
  }

  @Test
  void page_cursor_passes_through_and_unknown_params_are_ignored() {
    SearchRequest r = SearchParams.parse(params("pageCursor", "MQ==", "whatever", "x"), settings);
    assertEquals("MQ==", r.pageCursor());
  }
}
