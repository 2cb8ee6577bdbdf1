package org.meshportal.catalog.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the permission and sign-in tests check over HTTP: authorize requests and the decisions they
 * answer, the refusal a denied call gets, and the lines of the audit trail a call writes.
 */
public final class AccessChecks {
  private AccessChecks() {}

  /** An authorize item for a catalog-entity resource permission on {@code resourceRef} (omitted when null). */
  public static String resource(String id, String name, String action, String resourceRef) {
    return "{\"id\":\"" + id + "\",\"permission\":{\"type\":\"resource\",\"name\":\"" + name
        + "\",\"attributes\":{\"action\":\"" + action + "\"},\"resourceType\":\"catalog-entity\"}"
        + (resourceRef == null ? "" : ",\"resourceRef\":\"" + resourceRef + "\"") + "}";
  }

  /** An authorize item for a basic permission. */
  public static String basic(String id, String name, String action) {
    return "{\"id\":\"" + id + "\",\"permission\":{\"type\":\"basic\",\"name\":\"" + name
        + "\",\"attributes\":{\"action\":\"" + action + "\"}}}";
  }

  /** {@code POST /api/permission/authorize} as {@code token}: each item's id and its result (ALLOW, DENY). */
  public static Map<String, String> decisions(LoopbackHttp http, String token, String... items) {
    LoopbackHttp.Response r = http.post("/api/permission/authorize", "{\"items\":[" + String.join(",", items) + "]}",
        "Authorization", token);
    assertEquals(200, r.status(), r.body());
    Map<String, String> out = new HashMap<>();
    r.json().path("items").forEach(i -> out.put(i.path("id").asText(), i.path("result").asText()));
    return out;
  }

  /** Backstage's answer to a call the permission policy refuses. */
  public static void assertNotAllowed(LoopbackHttp.Response r) {
    assertEquals(403, r.status(), r.body());
    assertEquals("NotAllowedError", r.json().at("/error/name").asText());
    assertEquals(403, r.json().at("/response/statusCode").asInt());
  }

  /** The audit trail's lines so far (none before the first is written). */
  public static List<String> auditLines(Path file) {
    try {
      return Files.exists(file) ? Files.readAllLines(file) : List.of();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The audit trail's lines so far, as JSON. */
  public static List<JsonNode> auditEvents(Path file) {
    return auditLines(file).stream().map(LoopbackHttp::json).toList();
  }

  /**
   * Checks fields of an audit line: {@code expected} are JSON pointer, text pairs, such as
   * {@code "/eventId", "entity-mutate", "/actor/actorId", "user:default/jane"}.
   */
  public static void assertFields(JsonNode line, String... expected) {
    for (int i = 0; i < expected.length; i += 2) {
      assertEquals(expected[i + 1], line.at(expected[i]).asText(), expected[i] + " of " + line);
    }
  }
}
