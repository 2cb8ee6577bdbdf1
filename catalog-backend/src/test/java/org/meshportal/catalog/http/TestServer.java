package org.meshportal.catalog.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A started {@link HttpServer} on a free port and a client for it. */
final class TestServer implements AutoCloseable {
  static final ObjectMapper MAPPER = new ObjectMapper();

  final HttpServer server;
  final String base;
  private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private TestServer(HttpServer server) {
    this.server = server;
    this.base = "http://127.0.0.1:" + server.port();
  }

  static TestServer start(HttpServer.Builder builder) {
    HttpServer server = builder.build().start();
    server.markReady();
    return new TestServer(server);
  }

  /** Wraps a started server without marking it ready. */
  static TestServer wrap(HttpServer server) {
    return new TestServer(server);
  }

  static HttpSettings settings() {
    return new HttpSettings("127.0.0.1", 0, "http://localhost:7007");
  }

  record Response(int status, HttpHeaders headers, String body) {
    JsonNode json() {
      try {
        return MAPPER.readTree(body);
      } catch (IOException e) {
        throw new AssertionError("not JSON (" + status + "): " + body, e);
      }
    }

    String header(String name) {
      return headers.firstValue(name).orElse(null);
    }
  }

  Response get(String path, String... headers) {
    return send("GET", path, null, headers);
  }

  Response post(String path, String body, String... headers) {
    return send("POST", path, body, headers);
  }

  /** {@code headers} are name/value pairs. */
  Response send(String method, String path, String body, String... headers) {
    HttpResponse<String> response = exchange(method, path, body, HttpResponse.BodyHandlers.ofString(), headers);
    return new Response(response.statusCode(), response.headers(), response.body());
  }

  /** A response with its body as raw bytes (e.g. still gzipped). */
  record RawResponse(int status, HttpHeaders headers, byte[] body) {
    String header(String name) {
      return headers.firstValue(name).orElse(null);
    }
  }

  /** As {@link #send} but keeps the body's bytes as they came. */
  RawResponse sendRaw(String method, String path, String body, String... headers) {
    HttpResponse<byte[]> response = exchange(method, path, body, HttpResponse.BodyHandlers.ofByteArray(), headers);
    return new RawResponse(response.statusCode(), response.headers(), response.body());
  }

  private <T> HttpResponse<T> exchange(String method, String path, String body, HttpResponse.BodyHandler<T> handler,
      String... headers) {
    HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path))
        .timeout(Duration.ofSeconds(10))
        .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    for (int i = 0; i < headers.length; i += 2) {
      request.header(headers[i], headers[i + 1]);
    }
    try {
      return client.send(request.build(), handler);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A fresh guest user token from {@code /api/auth/guest/refresh}. */
  String guestToken() {
    Response r = get("/api/auth/guest/refresh");
    if (r.status() != 200) {
      throw new AssertionError("guest refresh failed: " + r.status() + " " + r.body());
    }
    return r.json().at("/backstageIdentity/token").asText();
  }

  @Override
  public void close() {
    server.close();
  }
}
