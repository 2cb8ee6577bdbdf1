package org.meshportal.catalog.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 11, item 5: request limits answer 413/400 with Backstage's error body, over HTTP. */
class LimitsHttpTest {
  @TempDir Path dir;
  private CatalogFixture fixture;

  @AfterEach
  void stop() {
    if (fixture != null) {
      fixture.close();
    }
  }

  private TestServer server(long maxBody, int maxRefs) {
    fixture = CatalogFixture.start(dir, new HttpSettings("127.0.0.1", 0, "http://localhost:7007", maxBody, maxRefs));
    return fixture.server;
  }

  private static String auth(TestServer s) {
    return "Bearer " + s.guestToken();
  }

  private static void assertError(TestServer.Response r, int status, String name, String url) {
    assertEquals(status, r.status(), r.body().length() > 500 ? r.body().substring(0, 500) : r.body());
    JsonNode body = r.json();
    assertEquals(name, body.at("/error/name").asText());
    assertEquals("POST", body.at("/request/method").asText());
    assertEquals(url, body.at("/request/url").asText());
    assertEquals(status, body.at("/response/statusCode").asInt());
  }

  /** An API entity whose definition makes the JSON body about {@code chars} long, half of it escapes. */
  private static String apiEntity(int chars) {
    ObjectNode body = TestServer.MAPPER.createObjectNode();
    body.put("location", "url:https://example.com/catalog-info.yaml");
    ObjectNode entity = body.putObject("entity");
    entity.put("apiVersion", "backstage.io/v1alpha1").put("kind", "API");
    entity.putObject("metadata").put("name", "big");
    // "\"k\": \"v\"\n" is 9 characters of YAML and 14 in JSON: quotes and newlines are escaped
    String definition = "\"k\": \"v\"\n".repeat(chars / 14);
    entity.putObject("spec").put("type", "openapi").put("lifecycle", "production").put("owner", "team-a")
        .put("definition", definition);
    return body.toString();
  }

  @Test
  void the_default_body_limit_admits_a_max_file_size_entity_in_validate_entity() {
    TestServer s = server(HttpSettings.DEFAULT_MAX_REQUEST_BODY_BYTES, HttpSettings.DEFAULT_MAX_REFS_PER_REQUEST);
    // a definition of 5 MiB as YAML text (catalog.maxFileSizeBytes), about 7.8 MiB once JSON-escaped
    String body = apiEntity((int) (5L * 1024 * 1024 * 14 / 9));
    assertTrue(body.length() > 7 * 1024 * 1024);
    TestServer.Response r = s.post("/api/catalog/validate-entity", body, "Authorization", auth(s));
    assertEquals(200, r.status(), r.body());
  }

  @Test
  void a_body_over_the_limit_is_413_with_the_error_body() {
    TestServer s = server(64 * 1024, 1000);
    String token = auth(s);
    assertEquals(200, s.post("/api/catalog/validate-entity", apiEntity(60 * 1024), "Authorization", token).status());
    TestServer.Response r = s.post("/api/catalog/validate-entity", apiEntity(70 * 1024), "Authorization", token);
    assertError(r, 413, "PayloadTooLargeError", "/validate-entity");
    assertTrue(r.json().at("/error/message").asText().contains("65536"), r.body());
  }

  @Test
  void a_chunked_body_over_the_limit_is_413_too() throws Exception {
    TestServer s = server(64 * 1024, 1000);
    byte[] bytes = apiEntity(200 * 1024).getBytes(StandardCharsets.UTF_8);
    // no Content-Length: the limit must hold while the body is read, not only for declared lengths
    HttpRequest request = HttpRequest.newBuilder(URI.create(s.base + "/api/catalog/validate-entity"))
        .timeout(Duration.ofSeconds(10))
        .header("Content-Type", "application/json")
        .header("Authorization", auth(s))
        .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(bytes)))
        .build();
    HttpResponse<String> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    assertEquals(413, response.statusCode(), response.body());
    JsonNode body = TestServer.MAPPER.readTree(response.body());
    assertEquals("PayloadTooLargeError", body.at("/error/name").asText());
    assertEquals(413, body.at("/response/statusCode").asInt());
  }

  @Test
  void json_nested_deeper_than_the_limit_is_400_naming_the_limit() {
    TestServer s = server(HttpSettings.DEFAULT_MAX_REQUEST_BODY_BYTES, 1000);
    String token = auth(s);
    String deep = "{\"query\":" + "[".repeat(Json.MAX_NESTING_DEPTH + 1) + "]".repeat(Json.MAX_NESTING_DEPTH + 1) + "}";
    TestServer.Response r = s.post("/api/catalog/entities/by-query", deep, "Authorization", token);
    assertError(r, 400, "InputError", "/entities/by-query");
    assertTrue(r.json().at("/error/message").asText().contains("deeper than the limit of 100 levels"), r.body());
    // the same depth through any route, e.g. the permission plugin
    assertError(s.post("/api/permission/authorize", "{\"items\":" + "[".repeat(200) + "]".repeat(200) + "}",
        "Authorization", token), 400, "InputError", "/authorize");
    // a body within the limit is parsed (and then judged on its content)
    String shallow = "{\"items\":" + "[".repeat(50) + "]".repeat(50) + "}";
    TestServer.Response ok = s.post("/api/permission/authorize", shallow, "Authorization", token);
    assertFalse(ok.body().contains("deeper than"), ok.body());
  }

  @Test
  void by_refs_with_more_refs_than_the_limit_is_400() {
    TestServer s = server(HttpSettings.DEFAULT_MAX_REQUEST_BODY_BYTES, 1000);
    String token = auth(s);
    ArrayNode refs = TestServer.MAPPER.createArrayNode();
    for (int i = 0; i < 1000; i++) {
      refs.add("component:default/c" + i);
    }
    ObjectNode body = TestServer.MAPPER.createObjectNode();
    body.set("entityRefs", refs);
    TestServer.Response ok = s.post("/api/catalog/entities/by-refs", body.toString(), "Authorization", token);
    assertEquals(200, ok.status(), ok.body());
    assertEquals(1000, ok.json().get("items").size());
    refs.add("component:default/one-more");
    TestServer.Response r = s.post("/api/catalog/entities/by-refs", body.toString(), "Authorization", token);
    assertError(r, 400, "InputError", "/entities/by-refs");
    assertTrue(r.json().at("/error/message").asText().contains("limit of 1000"), r.body());
  }
}
