package org.meshportal.catalog.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.meshportal.gitsync.WebhookVerifier;

/** An HTTP client for a server under test on loopback, with the calls the end-to-end tests share. */
public class LoopbackHttp {
  public static final ObjectMapper JSON = new ObjectMapper();
  private static final long WAIT_SECONDS = 60;
  protected final String base;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  public LoopbackHttp(String base) {
    this.base = base;
  }

  public record Response(int status, String body) {
    public JsonNode json() {
      try {
        return JSON.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON (" + status + "): " + body, e);
      }
    }
  }

  /** A free port on 127.0.0.1, for a server whose config must name its own URL before it starts. */
  public static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** {@code text} as JSON (an audit line, a response body read elsewhere). */
  public static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + text, e);
    }
  }

  /** A GET; {@code headers} are name, value pairs. */
  public Response get(String path, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).GET();
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return send(b);
  }

  /** A JSON POST; {@code headers} are name, value pairs. */
  public Response post(String path, String body, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
        .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json");
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return send(b);
  }

  /** The entity, or null when the catalog does not have it. */
  public JsonNode entity(String kind, String namespace, String name) {
    Response r = get("/api/catalog/entities/by-name/" + kind + "/" + namespace + "/" + name);
    return r.status() == 200 ? r.json() : null;
  }

  /** An entity's ref as the catalog writes it: {@code kind:namespace/name}, lower case. */
  public static String ref(JsonNode entity) {
    return (entity.path("kind").asText() + ":" + entity.at("/metadata/namespace").asText("default") + "/"
        + entity.at("/metadata/name").asText()).toLowerCase(Locale.ROOT);
  }

  /** What a caller read through by-query's cursors: every item, and how many pages held them. */
  public record Pages(List<JsonNode> items, int pages) {
    public List<String> refs() {
      return items.stream().map(LoopbackHttp::ref).toList();
    }
  }

  /**
   * Every entity {@code token}'s caller reads through by-query, {@code limit} at a time in name
   * order ({@code query}: more parameters, each starting with {@code &}). Checks that every page
   * answers 200 with the same totalItems and that the pages hold exactly totalItems entities.
   */
  public Pages byQueryPages(String token, int limit, String query) {
    List<JsonNode> items = new ArrayList<>();
    Response page = get("/api/catalog/entities/by-query?limit=" + limit + "&orderField=metadata.name,asc" + query,
        "Authorization", token);
    assertEquals(200, page.status(), page.body());
    int total = page.json().path("totalItems").asInt();
    int pages = 0;
    while (true) {
      assertEquals(200, page.status(), page.body());
      pages++;
      assertEquals(total, page.json().path("totalItems").asInt(), "totalItems is the same on every page");
      page.json().path("items").forEach(items::add);
      String next = page.json().at("/pageInfo/nextCursor").asText(null);
      if (next == null) {
        break;
      }
      page = get("/api/catalog/entities/by-query?limit=" + limit + "&cursor=" + next, "Authorization", token);
    }
    assertEquals(total, items.size(), "the pages hold exactly totalItems entities");
    return new Pages(items, pages);
  }

  /** A GitHub push webhook for {@code cloneUrl}'s main branch, signed with {@code secret}. */
  public Response githubPush(String cloneUrl, String after, String secret) {
    String body = "{\"ref\":\"refs/heads/main\",\"after\":\"" + after + "\",\"repository\":{\"clone_url\":\""
        + cloneUrl + "\"}}";
    String signature = "sha256=" + HexFormat.of().formatHex(
        WebhookVerifier.hmacSha256(secret, body.getBytes(StandardCharsets.UTF_8)));
    return post("/api/git-sync/webhooks", body, "X-GitHub-Event", "push", "X-Hub-Signature-256", signature);
  }

  /** Polls (bounded, 60 s) until {@code probe} returns non-null, and returns that. */
  public static <T> T await(Supplier<T> probe, String what) {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
    for (T v = probe.get(); ; v = probe.get()) {
      if (v != null) {
        return v;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
    }
  }

  /** Any method, with an optional JSON body (PUT and DELETE of the location routes, for example). */
  public Response send(String method, String path, String body) {
    return send(HttpRequest.newBuilder(URI.create(base + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .header("Content-Type", "application/json"));
  }

  /** As {@link #send(String, String, String)} with extra headers (name/value pairs), e.g. Authorization. */
  public Response send(String method, String path, String body, String... headers) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
        .header("Content-Type", "application/json");
    for (int i = 0; i < headers.length; i += 2) {
      b.header(headers[i], headers[i + 1]);
    }
    return send(b);
  }

  /** Polls (bounded, 60 s) until {@code condition} holds. */
  public static void awaitTrue(BooleanSupplier condition, String what) {
    await(() -> condition.getAsBoolean() ? Boolean.TRUE : null, what);
  }

  private Response send(HttpRequest.Builder request) {
    try {
      HttpResponse<String> r = client.send(request.timeout(Duration.ofSeconds(30)).build(),
          HttpResponse.BodyHandlers.ofString());
      return new Response(r.statusCode(), r.body());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
