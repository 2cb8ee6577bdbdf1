package org.meshportal.loadbench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latency scenarios of {@code ../shared/compat/bench.mjs}, request for request: the same
 * URLs {@code @backstage/catalog-client} builds for each call (captured from the client), the
 * same deterministic choice of kinds, refs and terms per request index, and the same checks on
 * each answer. Every body is parsed in full, as the client's {@code JSON.parse} does.
 */
final class Scenarios {

  /** One request of a scenario; throws when the answer is wrong. */
  interface Step {
    void run(int index, int worker, HttpConnection connection) throws Exception;
  }

  record Scenario(String name, int total, Step step) {}

  static final List<String> GENERATED_KINDS =
      List.of("Component", "API", "System", "Domain", "Group", "User", "Template");

  private static final String[] WORDS = {
      "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet",
      "kilo", "lima", "mike"};
  private static final String[] REF_KINDS = {"Component", "API", "System", "Group", "User", "Domain"};

  private final ObjectMapper json = new ObjectMapper();
  private final Map<String, Integer> kindCounts;
  private final Map<Integer, String> cursors = new ConcurrentHashMap<>();

  Scenarios(Map<String, Integer> kindCounts) {
    this.kindCounts = kindCounts;
  }

  List<Scenario> all(int requests) {
    return List.of(
        new Scenario("entities.kind.limit100", requests, this::limit100),
        new Scenario("entities.kind.small.full", requests, this::smallFull),
        new Scenario("entities.kind.Component.all.fields", Math.max(8, requests / 10), this::componentFields),
        new Scenario("by-query.paging.limit50", requests, this::paging),
        new Scenario("by-name.getEntityByRef", requests, this::byName),
        new Scenario("by-refs.batch20", requests, this::byRefs),
        new Scenario("facets", requests, this::facets),
        new Scenario("search.query", requests, this::search),
        new Scenario(FLOOR, requests, this::floor));
  }

  /**
   * Not one of bench.mjs's scenarios: the server's cheapest request (its liveness probe), so the
   * figures above can be read against what the HTTP stack and this client cost on their own.
   */
  static final String FLOOR = "floor.liveness";

  private void limit100(int i, int worker, HttpConnection c) throws Exception {
    String kind = List.of("Component", "API", "User", "System", "Group").get(i % 5);
    JsonNode items = ok(c.get("/api/catalog/entities?limit=100&filter=" + enc("kind=" + kind)));
    if (items.isEmpty()) throw new IllegalStateException("empty");
  }

  private void smallFull(int i, int worker, HttpConnection c) throws Exception {
    String kind = List.of("System", "Group", "Domain", "Template").get(i % 4);
    JsonNode items = ok(c.get("/api/catalog/entities?filter=" + enc("kind=" + kind)));
    if (items.size() != count(kind)) throw new IllegalStateException("got " + items.size());
  }

  private void componentFields(int i, int worker, HttpConnection c) throws Exception {
    JsonNode items = ok(c.get("/api/catalog/entities?fields="
        + "kind,metadata.name,metadata.namespace,spec.type,spec.lifecycle,spec.owner&filter=" + enc("kind=Component")));
    if (items.size() != count("Component")) throw new IllegalStateException("got " + items.size());
  }

  private void paging(int i, int worker, HttpConnection c) throws Exception {
    // each worker walks Component pages ordered by name, following nextCursor
    String cursor = cursors.get(worker);
    JsonNode page = ok(c.get(cursor != null
        ? "/api/catalog/entities/by-query?limit=50&cursor=" + enc(cursor)
        : "/api/catalog/entities/by-query?limit=50&orderField=" + enc("metadata.name,asc") + "&filter=" + enc("kind=Component")));
    if (page.path("items").isEmpty()) throw new IllegalStateException("empty page");
    JsonNode next = page.path("pageInfo").path("nextCursor");
    if (next.isTextual()) cursors.put(worker, next.asText());
    else cursors.remove(worker);
  }

  private void byName(int i, int worker, HttpConnection c) throws Exception {
    String ref = refAt(i);
    int colon = ref.indexOf(':');
    int slash = ref.indexOf('/');
    HttpConnection.Response r = c.get("/api/catalog/entities/by-name/" + ref.substring(0, colon) + "/"
        + ref.substring(colon + 1, slash) + "/" + ref.substring(slash + 1));
    if (r.status() == 404) throw new IllegalStateException("missing " + ref);
    if (ok(r).path("kind").isMissingNode()) throw new IllegalStateException("not an entity: " + ref);
  }

  private void byRefs(int i, int worker, HttpConnection c) throws Exception {
    ObjectNode body = json.createObjectNode();
    ArrayNode refs = body.putArray("entityRefs");
    for (int j = 0; j < 20; j++) refs.add(refAt(i * 20 + j));
    JsonNode items = ok(c.post("/api/catalog/entities/by-refs", json.writeValueAsBytes(body))).path("items");
    if (items.size() != 20) throw new IllegalStateException("got " + items.size() + " items");
    for (JsonNode item : items) if (item.isNull()) throw new IllegalStateException("missing");
  }

  private void facets(int i, int worker, HttpConnection c) throws Exception {
    String query = switch (i % 4) {
      case 0 -> "facet=kind";
      case 1 -> "facet=spec.lifecycle&filter=" + enc("kind=Component");
      case 2 -> "facet=metadata.tags&filter=" + enc("kind=Component");
      default -> "facet=spec.owner&facet=spec.type&filter=" + enc("kind=Component,kind=API");
    };
    if (!ok(c.get("/api/catalog/entity-facets?" + query)).path("facets").isObject()) {
      throw new IllegalStateException("no facets");
    }
  }

  private void search(int i, int worker, HttpConnection c) throws Exception {
    StringBuilder q = new StringBuilder("/api/search/query?term=")
        .append(enc(WORDS[i % WORDS.length] + (i % 3 == 0 ? " service" : "")))
        .append("&types%5B0%5D=software-catalog");
    if (i % 2 == 0) q.append("&filters%5Bkind%5D=").append(List.of("Component", "API", "User").get(i % 3));
    if (!ok(c.get(q.toString())).path("results").isArray()) throw new IllegalStateException("no results array");
  }

  private void floor(int i, int worker, HttpConnection c) throws Exception {
    if (!ok(c.get("/.backstage/health/v1/liveness")).isObject()) throw new IllegalStateException("not JSON");
  }

  /** The same deterministic walk over generated entities as bench.mjs's {@code refAt}. */
  String refAt(int n) {
    String kind = REF_KINDS[n % REF_KINDS.length];
    long unsigned = Integer.toUnsignedLong(n * (int) 2654435761L);
    int index = (int) (unsigned % count(kind));
    return switch (kind) {
      case "Component" -> "component:default/component-" + pad(index, 5);
      case "API" -> "api:default/api-" + pad(index, 5);
      case "System" -> "system:default/system-" + pad(index, 4);
      case "Group" -> "group:default/team-" + pad(index, 4);
      case "User" -> "user:default/user-" + pad(index, 5);
      default -> "domain:default/domain-" + pad(index, 3);
    };
  }

  private int count(String kind) {
    Integer n = kindCounts.get(kind);
    if (n == null || n == 0) throw new IllegalStateException("the data manifest has no " + kind + " entities");
    return n;
  }

  private JsonNode ok(HttpConnection.Response r) throws IOException {
    if (r.status() != 200) throw new IllegalStateException("HTTP " + r.status());
    return json.readTree(r.body());
  }

  private static String pad(int n, int width) {
    String s = Integer.toString(n);
    return s.length() >= width ? s : "0".repeat(width - s.length()) + s;
  }

  /** URLSearchParams encoding: space as '+', everything but unreserved characters escaped. */
  private static String enc(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
