package org.meshportal.catalog.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.meshportal.indexer.FullTextFilter;
import org.meshportal.indexer.OrderField;
import org.meshportal.indexer.QueryRequest;
import org.meshportal.model.errors.InputException;
import org.meshportal.model.query.EntityPredicate;

class CatalogBodiesTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static JsonNode json(String s) throws Exception {
    return MAPPER.readTree(s);
  }

  @Test
  void post_query_body_maps_every_field() throws Exception {
    QueryRequest r = CatalogBodies.parseQuery(json("""
        {"limit": 5, "offset": 2, "orderBy": [{"field": "metadata.name", "order": "desc"}],
         "fullTextFilter": {"term": "svc", "fields": ["metadata.name"]}, "fields": ["kind"],
         "totalItems": "exclude", "query": {"kind": "Component"}, "unknown": 1}"""));
    assertEquals(5, r.limit());
    assertEquals(2, r.offset());
    assertEquals(List.of(new OrderField("metadata.name", true)), r.orderFields());
    assertEquals(new FullTextFilter("svc", List.of("metadata.name")), r.fullText());
    assertEquals(List.of("kind"), r.fields().fields());
    assertFalse(r.countTotal());
    assertEquals(new EntityPredicate.ValueIn("kind", List.of("component")), r.filter());
    assertNull(r.cursor());
  }

  @Test
  void post_query_defaults_and_cursor_follow_up() throws Exception {
    QueryRequest empty = CatalogBodies.parseQuery(MissingNode.getInstance());
    assertEquals(200, empty.limit());
    assertTrue(empty.countTotal());
    QueryRequest next = CatalogBodies.parseQuery(json("{\"cursor\":\"c1\",\"limit\":500,\"fields\":[\"kind\"],\"query\":{\"$bad\":1}}"));
    assertEquals("c1", next.cursor());
    assertEquals(500, next.limit());
    assertEquals(new EntityPredicate.MatchAll(), next.filter());
  }

  @Test
  void post_query_rejects_wrong_types() {
    for (String bad : List.of("[]", "{\"limit\":\"5\"}", "{\"limit\":-1}", "{\"limit\":1.5}",
        "{\"orderBy\":{}}", "{\"orderBy\":[{\"order\":\"asc\"}]}", "{\"orderBy\":[{\"field\":\"a\",\"order\":\"up\"}]}",
        "{\"fields\":\"kind\"}", "{\"totalItems\":\"all\"}", "{\"query\":\"kind\"}", "{\"fullTextFilter\":\"x\"}")) {
      assertThrows(InputException.class, () -> CatalogBodies.parseQuery(json(bad)), bad);
    }
  }

  @Test
  void by_refs_ands_query_string_filter_with_body_query_and_unions_fields() throws Exception {
    CatalogBodies.ByRefs r = CatalogBodies.parseByRefs(
        json("{\"entityRefs\":[\"component:default/a\"],\"fields\":[\"metadata.name\"],\"query\":{\"spec.type\":\"service\"}}"),
        Map.of("filter", List.of("kind=component"), "fields", List.of("kind")), 1000);
    assertEquals(List.of("component:default/a"), r.entityRefs());
    assertEquals(new EntityPredicate.All(List.of(
        new EntityPredicate.ValueIn("kind", List.of("component")),
        new EntityPredicate.ValueIn("spec.type", List.of("service")))), r.filter());
    assertEquals(List.of("kind", "metadata.name"), r.fields().fields());
  }

  @Test
  void by_refs_needs_an_array_of_strings() {
    for (String bad : List.of("{}", "[]", "{\"entityRefs\":\"a\"}", "{\"entityRefs\":[1]}")) {
      assertThrows(InputException.class, () -> CatalogBodies.parseByRefs(json(bad), Map.of(), 1000), bad);
    }
  }

  @Test
  void facets_need_at_least_one_facet() throws Exception {
    InputException e = assertThrows(InputException.class, () -> CatalogBodies.parseFacetParams(Map.of("facet", List.of(" "))));
    assertEquals("Missing facet parameter", e.getMessage());
    assertThrows(InputException.class, () -> CatalogBodies.parseFacetBody(json("{}")));
    CatalogBodies.Facets f = CatalogBodies.parseFacetParams(Map.of("facet", List.of("relations.ownedBy", "kind"),
        "filter", List.of("kind=component")));
    assertEquals(List.of("relations.ownedBy", "kind"), f.facets());
    assertEquals(new EntityPredicate.ValueIn("kind", List.of("component")), f.filter());
  }

  @Test
  void location_input_is_strict() throws Exception {
    assertEquals(new CatalogBodies.LocationInput("url", "https://x/y.yaml"),
        CatalogBodies.parseLocationInput(json("{\"type\":\"url\",\"target\":\"https://x/y.yaml\",\"presence\":\"optional\"}")));
    for (String bad : List.of("{}", "[]", "{\"type\":\"url\"}", "{\"type\":\"url\",\"target\":\"t\",\"extra\":1}",
        "{\"type\":1,\"target\":\"t\"}", "{\"type\":\"url\",\"target\":\"t\",\"presence\":\"maybe\"}")) {
      assertThrows(InputException.class, () -> CatalogBodies.parseLocationInput(json(bad)), bad);
    }
  }

  @Test
  void location_query_defaults_to_1000_and_restricts_keys() throws Exception {
    CatalogBodies.LocationQuery q = CatalogBodies.parseLocationQuery(MissingNode.getInstance());
    assertEquals(1000, q.limit());
    assertThrows(InputException.class, () -> CatalogBodies.parseLocationQuery(json("{\"limit\":0}")));
    assertThrows(InputException.class, () -> CatalogBodies.parseLocationQuery(json("{\"query\":{\"kind\":\"x\"}}")));
  }
}
