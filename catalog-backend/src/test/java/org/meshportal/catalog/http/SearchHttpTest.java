package org.meshportal.catalog.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SearchHttpTest {
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

  private static TestServer.Response query(String qs) {
    return s.get("/api/search/query?" + qs, "Authorization", auth);
  }

  @Test
  void finds_catalog_documents_with_ranks_and_highlights() {
    TestServer.Response r = query("term=payments&types%5B0%5D=software-catalog");
    assertEquals(200, r.status(), r.body());
    SpecSchemas.assertMatches("search", "GET", "/query", r);
    JsonNode first = r.json().at("/results/0");
    assertEquals("software-catalog", first.get("type").asText());
    assertEquals("Service A", first.at("/document/title").asText());
    assertEquals("/catalog/default/component/service-a", first.at("/document/location").asText());
    assertFalse(first.get("document").has("authorization"));
    assertEquals(1, first.get("rank").asInt());
    if (first.has("highlight")) {
      assertTrue(first.at("/highlight/fields").isObject());
    }
  }

  @Test
  void empty_term_pages_through_everything() {
    TestServer.Response page = query("term=&pageLimit=2");
    assertEquals(200, page.status());
    SpecSchemas.assertMatches("search", "GET", "/query", page);
    assertEquals(2, page.json().get("results").size());
    assertTrue(page.json().has("nextPageCursor"));
    assertFalse(page.json().has("previousPageCursor"));
    TestServer.Response next = query("term=&pageLimit=2&pageCursor=" + page.json().get("nextPageCursor").asText());
    assertEquals(3, next.json().at("/results/0/rank").asInt());
    assertTrue(next.json().has("previousPageCursor"));
  }

  @Test
  void filters_in_bracket_notation() {
    TestServer.Response r = query("term=&filters%5Bkind%5D=Component&filters%5Blifecycle%5D%5B0%5D=experimental");
    assertEquals(200, r.status());
    assertEquals(1, r.json().get("results").size(), r.body());
    assertEquals("Service-B", r.json().at("/results/0/document/title").asText());
  }

  @Test
  void limits_are_400() {
    TestServer.Response tooMany = query("term=x&pageLimit=101");
    assertEquals(400, tooMany.status());
    assertEquals("InputError", tooMany.json().at("/error/name").asText());
    assertEquals("/query?term=x&pageLimit=101", tooMany.json().at("/request/url").asText());
    SpecSchemas.assertMatches("search", "GET", "/query", tooMany);
    assertEquals(400, query("term=" + "x".repeat(101)).status());
  }

  @Test
  void page_limit_zero_returns_only_the_count() {
    TestServer.Response all = query("term=");
    TestServer.Response counted = query("term=&types%5B0%5D=software-catalog&pageLimit=0");
    assertEquals(200, counted.status(), counted.body());
    assertEquals(0, counted.json().get("results").size());
    assertEquals(all.json().get("numberOfResults").asInt(), counted.json().get("numberOfResults").asInt());
    assertFalse(counted.json().has("nextPageCursor"));
  }
}
