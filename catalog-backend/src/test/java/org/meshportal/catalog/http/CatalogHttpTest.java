package org.meshportal.catalog.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Read-only catalog endpoints against the real engine and index (one fixture for the class). */
class CatalogHttpTest {
  @TempDir static Path dir;
  static CatalogFixture fixture;
  static TestServer s;
  static String auth;

  @BeforeAll
  static void start() {
    fixture = CatalogFixture.start(dir);
    s = fixture.server;
    auth = "Bearer " + s.guestToken();
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  private static TestServer.Response get(String path) {
    return s.get("/api/catalog" + path, "Authorization", auth);
  }

  private static TestServer.Response post(String path, String body) {
    return s.post("/api/catalog" + path, body, "Authorization", auth);
  }

  private static String enc(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static List<String> names(JsonNode items) {
    List<String> names = new ArrayList<>();
    items.forEach(e -> names.add(e.isNull() ? null : e.at("/metadata/name").asText()));
    return names;
  }

  private static void assertError(TestServer.Response r, int status, String name, String message, String method, String url) {
    assertEquals(status, r.status(), r.body());
    assertTrue(r.header("content-type").startsWith("application/json"));
    assertEquals(name, r.json().at("/error/name").asText());
    assertEquals(message, r.json().at("/error/message").asText());
    assertEquals(method, r.json().at("/request/method").asText());
    assertEquals(url, r.json().at("/request/url").asText());
    assertEquals(status, r.json().at("/response/statusCode").asInt());
  }

  @Test
  void by_name_serves_the_index_bytes_case_insensitively() {
    TestServer.Response r = get("/entities/by-name/Component/default/SERVICE-A");
    assertEquals(200, r.status());
    SpecSchemas.assertMatches("catalog", "GET", "/entities/by-name/{kind}/{namespace}/{name}", r);
    assertEquals(new String(fixture.index.byRef("component:default/service-a").orElseThrow(), StandardCharsets.UTF_8), r.body());
    assertEquals("Service A", r.json().at("/metadata/title").asText());
    assertTrue(r.json().get("relations").isArray());
  }

  @Test
  void by_name_404_message_is_exact() {
    TestServer.Response r = get("/entities/by-name/component/default/nope");
    assertError(r, 404, "NotFoundError", "No entity named 'nope' found, with kind 'component' in namespace 'default'",
        "GET", "/entities/by-name/component/default/nope");
    SpecSchemas.assertMatches("catalog", "GET", "/entities/by-name/{kind}/{namespace}/{name}", r);
  }

  @Test
  void by_uid_reads_and_404s() {
    String uid = get("/entities/by-name/component/default/lib-c").json().at("/metadata/uid").asText();
    TestServer.Response r = get("/entities/by-uid/" + uid);
    assertEquals(200, r.status());
    assertEquals("lib-c", r.json().at("/metadata/name").asText());
    assertError(get("/entities/by-uid/nope"), 404, "NotFoundError", "No entity with uid nope", "GET", "/entities/by-uid/nope");
  }

  @Test
  void list_entities_filters_orders_and_projects() {
    TestServer.Response r = get("/entities?filter=" + enc("kind=component") + "&order=" + enc("asc:metadata.name")
        + "&fields=" + enc("kind,metadata.name"));
    assertEquals(200, r.status());
    SpecSchemas.assertMatches("catalog", "GET", "/entities", r);
    assertEquals(List.of("lib-c", "service-a", "Service-B"), names(r.json()));
    JsonNode first = r.json().get(0);
    assertEquals(2, first.size());
    assertEquals(1, first.get("metadata").size());
    assertNull(r.header("link"));
  }

  @Test
  void list_entities_ors_filter_params_and_same_keys() {
    TestServer.Response two = get("/entities?filter=" + enc("kind=api") + "&filter=" + enc("kind=group,metadata.name=team-b"));
    assertEquals(List.of("api-a", "team-b"), names(two.json()).stream().sorted().toList());
    TestServer.Response same = get("/entities?filter=" + enc("kind=component,relations.ownedBy=group:default/team-a,relations.ownedBy=group:default/team-b")
        + "&order=" + enc("desc:metadata.name"));
    assertEquals(List.of("Service-B", "service-a", "lib-c"), names(same.json()));
  }

  @Test
  void paginated_list_sends_a_next_link_that_can_be_followed() {
    TestServer.Response page1 = get("/entities?filter=" + enc("kind=component") + "&order=" + enc("asc:metadata.name")
        + "&limit=2&offset=0");
    assertEquals(List.of("lib-c", "service-a"), names(page1.json()));
    String link = page1.header("link");
    assertNotNull(link);
    assertTrue(link.startsWith("</entities?") && link.endsWith(">; rel=\"next\""), link);
    assertFalse(link.contains("offset="), link);
    String next = link.substring(1, link.indexOf('>'));
    TestServer.Response page2 = get(next);
    assertEquals(List.of("Service-B"), names(page2.json()));
    assertNull(page2.header("link"));
  }

  @Test
  void list_entities_rejects_bad_order_with_the_exact_message_and_raw_url() {
    TestServer.Response r = get("/entities?order=metadata.name&foo=bar");
    assertError(r, 400, "InputError", "Invalid order parameter \"metadata.name\", expected \"<asc or desc>:<field name>\"",
        "GET", "/entities?order=metadata.name&foo=bar");
    SpecSchemas.assertMatches("catalog", "GET", "/entities", r);
    assertEquals(400, get("/entities?limit=0").status());
    assertEquals(400, get("/entities?filter=" + enc("=x")).status());
    assertEquals(400, get("/entities?fields=" + enc("spec.a[0]")).status());
    assertEquals(400, get("/entities?limit=2&after=%21%21notacursor").status());
  }

  @Test
  void by_query_counts_pages_and_follows_cursors_on_get_and_post() {
    String query = "/entities/by-query?filter=" + enc("kind=component") + "&orderField=" + enc("metadata.name,asc") + "&limit=1";
    TestServer.Response p1 = get(query);
    assertEquals(200, p1.status());
    SpecSchemas.assertMatches("catalog", "GET", "/entities/by-query", p1);
    assertEquals(3, p1.json().get("totalItems").asInt());
    assertEquals(List.of("lib-c"), names(p1.json().get("items")));
    assertFalse(p1.json().at("/pageInfo").has("prevCursor"));
    String cursor = p1.json().at("/pageInfo/nextCursor").asText();

    TestServer.Response p2 = get("/entities/by-query?limit=1&cursor=" + enc(cursor));
    assertEquals(List.of("service-a"), names(p2.json().get("items")));
    assertEquals(3, p2.json().get("totalItems").asInt());
    assertTrue(p2.json().at("/pageInfo").has("prevCursor"));

    TestServer.Response p2post = post("/entities/by-query", "{\"cursor\":\"" + cursor + "\",\"limit\":5}");
    SpecSchemas.assertMatches("catalog", "POST", "/entities/by-query", p2post);
    assertEquals(List.of("service-a", "Service-B"), names(p2post.json().get("items")));
    assertFalse(p2post.json().at("/pageInfo").has("nextCursor"));
  }

  @Test
  void by_query_limit_zero_counts_only_and_total_items_can_be_excluded() {
    TestServer.Response count = get("/entities/by-query?limit=0&orderField=" + enc("metadata.name,asc")
        + "&filter=" + enc("relations.ownedBy=group:default/team-a"));
    assertEquals(0, count.json().get("items").size());
    assertEquals(3, count.json().get("totalItems").asInt());
    TestServer.Response excluded = get("/entities/by-query?totalItems=exclude&filter=" + enc("kind=group"));
    assertEquals(0, excluded.json().get("totalItems").asInt());
    assertEquals(2, excluded.json().get("items").size());
    assertEquals("{}", excluded.json().get("pageInfo").toString());
  }

  @Test
  void by_query_default_limit_full_text_and_errors() {
    TestServer.Response all = get("/entities/by-query");
    assertEquals(7, all.json().get("totalItems").asInt(), all.body());
    TestServer.Response ft = get("/entities/by-query?fullTextFilterTerm=STORE&fullTextFilterFields=" + enc("metadata.description,metadata.name"));
    assertEquals(List.of("Service-B"), names(ft.json().get("items")));
    assertError(get("/entities/by-query?orderField=" + enc("metadata.name,up")), 400, "InputError",
        "Invalid order field order, must be asc or desc", "GET", "/entities/by-query?orderField=metadata.name%2Cup");
    assertEquals(400, get("/entities/by-query?totalItems=all").status());
    assertEquals(400, get("/entities/by-query?limit=-1").status());
  }

  @Test
  void post_by_query_takes_predicates() {
    TestServer.Response r = post("/entities/by-query",
        "{\"query\":{\"$all\":[{},{\"kind\":\"component\"},{\"relations\":{\"$contains\":{\"type\":\"ownedBy\",\"targetRef\":\"group:default/team-a\"}}}]},"
            + "\"orderBy\":[{\"field\":\"metadata.name\",\"order\":\"desc\"}],\"fields\":[\"metadata.name\"]}");
    assertEquals(200, r.status(), r.body());
    assertEquals(List.of("service-a", "lib-c"), names(r.json().get("items")));
    TestServer.Response bad = post("/entities/by-query", "{\"query\":{\"kind\":{\"$regex\":\"x\"}}}");
    assertEquals(400, bad.status());
    assertTrue(bad.json().at("/error/message").asText().startsWith("Invalid filter predicate value"));
    SpecSchemas.assertMatches("catalog", "POST", "/entities/by-query", bad);
    TestServer.Response malformed = post("/entities/by-query", "{\"query\":");
    assertEquals(400, malformed.status());
    assertTrue(malformed.json().at("/error/message").asText()
        .startsWith("Malformed request body (did you remember to specify an application/json content type?)"));
  }

  @Test
  void by_refs_keeps_request_order_with_nulls_and_ands_filters() {
    TestServer.Response r = post("/entities/by-refs?fields=" + enc("kind,metadata.name"),
        "{\"entityRefs\":[\"api:default/api-a\",\"component:default/missing\",\"component:default/service-a\"]}");
    assertEquals(200, r.status());
    SpecSchemas.assertMatches("catalog", "POST", "/entities/by-refs", r);
    assertEquals(java.util.Arrays.asList("api-a", null, "service-a"), names(r.json().get("items")));
    TestServer.Response filtered = post("/entities/by-refs?filter=" + enc("kind=component"),
        "{\"entityRefs\":[\"api:default/api-a\",\"component:default/service-a\"],\"query\":{\"spec.type\":\"service\"}}");
    assertEquals(java.util.Arrays.asList(null, "service-a"), names(filtered.json().get("items")));
    assertEquals("{\"items\":[]}", post("/entities/by-refs", "{\"entityRefs\":[]}").body());
    assertEquals(400, post("/entities/by-refs", "{}").status());
  }

  @Test
  void facets_keep_requested_keys_and_original_case_values() {
    TestServer.Response r = get("/entity-facets?facet=kind&facet=relations.ownedBy&facet=spec.nothing&filter=" + enc("kind=component,kind=api"));
    assertEquals(200, r.status());
    SpecSchemas.assertMatches("catalog", "GET", "/entity-facets", r);
    JsonNode facets = r.json().get("facets");
    assertEquals("[{\"value\":\"API\",\"count\":1},{\"value\":\"Component\",\"count\":3}]", facets.get("kind").toString());
    assertEquals(2, facets.get("relations.ownedBy").size());
    assertEquals("[]", facets.get("spec.nothing").toString());
    assertError(get("/entity-facets"), 400, "InputError", "Missing facet parameter", "GET", "/entity-facets");
    TestServer.Response p = post("/entity-facets", "{\"facets\":[\"spec.lifecycle\"],\"query\":{\"kind\":\"component\"}}");
    SpecSchemas.assertMatches("catalog", "POST", "/entity-facets", p);
    assertEquals("[{\"value\":\"experimental\",\"count\":1},{\"value\":\"production\",\"count\":2}]",
        p.json().at("/facets/spec.lifecycle").toString());
  }

  @Test
  void ancestry_lists_the_entity_first() {
    TestServer.Response r = get("/entities/by-name/component/default/service-a/ancestry");
    assertEquals(200, r.status(), r.body());
    SpecSchemas.assertMatches("catalog", "GET", "/entities/by-name/{kind}/{namespace}/{name}/ancestry", r);
    assertEquals("component:default/service-a", r.json().get("rootEntityRef").asText());
    assertEquals("service-a", r.json().at("/items/0/entity/metadata/name").asText());
    assertEquals(404, get("/entities/by-name/component/default/nope/ancestry").status());
  }

  @Test
  void refresh_answers_exactly_200_with_an_empty_body() {
    TestServer.Response r = post("/refresh", "{\"entityRef\":\"component:default/service-a\"}");
    assertEquals(200, r.status());
    assertEquals("", r.body());
    assertEquals(200, post("/refresh", "{\"entityRef\":\"component:default/unknown\"}").status());
    assertEquals(400, post("/refresh", "{}").status());
  }

  @Test
  void validate_entity_answers_200_empty_or_400_errors() {
    String valid = "{\"location\":\"url:https://example.com/catalog-info.yaml\",\"entity\":{\"apiVersion\":\"backstage.io/v1alpha1\","
        + "\"kind\":\"Component\",\"metadata\":{\"name\":\"x\"},\"spec\":{\"type\":\"service\",\"lifecycle\":\"production\",\"owner\":\"team-a\"}}}";
    TestServer.Response ok = post("/validate-entity", valid);
    assertEquals(200, ok.status(), ok.body());
    assertEquals("", ok.body());
    TestServer.Response invalid = post("/validate-entity", valid.replace("\"name\":\"x\"", "\"name\":\"not valid!\""));
    assertEquals(400, invalid.status());
    SpecSchemas.assertMatches("catalog", "POST", "/validate-entity", invalid);
    assertFalse(invalid.json().get("errors").isEmpty());
    TestServer.Response badLocation = post("/validate-entity", valid.replace("url:https", "file:https"));
    assertEquals(400, badLocation.status());
    assertEquals("InputError", badLocation.json().at("/errors/0/name").asText());
  }

  @Test
  void validate_entity_request_shape_errors_use_the_standard_error_body() {
    String entity = "{\"apiVersion\":\"backstage.io/v1alpha1\",\"kind\":\"Component\",\"metadata\":{\"name\":\"x\"}}";
    String[][] cases = {
        {"[]", "request/body must be object"},
        {"{\"entity\":" + entity + "}", "request/body must have required property 'location'"},
        {"{\"location\":\"url:https://example.com/x.yaml\"}", "request/body must have required property 'entity'"},
        {"{\"location\":7,\"entity\":" + entity + "}", "request/body/location must be string"},
        {"{\"location\":\"url:https://example.com/x.yaml\",\"entity\":\"x\"}", "request/body/entity must be object"}};
    for (String[] c : cases) {
      TestServer.Response r = post("/validate-entity", c[0]);
      assertEquals(400, r.status(), c[0]);
      assertEquals("InputError", r.json().at("/error/name").asText(), r.body());
      assertEquals(c[1], r.json().at("/error/message").asText());
      assertEquals(400, r.json().at("/response/statusCode").asInt());
      assertEquals("POST", r.json().at("/request/method").asText());
    }
  }

  @Test
  void openapi_document_is_served_as_json() {
    TestServer.Response r = get("/openapi.json");
    assertEquals(200, r.status());
    assertEquals("3.1.0", r.json().get("openapi").asText());
    assertTrue(r.json().at("/paths").has("/entities/by-query"));
  }
}
