package org.meshportal.catalog.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshportal.catalog.app.Application;
import org.meshportal.catalog.config.ConfigException;
import org.meshportal.catalog.testing.LoopbackHttp;
import org.meshportal.catalog.testing.TestPostgres;

/**
 * The server with {@code backend.database.client: pg}: the catalog lives in PostgreSQL, so a
 * server started on a new data folder (index and mirrors gone) serves what was registered before.
 */
class PostgresServerTest {
  @TempDir Path tmp;
  private TestPostgres.Database db;

  @BeforeEach
  void database() {
    db = TestPostgres.newDatabase("server");
  }

  @AfterEach
  void drop() {
    if (db != null) { // null when skipped for want of a PostgreSQL
      db.drop();
    }
  }

  private Application start(String dataDir) throws IOException {
    Path config = Files.writeString(tmp.resolve(dataDir + ".yaml"), """
        backend:
          listen: {port: 0}
          dataDir: %s
          auth: {dangerouslyDisableDefaultAuthPolicy: true}
          reading: {directories: ['%s']}
          database:
            client: pg
            connection: '%s'
        """.formatted(tmp.resolve(dataDir), tmp.resolve("catalog"), db.url()));
    return Application.start(List.of(config), false, name -> null);
  }

  @Test
  void the_catalog_is_stored_in_postgresql_and_survives_the_loss_of_the_data_folder() throws IOException {
    Path file = Files.writeString(Files.createDirectories(tmp.resolve("catalog")).resolve("catalog-info.yaml"), """
        apiVersion: backstage.io/v1alpha1
        kind: Component
        metadata: {name: stored-in-pg}
        spec: {type: service, lifecycle: production, owner: team-a}
        """);
    try (Application app = start("first")) {
      LoopbackHttp http = new LoopbackHttp("http://127.0.0.1:" + app.port());
      LoopbackHttp.Response added = http.post("/api/catalog/locations",
          "{\"type\":\"file\",\"target\":\"" + file + "\"}");
      assertEquals(201, added.status(), added.body());
      assertNotNull(http.entity("component", "default", "stored-in-pg"));
    }
    // The file is gone and the data folder is new: only PostgreSQL still knows the entity.
    Files.delete(file);
    try (Application app = start("second")) {
      LoopbackHttp http = new LoopbackHttp("http://127.0.0.1:" + app.port());
      assertNotNull(http.entity("component", "default", "stored-in-pg"), "served from the stored catalog");
      assertEquals(1, http.get("/api/catalog/locations").json().size());
    }
  }

  @Test
  void a_token_signed_by_one_server_is_accepted_by_another_on_the_same_database() throws IOException {
    Files.createDirectories(tmp.resolve("catalog"));
    try (Application one = startWithGuest("one"); Application two = startWithGuest("two")) {
      LoopbackHttp first = new LoopbackHttp("http://127.0.0.1:" + one.port());
      LoopbackHttp second = new LoopbackHttp("http://127.0.0.1:" + two.port());
      String token = first.get("/api/auth/guest/refresh").json().at("/backstageIdentity/token").asText();
      assertFalse(token.isEmpty());
      assertEquals(200, second.get("/api/catalog/entities?limit=1", "Authorization", "Bearer " + token).status());
      assertEquals(401, second.get("/api/catalog/entities?limit=1", "Authorization",
          "Bearer " + token.substring(0, token.length() - 4) + "AAAA").status(), "a tampered token is still refused");
      assertEquals(2, second.get("/api/auth/.well-known/jwks.json").json().get("keys").size(), "one key per server");
      // Each JWKS is served from memory for up to a second after a reload.
      LoopbackHttp.awaitTrue(() -> first.get("/api/auth/.well-known/jwks.json").json().get("keys").size() == 2,
          "the first server's JWKS lists the second server's key too");
    }
  }

  private Application startWithGuest(String dataDir) throws IOException {
    Path config = Files.writeString(tmp.resolve(dataDir + ".yaml"), """
        backend:
          listen: {port: 0}
          dataDir: %s
          database:
            client: pg
            connection: '%s'
        auth:
          providers:
            guest: {}
        """.formatted(tmp.resolve(dataDir), db.url()));
    return Application.start(List.of(config), false, name -> null);
  }

  @Test
  void an_unreachable_database_stops_the_start_with_a_message_that_names_it_but_not_the_password() throws IOException {
    Path config = Files.writeString(tmp.resolve("bad.yaml"), """
        backend:
          listen: {port: 0}
          dataDir: %s
          database:
            client: pg
            connection: {host: 127.0.0.1, port: 1, user: u, password: s3cret-pw, database: nothing}
        """.formatted(tmp.resolve("bad")));
    RuntimeException e = org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class,
        () -> Application.start(List.of(config), false, name -> null).close());
    assertTrue(e.getMessage().contains("127.0.0.1:1/nothing"), e.getMessage());
    assertTrue(!e.getMessage().contains("s3cret-pw"), e.getMessage());
    org.junit.jupiter.api.Assertions.assertFalse(e instanceof ConfigException);
  }
}
