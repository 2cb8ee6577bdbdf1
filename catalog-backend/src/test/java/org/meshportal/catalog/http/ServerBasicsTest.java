package org.meshportal.catalog.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshportal.catalog.auth.AuthSettings;

class ServerBasicsTest {
  private static final AuthSettings AUTH = AuthSettings.defaults("http://localhost:7007/api/auth");

  private static HttpServer.Builder builder() {
    return HttpServer.builder(TestServer.settings(), AUTH);
  }

  @Test
  void readiness_is_503_until_ready_and_while_shutting_down() {
    HttpServer server = builder().build().start();
    try (TestServer s = TestServer.wrap(server)) {
      TestServer.Response before = s.get("/.backstage/health/v1/readiness");
      assertEquals(503, before.status());
      assertEquals("{\"message\":\"Backend has not started yet\",\"status\":\"error\"}", before.body());
      assertTrue(before.header("content-type").startsWith("application/json"));
      assertEquals(200, s.get("/.backstage/health/v1/liveness").status());
      TestServer.Response early = s.get("/api/auth/guest/refresh");
      assertEquals(503, early.status());
      assertEquals("ServiceUnavailableError", early.json().path("error").path("name").asText(), early.body());

      server.markReady();
      assertEquals(200, s.get("/api/auth/guest/refresh").status());
      TestServer.Response ready = s.get("/.backstage/health/v1/readiness");
      assertEquals(200, ready.status());
      assertEquals("{\"status\":\"ok\"}", ready.body());
      SpecSchemas.assertMatches("health", "GET", "/.backstage/health/v1/readiness", ready);

      server.beginShutdown();
      TestServer.Response stopping = s.get("/.backstage/health/v1/readiness");
      assertEquals(503, stopping.status());
      assertEquals("{\"message\":\"Backend is shutting down\",\"status\":\"error\"}", stopping.body());
      SpecSchemas.assertMatches("health", "GET", "/.backstage/health/v1/readiness", stopping);
      TestServer.Response live = s.get("/.backstage/health/v1/liveness");
      assertEquals("{\"status\":\"ok\"}", live.body());
      SpecSchemas.assertMatches("health", "GET", "/.backstage/health/v1/liveness", live);
    }
  }

  @Test
  void unknown_paths_are_404_with_an_empty_body() {
    try (TestServer s = TestServer.start(builder())) {
      String token = "Bearer " + s.guestToken();
      for (String path : List.of("/nope", "/api/nope/x", "/api/permission/nope", "/.backstage/health/v1/nope")) {
        TestServer.Response r = s.get(path, "Authorization", token);
        assertEquals(404, r.status(), path);
        assertEquals("", r.body(), path);
      }
      // a known path with an unrouted method
      assertEquals(404, s.send("DELETE", "/api/permission/authorize", null, "Authorization", token).status());
    }
  }

  @Test
  void no_cors_headers_without_cors_settings() {
    try (TestServer s = TestServer.start(builder())) {
      TestServer.Response r = s.get("/.backstage/health/v1/liveness", "Origin", "http://localhost:3000");
      assertNull(r.header("access-control-allow-origin"));
    }
  }

  @Test
  void cors_echoes_allowed_origins_and_answers_preflights_with_204() {
    CorsSettings cors = new CorsSettings(List.of("http://localhost:3000", "https://*.example.COM"), null, null, null, true, 600);
    try (TestServer s = TestServer.start(builder().cors(cors))) {
      TestServer.Response preflight = s.send("OPTIONS", "/api/catalog/entities/by-query", null,
          "Origin", "https://portal.example.com",
          "Access-Control-Request-Method", "GET",
          "Access-Control-Request-Headers", "authorization,content-type,x-requested-with");
      assertEquals(204, preflight.status());
      assertEquals("https://portal.example.com", preflight.header("access-control-allow-origin"));
      assertEquals("true", preflight.header("access-control-allow-credentials"));
      assertEquals("GET,HEAD,PATCH,POST,PUT,DELETE", preflight.header("access-control-allow-methods"));
      assertEquals("authorization,content-type,x-requested-with", preflight.header("access-control-allow-headers"));
      assertEquals("600", preflight.header("access-control-max-age"));
      assertEquals("", preflight.body());

      TestServer.Response simple = s.get("/api/auth/guest/refresh", "Origin", "http://LOCALHOST:3000");
      assertEquals(200, simple.status());
      assertEquals("http://LOCALHOST:3000", simple.header("access-control-allow-origin"));

      TestServer.Response foreign = s.get("/api/auth/guest/refresh", "Origin", "http://evil.test");
      assertNull(foreign.header("access-control-allow-origin"));
      // errors carry CORS headers too, so the browser can read them
      TestServer.Response denied = s.get("/api/permission/openapi.json", "Origin", "http://localhost:3000");
      assertEquals(401, denied.status());
      assertEquals("http://localhost:3000", denied.header("access-control-allow-origin"));
    }
  }

  @Test
  void configured_allowed_headers_replace_reflection() {
    CorsSettings cors = new CorsSettings(List.of("*"), List.of("GET"), List.of("Authorization"), null, false, null);
    try (TestServer s = TestServer.start(builder().cors(cors))) {
      TestServer.Response preflight = s.send("OPTIONS", "/api/search/query", null,
          "Origin", "http://a.test", "Access-Control-Request-Method", "GET", "Access-Control-Request-Headers", "x-custom");
      assertEquals(204, preflight.status());
      assertEquals("http://a.test", preflight.header("access-control-allow-origin"));
      assertEquals("Authorization", preflight.header("access-control-allow-headers"));
      assertNull(preflight.header("access-control-allow-credentials"));
    }
  }

  @Test
  void serves_the_app_bundle_with_runtime_config_and_spa_fallback(@TempDir Path dist, @TempDir Path outside) throws Exception {
    Files.writeString(dist.resolve("index.html"), "<html><head><title>x</title></head><body></body></html>");
    Files.createDirectories(dist.resolve("static"));
    Files.writeString(dist.resolve("static/main.abc.js"), "console.log(1)");
    Files.writeString(dist.resolve("manifest.json"), "{}");
    Files.writeString(outside.resolve("secret.txt"), "secret");
    AppSettings app = new AppSettings(dist, "http://localhost:7007");
    try (TestServer s = TestServer.start(builder().app(app))) {
      TestServer.Response index = s.get("/catalog/default/component/foo");
      assertEquals(200, index.status());
      assertEquals("text/html;charset=utf-8", index.header("content-type").replace(" ", ""));
      assertEquals("no-store", index.header("cache-control"));
      assertEquals("<html><head><title>x</title><script type=\"backstage.io/config\">"
          + "[{\"context\":\"runtime\",\"data\":{\"app\":{\"baseUrl\":\"http://localhost:7007\"},"
          + "\"backend\":{\"baseUrl\":\"http://localhost:7007\"}}}]</script></head><body></body></html>",
          index.body());
      assertEquals(index.body(), s.get("/").body());
      assertEquals(index.body(), s.get("/index.html").body());

      TestServer.Response js = s.get("/static/main.abc.js");
      assertEquals(200, js.status());
      assertEquals("text/javascript;charset=utf-8", js.header("content-type").replace(" ", ""));
      assertEquals("public, max-age=31536000, immutable", js.header("cache-control"));
      assertEquals("console.log(1)", js.body());

      TestServer.Response manifest = s.get("/manifest.json");
      assertEquals("application/json", manifest.header("content-type"));
      assertEquals("no-store", manifest.header("cache-control"));

      assertEquals(404, s.get("/static/missing.js").status());
      assertEquals("", s.get("/api/unknown", "Authorization", "Bearer " + s.guestToken()).body());
      assertEquals(404, s.get("/api/unknown", "Authorization", "Bearer " + s.guestToken()).status());
      for (String escape : List.of("/../" + outside.getFileName() + "/secret.txt", "/%2e%2e/" + outside.getFileName() + "/secret.txt",
          "/static/..%2f..%2f" + outside.getFileName() + "%2fsecret.txt")) {
        TestServer.Response r = s.get(escape);
        assertFalse(r.body().contains("secret"), escape + " -> " + r.status());
      }
    }
  }

  @Test
  void requests_jetty_rejects_still_get_the_json_error_envelope() throws Exception {
    try (TestServer s = TestServer.start(builder())) {
      for (String target : List.of("/api/catalog/entities/by-name/a/b/%ZZ", "/%2e%2e/etc/passwd")) {
        try (Socket socket = new Socket("127.0.0.1", s.server.port())) {
          socket.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
          String raw = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
          assertTrue(raw.startsWith("HTTP/1.1 400"), raw);
          assertTrue(raw.toLowerCase(java.util.Locale.ROOT).contains("content-type: application/json"), raw);
          JsonNode body = TestServer.MAPPER.readTree(raw.substring(raw.indexOf("\r\n\r\n") + 4));
          assertEquals("InputError", body.at("/error/name").asText());
          assertEquals(400, body.at("/response/statusCode").asInt());
        }
      }
    }
  }
}
