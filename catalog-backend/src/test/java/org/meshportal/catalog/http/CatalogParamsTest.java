package org.meshportal.catalog.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.meshportal.indexer.FullTextFilter;
import org.meshportal.indexer.ListRequest;
import org.meshportal.indexer.OrderField;
import org.meshportal.indexer.QueryRequest;
import org.meshportal.model.errors.InputException;
import org.meshportal.model.query.EntityPredicate;

class CatalogParamsTest {

  private static Map<String, List<String>> params(String... pairs) {
    Map<String, List<String>> map = new LinkedHashMap<>();
    for (int i = 0; i < pairs.length; i += 2) {
      map.computeIfAbsent(pairs[i], k -> new java.util.ArrayList<>()).add(pairs[i + 1]);
    }
    return map;
  }

  @Test
  void fields_are_comma_lists_and_repeats_trimmed_and_deduplicated() {
    assertEquals(List.of("kind", "metadata.name", "spec.type"),
        CatalogParams.parseFields(List.of("kind, metadata.name", "spec.type,kind")).fields());
    assertTrue(CatalogParams.parseFields(null).isAll());
  }

  @Test
  void array_fields_are_400() {
    InputException e = assertThrows(InputException.class, () -> CatalogParams.parseFields(List.of("spec.a[0]")));
    assertEquals("Invalid field \"spec.a[0]\", array type fields are not supported", e.getMessage());
  }

  @Test
  void order_is_direction_colon_field() {
    assertEquals(List.of(new OrderField("metadata.name", false), new OrderField("spec.type", true)),
        CatalogParams.parseOrder(List.of("asc:metadata.name", "desc:spec.type")));
  }

  @Test
  void malformed_order_is_400_with_backstages_message() {
    for (String bad : List.of("metadata.name,asc", "up:metadata.name", "asc:", "ASC:x")) {
      InputException e = assertThrows(InputException.class, () -> CatalogParams.parseOrder(List.of(bad)));
      assertEquals("Invalid order parameter \"" + bad + "\", expected \"<asc or desc>:<field name>\"", e.getMessage());
    }
  }

  @Test
  void order_field_is_field_comma_direction_defaulting_to_asc() {
    assertEquals(List.of(new OrderField("metadata.name", false), new OrderField("spec.type", true)),
        CatalogParams.parseOrderFields(List.of("metadata.name", "spec.type,desc")));
    InputException e = assertThrows(InputException.class,
        () -> CatalogParams.parseOrderFields(List.of("metadata.name,up")));
    assertEquals("Invalid order field order, must be asc or desc", e.getMessage());
  }

  @Test
  void list_request_without_pagination_params_is_unpaginated() {
    ListRequest r = CatalogParams.parseListRequest(params("filter", "kind=template", "order", "asc:metadata.name"));
    assertFalse(r.paginated());
    assertEquals(new EntityPredicate.ValueIn("kind", List.of("template")), r.filter());
    assertEquals(List.of(new OrderField("metadata.name", false)), r.order());
  }

  @Test
  void list_request_pagination_params_are_validated() {
    ListRequest r = CatalogParams.parseListRequest(params("limit", "10", "offset", "5", "after", "abc"));
    assertEquals(10, r.limit());
    assertEquals(5, r.offset());
    assertEquals("abc", r.after());
    assertThrows(InputException.class, () -> CatalogParams.parseListRequest(params("limit", "0")));
    assertThrows(InputException.class, () -> CatalogParams.parseListRequest(params("offset", "-1")));
    assertThrows(InputException.class, () -> CatalogParams.parseListRequest(params("limit", "ten")));
    assertThrows(InputException.class, () -> CatalogParams.parseListRequest(params("after", "")));
  }

  @Test
  void query_request_defaults_to_limit_200_and_counting() {
    QueryRequest r = CatalogParams.parseQueryRequest(params());
    assertEquals(200, r.limit());
    assertEquals(0, r.offset());
    assertTrue(r.countTotal());
    assertNull(r.cursor());
    assertNull(r.fullText());
    assertEquals(new EntityPredicate.MatchAll(), r.filter());
  }

  @Test
  void query_request_accepts_limit_zero_for_counts() {
    QueryRequest r = CatalogParams.parseQueryRequest(params("limit", "0", "orderField", "metadata.name,asc",
        "filter", "relations.ownedBy=user:default/guest", "totalItems", "include"));
    assertEquals(0, r.limit());
    assertEquals(List.of(new OrderField("metadata.name", false)), r.orderFields());
    assertEquals(new EntityPredicate.ValueIn("relations.ownedby", List.of("user:default/guest")), r.filter());
  }

  @Test
  void total_items_include_or_exclude_only() {
    assertFalse(CatalogParams.parseQueryRequest(params("totalItems", "exclude")).countTotal());
    InputException e = assertThrows(InputException.class,
        () -> CatalogParams.parseQueryRequest(params("totalItems", "maybe")));
    assertTrue(e.getMessage().startsWith("Invalid totalItems parameter"));
  }

  @Test
  void full_text_term_is_trimmed_and_fields_lowercased() {
    QueryRequest r = CatalogParams.parseQueryRequest(params(
        "fullTextFilterTerm", "  Svc ", "fullTextFilterFields", "metadata.name,Spec.Owner"));
    assertEquals(new FullTextFilter("Svc", List.of("metadata.name", "spec.owner")), r.fullText());
    assertNull(CatalogParams.parseQueryRequest(params("fullTextFilterTerm", "   ")).fullText());
  }

  @Test
  void a_cursor_is_passed_through_and_only_limit_and_fields_apply() {
    QueryRequest r = CatalogParams.parseQueryRequest(params("cursor", "opaque==", "limit", "7", "fields", "kind",
        "filter", "kind=api", "orderField", "metadata.name,desc", "offset", "3", "totalItems", "bogus"));
    assertEquals("opaque==", r.cursor());
    assertEquals(7, r.limit());
    assertEquals(List.of("kind"), r.fields().fields());
    assertEquals(new EntityPredicate.MatchAll(), r.filter());
    assertEquals(List.of(), r.orderFields());
    assertEquals(0, r.offset());
  }

  @Test
  void negative_limit_is_400() {
    assertThrows(InputException.class, () -> CatalogParams.parseQueryRequest(params("limit", "-1")));
  }

  @Test
  void dry_run_accepts_yes_no_strings() {
    assertTrue(CatalogParams.parseBoolean("dryRun", "true"));
    assertTrue(CatalogParams.parseBoolean("dryRun", "YES"));
    assertTrue(CatalogParams.parseBoolean("dryRun", "1"));
    assertFalse(CatalogParams.parseBoolean("dryRun", null));
    assertFalse(CatalogParams.parseBoolean("dryRun", "no"));
    assertThrows(InputException.class, () -> CatalogParams.parseBoolean("dryRun", "perhaps"));
  }

  @Test
  void next_link_drops_offset_and_sets_after() {
    assertEquals("/entities?filter=kind%3Dapi&limit=2&after=abc%3D%3D",
        CatalogPlugin.nextLink(params("filter", "kind=api", "limit", "2", "offset", "4", "after", "old"), "abc=="));
  }
}
