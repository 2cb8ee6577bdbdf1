package org.meshportal.catalog.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Location and delete endpoints, each test on a fresh catalog. */
class CatalogWritesHttpTest {
  private static final String EXTRA = """
      apiVersion: backstage.io/v1alpha1
      kind: Component
      metadata:
        name: extra-d
      spec:
        type: service
        lifecycle: production
        owner: team-a
      """;

  @TempDir Path dir;
  CatalogFixture fixture;
  TestServer s;
  String auth;
  String extraUrl;

  @BeforeEach
  void start() throws Exception {
    fixture = CatalogFixture.start(dir);
    s = fixture.server;
    auth = "Bearer " + s.guestToken();
    Path extra = dir.resolve("extra.yaml");
    Files.writeString(extra, EXTRA);
    extraUrl = extra.toUri().toString();
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  private TestServer.Response send(String method, String path, String body) {
    return s.send(method, "/api/catalog" + path, body, "Authorization", auth);
  }

  private String locationBody() {
    return "{\"type\":\"url\",\"target\":\"" + extraUrl + "\"}";
  }

  @Test
  void location_lifecycle_with_exact_status_codes() {
    TestServer.Response empty = send("GET", "/locations", null);
    assertEquals("[]", empty.body());

    TestServer.Response created = send("POST", "/locations", locationBody());
    assertEquals(201, created.status(), created.body());
    SpecSchemas.assertMatches("catalog", "POST", "/locations", created);
    assertEquals("[]", created.json().get("entities").toString());
    assertFalse(created.json().has("exists"));
    JsonNode location = created.json().get("location");
    String id = location.get("id").asText();
    assertEquals("url", location.get("type").asText());
    assertEquals(extraUrl, location.get("target").asText());
    // processed before the response: the entity is readable now
    assertEquals(200, send("GET", "/entities/by-name/component/default/extra-d", null).status());

    TestServer.Response conflict = send("POST", "/locations", locationBody());
    assertEquals(409, conflict.status());
    assertEquals("ConflictError", conflict.json().at("/error/name").asText());
    assertEquals("Location url:" + extraUrl + " already exists", conflict.json().at("/error/message").asText());
    SpecSchemas.assertMatches("catalog", "POST", "/locations", conflict);

    TestServer.Response refreshed = send("POST", "/locations?onConflict=refresh", locationBody());
    assertEquals(201, refreshed.status());
    assertEquals(id, refreshed.json().at("/location/id").asText());

    TestServer.Response list = send("GET", "/locations", null);
    SpecSchemas.assertMatches("catalog", "GET", "/locations", list);
    assertEquals(id, list.json().at("/0/data/id").asText());

    TestServer.Response one = send("GET", "/locations/" + id, null);
    assertEquals(200, one.status());
    SpecSchemas.assertMatches("catalog", "GET", "/locations/{id}", one);

    TestServer.Response byEntity = send("GET", "/locations/by-entity/component/default/extra-d", null);
    assertEquals(200, byEntity.status(), byEntity.body());
    assertEquals(id, byEntity.json().get("id").asText());

    TestServer.Response query = send("POST", "/locations/by-query", "{\"query\":{\"type\":\"url\"},\"limit\":10}");
    assertEquals(200, query.status(), query.body());
    SpecSchemas.assertMatches("catalog", "POST", "/locations/by-query", query);
    assertEquals(1, query.json().get("totalItems").asInt());
    assertEquals(400, send("POST", "/locations/by-query", "{\"query\":{\"kind\":\"x\"}}").status());

    TestServer.Response updated = send("PUT", "/locations/" + id, locationBody());
    assertEquals(200, updated.status(), updated.body());
    SpecSchemas.assertMatches("catalog", "PUT", "/locations/{id}", updated);

    TestServer.Response deleted = send("DELETE", "/locations/" + id, null);
    assertEquals(204, deleted.status());
    assertEquals("", deleted.body());
    assertEquals(404, send("GET", "/entities/by-name/component/default/extra-d", null).status());

    TestServer.Response gone = send("GET", "/locations/" + id, null);
    assertEquals(404, gone.status());
    assertEquals("Found no location with ID " + id, gone.json().at("/error/message").asText());
    assertEquals("/locations/" + id, gone.json().at("/request/url").asText());
    assertEquals(404, send("DELETE", "/locations/" + id, null).status());
  }

  @Test
  void dry_run_processes_without_storing() {
    TestServer.Response dry = send("POST", "/locations?dryRun=true", locationBody());
    assertEquals(201, dry.status(), dry.body());
    SpecSchemas.assertMatches("catalog", "POST", "/locations", dry);
    assertFalse(dry.json().get("exists").asBoolean());
    assertTrue(dry.json().get("entities").size() >= 1);
    assertEquals("[]", send("GET", "/locations", null).body());
  }

  @Test
  void location_input_errors_are_400() {
    assertEquals(400, send("POST", "/locations", "{\"type\":\"url\"}").status());
    assertEquals(400, send("POST", "/locations", "{\"type\":\"url\",\"target\":\"x\",\"bogus\":1}").status());
    assertEquals(400, send("POST", "/locations?dryRun=maybe", locationBody()).status());
    assertEquals(400, send("POST", "/locations?onConflict=merge", locationBody()).status());
    TestServer.Response type = send("POST", "/locations", "{\"type\":\"file\",\"target\":\"/etc/passwd\"}");
    assertEquals(400, type.status());
    assertEquals("InputError", type.json().at("/error/name").asText());
  }

  @Test
  void analyze_location_refuses_unlisted_hosts_and_malformed_bodies() {
    // Reading the repository goes through the sandbox: a host with no integration is refused.
    // (AnalyzeLocationTest covers the 200 answers against a real Git remote.)
    TestServer.Response r = send("POST", "/analyze-location",
        "{\"location\":{\"type\":\"url\",\"target\":\"https://example.com/acme/repo\"},\"catalogFileName\":\"extra.yaml\"}");
    assertEquals(403, r.status(), r.body());
    assertEquals("NotAllowedError", r.json().at("/error/name").asText());
    assertEquals(400, send("POST", "/analyze-location",
        "{\"location\":{\"type\":\"url\",\"target\":\"https://example.com/acme/repo\"},\"catalogFileName\":\"a/*\"}").status());
    assertEquals(400, send("POST", "/analyze-location", "{\"location\":\"x\"}").status());
    assertEquals(400, send("POST", "/analyze-location", "not json").status());
  }

  @Test
  void delete_by_uid_is_204_even_for_unknown_uids() {
    String uid = send("GET", "/entities/by-name/component/default/lib-c", null).json().at("/metadata/uid").asText();
    TestServer.Response r = send("DELETE", "/entities/by-uid/" + uid, null);
    assertEquals(204, r.status());
    assertEquals("", r.body());
    assertEquals(204, send("DELETE", "/entities/by-uid/unknown-uid", null).status());
  }

  @Test
  void an_unexpected_failure_is_a_500_with_a_log_id_only() {
    fixture.index.close();
    TestServer.Response r = send("GET", "/entities/by-name/component/default/lib-c", null);
    assertEquals(500, r.status());
    assertEquals("Error", r.json().at("/error/name").asText());
    assertTrue(r.json().at("/error/message").asText().matches("An internal error occurred logId=[0-9a-f]{16}"), r.body());
    assertEquals(500, r.json().at("/response/statusCode").asInt());
    assertFalse(r.body().contains("Exception"));
    assertFalse(r.json().get("error").has("stack"));
  }

  @Test
  void processing_errors_name_the_file_the_document_and_the_reason_and_keep_good_documents() throws Exception {
    Path bad = dir.resolve("mixed.yaml");
    Files.writeString(bad, EXTRA + "---\napiVersion: backstage.io/v1alpha1\nkind: Widget\nmetadata:\n  name: gadget\nspec: {}\n");
    TestServer.Response created = send("POST", "/locations",
        "{\"type\":\"url\",\"target\":\"" + bad.toUri() + "\"}");
    assertEquals(201, created.status(), created.body());

    TestServer.Response errors = send("GET", "/processing-errors", null);
    assertEquals(200, errors.status(), errors.body());
    SpecSchemas.assertMatches("catalog", "GET", "/processing-errors", errors);
    JsonNode widget = null;
    for (JsonNode item : errors.json().get("items")) {
      if (item.path("location").asText().endsWith("mixed.yaml") && item.path("documentIndex").asInt(-1) == 1) {
        widget = item;
      }
    }
    assertTrue(widget != null, errors.body());
    assertTrue(widget.path("error").path("message").asText().toLowerCase(java.util.Locale.ROOT).contains("widget"), widget.toString());
    assertEquals(200, send("GET", "/entities/by-name/component/default/extra-d", null).status());
  }
}
