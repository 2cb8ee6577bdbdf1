package org.meshportal.catalog.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Large item bodies gzipped for clients that ask, the same JSON as plain; reused bodies (gzip,
 * search JSON) never stale after a write.
 */
class CompressedReadsHttpTest {
  private static final int COMPONENTS = 40;

  @TempDir Path dir;
  CatalogFixture fixture;
  TestServer s;
  String auth;

  @BeforeEach
  void start() throws IOException {
    fixture = CatalogFixture.start(dir);
    s = fixture.server;
    auth = "Bearer " + s.guestToken();
    StringBuilder yaml = new StringBuilder();
    String description = "a long description ".repeat(40);
    for (int i = 0; i < COMPONENTS; i++) {
      yaml.append("""
          apiVersion: backstage.io/v1alpha1
          kind: Component
          metadata:
            name: big-%02d
            description: %s
          spec:
            type: service
            lifecycle: production
            owner: team-a
          ---
          """.formatted(i, description));
    }
    Path big = dir.resolve("big.yaml");
    Files.writeString(big, yaml);
    TestServer.Response added = s.send("POST", "/api/catalog/locations",
        "{\"type\":\"url\",\"target\":\"" + big.toUri() + "\"}", "Authorization", auth);
    assertEquals(201, added.status(), added.body());
  }

  @AfterEach
  void stop() {
    fixture.close();
  }

  @Test
  void large_list_is_gzipped_when_asked_and_follows_writes() {
    String path = "/api/catalog/entities?filter=kind=component";
    byte[] plain = plain("GET", path, null);
    assertTrue(plain.length >= Json.MIN_COMPRESSED_BYTES, "fixture too small: " + plain.length);
    byte[] first = gunzipped("GET", path, null);
    assertArrayEquals(plain, first);
    assertArrayEquals(plain, gunzipped("GET", path, null), "the repeated read");

    String uid = s.get("/api/catalog/entities/by-name/component/default/big-07", "Authorization", auth)
        .json().at("/metadata/uid").asText();
    assertEquals(204, s.send("DELETE", "/api/catalog/entities/by-uid/" + uid, null, "Authorization", auth).status());
    byte[] after = gunzipped("GET", path, null);
    assertFalse(new String(after, StandardCharsets.UTF_8).contains("big-07"), "a deleted entity is gone at once");
    assertArrayEquals(plain("GET", path, null), after);
  }

  @Test
  void by_refs_and_by_query_bodies_are_the_same_json_either_way() throws IOException {
    StringBuilder refs = new StringBuilder("{\"entityRefs\":[");
    for (int i = 0; i < COMPONENTS; i++) {
      refs.append(i == 0 ? "" : ",").append("\"component:default/big-%02d\"".formatted(i));
    }
    String body = refs.append(",\"component:default/missing\"]}").toString();
    byte[] plain = plain("POST", "/api/catalog/entities/by-refs", body);
    assertArrayEquals(plain, gunzipped("POST", "/api/catalog/entities/by-refs", body));
    assertTrue(new String(plain, StandardCharsets.UTF_8).endsWith(",null]}"));

    String query = "/api/catalog/entities/by-query?filter=kind=component&limit=30&orderField=metadata.name,desc";
    byte[] page = plain("GET", query, null);
    assertArrayEquals(page, gunzipped("GET", query, null));
    assertTrue(TestServer.MAPPER.readTree(page).at("/pageInfo/nextCursor").isTextual());
  }

  @Test
  void a_repeated_search_is_answered_the_same_until_a_write_changes_it() {
    String path = "/api/search/query?term=big&types%5B0%5D=software-catalog&pageLimit=100";
    TestServer.Response first = s.get(path, "Authorization", auth);
    assertEquals(200, first.status(), first.body());
    assertEquals(COMPONENTS, first.json().get("numberOfResults").asInt());
    assertEquals(first.body(), s.get(path, "Authorization", auth).body());

    String uid = s.get("/api/catalog/entities/by-name/component/default/big-03", "Authorization", auth)
        .json().at("/metadata/uid").asText();
    assertEquals(204, s.send("DELETE", "/api/catalog/entities/by-uid/" + uid, null, "Authorization", auth).status());
    TestServer.Response after = s.get(path, "Authorization", auth);
    assertEquals(COMPONENTS - 1, after.json().get("numberOfResults").asInt());
    assertFalse(after.body().contains("big-03"));
  }

  private byte[] plain(String method, String path, String body) {
    TestServer.RawResponse r = s.sendRaw(method, path, body, "Authorization", auth);
    assertEquals(200, r.status());
    assertNull(r.header("Content-Encoding"));
    assertEquals(Integer.toString(r.body().length), r.header("Content-Length"));
    return r.body();
  }

  private byte[] gunzipped(String method, String path, String body) {
    TestServer.RawResponse r = s.sendRaw(method, path, body, "Authorization", auth, "Accept-Encoding", "gzip, deflate");
    assertEquals(200, r.status());
    assertEquals("gzip", r.header("Content-Encoding"));
    try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(r.body()))) {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
