package org.meshportal.catalog.app;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshportal.catalog.config.ConfigException;
import org.meshportal.catalog.testing.LoopbackHttp;
import org.meshportal.catalog.testing.StderrCapture;

/** The auth and limit keys of issue 11, from a config file through the started server over HTTP. */
class ConfigKeysHttpTest {
  private static final String AUTHORIZE = "{\"items\":["
      + "{\"id\":\"read\",\"permission\":{\"type\":\"resource\",\"name\":\"catalog.entity.read\","
      + "\"attributes\":{\"action\":\"read\"},\"resourceType\":\"catalog-entity\"},\"resourceRef\":\"component:default/x\"},"
      + "{\"id\":\"delete\",\"permission\":{\"type\":\"resource\",\"name\":\"catalog.entity.delete\","
      + "\"attributes\":{\"action\":\"delete\"},\"resourceType\":\"catalog-entity\"},\"resourceRef\":\"component:default/x\"},"
      + "{\"id\":\"create\",\"permission\":{\"type\":\"basic\",\"name\":\"catalog.entity.create\",\"attributes\":{\"action\":\"create\"}}},"
      + "{\"id\":\"task\",\"permission\":{\"type\":\"basic\",\"name\":\"scaffolder.task.create\",\"attributes\":{\"action\":\"create\"}}}]}";

  @TempDir Path tmp;
  private Application app;

  @AfterEach
  void stop() {
    if (app != null) {
      app.close();
    }
  }

  /** The server on a free port with {@code yaml} layered over a base config file. */
  private LoopbackHttp start(String yaml) throws IOException {
    app = Application.start(configFiles(yaml), false, name -> null);
    return new LoopbackHttp("http://127.0.0.1:" + app.port());
  }

  private ConfigException startFails(String yaml) throws IOException {
    List<Path> files = configFiles(yaml);
    return assertThrows(ConfigException.class, () -> Application.start(files, false, name -> null).close());
  }

  private List<Path> configFiles(String yaml) throws IOException {
    Path base = Files.writeString(tmp.resolve("base-config.yaml"), """
        backend:
          listen:
            port: 0
          dataDir: %s
        """.formatted(tmp.resolve("data")));
    return List.of(base, Files.writeString(tmp.resolve("app-config.yaml"), yaml));
  }

  private static void assertError(LoopbackHttp.Response r, int status, String name, String message) {
    assertEquals(status, r.status(), r.body());
    assertEquals(name, r.json().at("/error/name").asText());
    assertEquals(message, r.json().at("/error/message").asText());
    assertEquals(status, r.json().at("/response/statusCode").asInt());
  }

  @Test
  void without_auth_providers_guest_there_is_no_guest_sign_in() throws IOException {
    LoopbackHttp http = start("");
    assertError(http.get("/api/auth/guest/refresh"), 404, "NotFoundError", "No auth provider registered for 'guest'");
  }

  @Test
  void an_empty_guest_block_turns_guest_sign_in_on_in_development() throws IOException {
    LoopbackHttp http = start("""
        auth:
          providers:
            guest: {}
        """);
    LoopbackHttp.Response r = http.get("/api/auth/guest/refresh");
    assertEquals(200, r.status(), r.body());
    assertEquals("user:development/guest", r.json().at("/backstageIdentity/identity/userEntityRef").asText());
  }

  @Test
  void the_demo_config_keeps_guest_sign_in() throws IOException {
    app = Application.start(configFiles(""), true, name -> null);
    LoopbackHttp.Response r = new LoopbackHttp("http://127.0.0.1:" + app.port()).get("/api/auth/guest/refresh");
    assertEquals(200, r.status(), r.body());
    assertEquals("user:default/guest", r.json().at("/backstageIdentity/identity/userEntityRef").asText());
  }

  @Test
  void guest_is_refused_outside_development() throws IOException {
    LoopbackHttp http = start("""
        auth:
          environment: production
          providers:
            guest: {}
        """);
    assertError(http.get("/api/auth/guest/refresh"), 403, "NotAllowedError",
        "The guest provider cannot be used outside of a development environment unless "
            + "'auth.providers.guest.dangerouslyAllowOutsideDevelopment' is enabled");
  }

  @Test
  void guest_outside_development_when_dangerously_allowed() throws IOException {
    LoopbackHttp http = start("""
        auth:
          environment: production
          providers:
            guest:
              dangerouslyAllowOutsideDevelopment: true
        """);
    assertEquals(200, http.get("/api/auth/guest/refresh").status());
  }

  @Test
  void a_restricted_token_is_refused_on_plugins_it_does_not_list() throws IOException {
    LoopbackHttp http = start("""
        backend:
          auth:
            externalAccess:
              - type: static
                options: { token: only-catalog-token, subject: reader }
                accessRestrictions:
                  - plugin: catalog
              - type: static
                options: { token: free-token-value, subject: admin-bot }
        """);
    String only = "Bearer only-catalog-token";
    LoopbackHttp.Response list = http.post("/api/catalog/entities/by-refs", "{\"entityRefs\":[]}", "Authorization", only);
    assertEquals(200, list.status(), list.body());
    String refusal = "This token's access is restricted to plugin(s) 'catalog'";
    assertError(http.post("/api/permission/authorize", AUTHORIZE, "Authorization", only), 403, "NotAllowedError", refusal);
    assertError(http.post("/api/scaffolder/v2/dry-run", "{}", "Authorization", only), 403, "NotAllowedError", refusal);
    assertError(http.get("/api/search/query?term=x", "Authorization", only), 403, "NotAllowedError", refusal);
    assertError(http.get("/api/catalog/entities", "Authorization", "Bearer nope-not-a-token"), 401, "AuthenticationError",
        "Failed to parse token");
    // the unrestricted token reaches every plugin and is allowed every permission
    LoopbackHttp.Response free = http.post("/api/permission/authorize", AUTHORIZE, "Authorization", "Bearer free-token-value");
    assertEquals(200, free.status(), free.body());
    for (JsonNode item : free.json().path("items")) {
      assertEquals("ALLOW", item.path("result").asText(), item.toString());
    }
  }

  @Test
  void permission_checks_of_a_restricted_token_are_decided_by_its_restrictions() throws IOException {
    LoopbackHttp http = start("""
        backend:
          auth:
            externalAccess:
              - type: static
                options: { token: ci-read-token, subject: ci }
                accessRestrictions:
                  - plugin: permission
                  - plugin: catalog
                    permission: catalog.entity.read, catalog.entity.delete catalog.entity.create
                    permissionAttribute:
                      action: [read, create]
        """);
    LoopbackHttp.Response r = http.post("/api/permission/authorize", AUTHORIZE, "Authorization", "Bearer ci-read-token");
    assertEquals(200, r.status(), r.body());
    JsonNode items = r.json().path("items");
    assertEquals("read", items.get(0).path("id").asText());
    assertEquals("ALLOW", items.get(0).path("result").asText()); // listed, action read
    assertEquals("DENY", items.get(1).path("result").asText()); // listed, but action delete is not
    assertEquals("ALLOW", items.get(2).path("result").asText()); // listed, action create
    assertEquals("DENY", items.get(3).path("result").asText()); // scaffolder is not a listed plugin
  }

  @Test
  void a_forge_api_base_url_that_is_not_an_http_url_stops_start_up_naming_the_key() throws IOException {
    // The forge publishers send the integration's token there: a typo must not start quietly.
    for (String bad : List.of("api.github.com", "file:///etc", "https://")) {
      assertTrue(startFails("integrations:\n  gitlab:\n    - {host: gitlab.example, token: t, apiBaseUrl: '" + bad + "'}\n")
          .getMessage().contains("integrations.gitlab[0].apiBaseUrl must be an http(s) URL"), bad);
    }
  }

  @Test
  void bad_access_restrictions_stop_start_up_naming_the_key() throws IOException {
    String prefix = """
        backend:
          auth:
            externalAccess:
              - type: static
                options: { token: some-token-value, subject: ci }
                accessRestrictions:
        """;
    assertTrue(startFails(prefix + "          - { permission: catalog.entity.read }\n").getMessage()
        .contains("backend.auth.externalAccess[0].accessRestrictions[0].plugin is required"));
    assertTrue(startFails(prefix + "          - { plugin: catalog }\n          - { plugin: catalog }\n").getMessage()
        .contains("backend.auth.externalAccess[0].accessRestrictions[1].plugin: plugin 'catalog' is listed twice"));
    assertTrue(startFails(prefix + "          - { plugin: catalog, permissionAttribute: { action: [read, destroy] } }\n")
        .getMessage().contains("backend.auth.externalAccess[0].accessRestrictions[0]: permissionAttribute.action"));
    assertTrue(startFails(prefix + "          - { plugin: catalog, permissionAttribute: { kind: read } }\n")
        .getMessage().contains("backend.auth.externalAccess[0].accessRestrictions[0].permissionAttribute.kind"));
    assertTrue(startFails(prefix + "          - { plugin: catalog, verb: read }\n")
        .getMessage().contains("backend.auth.externalAccess[0].accessRestrictions[0].verb"));
    assertTrue(startFails(prefix.replace("accessRestrictions:", "accessRestrictions: []")).getMessage()
        .contains("backend.auth.externalAccess[0].accessRestrictions must list at least one plugin"));
    assertTrue(startFails(prefix + "          - { plugin: Catalog }\n").getMessage()
        .contains("backend.auth.externalAccess[0].accessRestrictions[0]: plugin must be a plugin id"));
  }

  @Test
  void limit_keys_set_the_body_size_and_by_refs_limits() throws IOException {
    LoopbackHttp http = start("""
        backend:
          maxRequestBodyBytes: 2048
          auth:
            dangerouslyDisableDefaultAuthPolicy: true
        catalog:
          maxRefsPerRequest: 2
        """);
    String two = "{\"entityRefs\":[\"component:default/a\",\"component:default/b\"]}";
    assertEquals(200, http.post("/api/catalog/entities/by-refs", two).status());
    String three = "{\"entityRefs\":[\"component:default/a\",\"component:default/b\",\"component:default/c\"]}";
    assertError(http.post("/api/catalog/entities/by-refs", three), 400, "InputError",
        "Too many entityRefs: 3 exceeds the limit of 2 per request (catalog.maxRefsPerRequest)");
    String big = "{\"entityRefs\":[],\"fields\":[\"" + "x".repeat(2048) + "\"]}";
    assertError(http.post("/api/catalog/entities/by-refs", big), 413, "PayloadTooLargeError",
        "Request body is larger than the limit of 2048 bytes (backend.maxRequestBodyBytes)");
  }

  @Test
  void non_positive_limits_stop_start_up_naming_the_key() throws IOException {
    assertTrue(startFails("backend:\n  maxRequestBodyBytes: 0\n").getMessage().contains("backend.maxRequestBodyBytes"));
    assertTrue(startFails("catalog:\n  maxRefsPerRequest: -1\n").getMessage().contains("catalog.maxRefsPerRequest"));
  }

  @Test
  void bad_task_heartbeat_or_takeover_seconds_stop_start_up_naming_the_key() throws IOException {
    assertTrue(startFails("scaffolder:\n  taskHeartbeatSeconds: 0\n").getMessage()
        .contains("scaffolder.taskHeartbeatSeconds"));
    // A takeover no longer than the heartbeat would take over tasks whose runner is alive.
    assertTrue(startFails("scaffolder:\n  taskHeartbeatSeconds: 10\n  taskTakeoverSeconds: 10\n").getMessage()
        .contains("scaffolder.taskTakeoverSeconds"));
    assertTrue(startFails("scaffolder:\n  taskTakeoverSeconds: soon\n").getMessage()
        .contains("scaffolder.taskTakeoverSeconds"));
  }

  @Test
  void permission_enabled_without_a_policy_denies_and_says_so_at_start() throws IOException {
    try (StderrCapture stderr = new StderrCapture()) {
      LoopbackHttp http = start("""
          permission:
            enabled: true
          auth:
            providers:
              guest: {}
          """);
      assertTrue(stderr.text().contains("WARN org.meshportal.catalog.app.Application - permission.enabled is true without "
          + "permission.rbac.policies-csv-file or admin users"), stderr.text());
      // and indeed: no line allows anything, so a user is denied (a restricted-token-free default deny)
      String token = http.get("/api/auth/guest/refresh").json().at("/backstageIdentity/token").asText();
      LoopbackHttp.Response r = http.post("/api/permission/authorize", AUTHORIZE, "Authorization", "Bearer " + token);
      assertEquals(200, r.status(), r.body());
      assertEquals("DENY", r.json().at("/items/1/result").asText());
      assertEquals("DENY", r.json().at("/items/3/result").asText());
    }
  }
}
