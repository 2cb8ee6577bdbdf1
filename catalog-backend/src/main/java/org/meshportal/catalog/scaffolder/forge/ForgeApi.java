package org.meshportal.catalog.scaffolder.forge;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * A JSON client for one forge's REST API (GitHub or GitLab) at a base URL taken from an
 * integration, never from template input. The token is sent as {@code Authorization: Bearer}
 * (both forges accept it) and is scrubbed from every message this class builds.
 */
final class ForgeApi {
  static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient CLIENT = HttpClient.newBuilder()
      .connectTimeout(Duration.ofSeconds(10))
      // A redirect could carry the Authorization header to a host nobody configured.
      .followRedirects(HttpClient.Redirect.NEVER)
      .build();
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  private final String action;
  private final String baseUrl;
  private final String token;

  /** @param action the action id, named in every error so a failed task says which step's call failed */
  ForgeApi(String action, String baseUrl, String token) {
    this.action = Objects.requireNonNull(action, "action");
    this.baseUrl = Objects.requireNonNull(baseUrl, "baseUrl").replaceAll("/+$", "");
    this.token = token;
  }

  JsonNode get(String path) throws IOException, InterruptedException {
    return send("GET", path, null);
  }

  JsonNode post(String path, JsonNode body) throws IOException, InterruptedException {
    return send("POST", path, body);
  }

  JsonNode put(String path, JsonNode body) throws IOException, InterruptedException {
    return send("PUT", path, body);
  }

  private JsonNode send(String method, String path, JsonNode body) throws IOException, InterruptedException {
    HttpRequest.Builder req = HttpRequest.newBuilder(URI.create(baseUrl + path)).timeout(TIMEOUT)
        .header("Accept", "application/json");
    if (token != null) {
      req.header("Authorization", "Bearer " + token);
    }
    if (body != null) {
      req.header("Content-Type", "application/json")
          .method(method, HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)));
    } else {
      req.method(method, HttpRequest.BodyPublishers.noBody());
    }
    HttpResponse<String> res;
    try {
      res = CLIENT.send(req.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new IOException(scrub(action + ": " + method + " " + path + " failed: " + (e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName())), e);
    }
    if (res.statusCode() / 100 != 2) {
      throw new ForgeApiException(res.statusCode(),
          scrub(action + ": " + method + " " + path + " answered " + res.statusCode() + reason(res.body())));
    }
    return res.body().isBlank() ? JSON.createObjectNode() : JSON.readTree(res.body());
  }

  /** The forge's own explanation ({@code message}, GitHub's {@code errors[].message}), never the raw body. */
  private static String reason(String body) {
    try {
      JsonNode json = JSON.readTree(body);
      StringBuilder out = new StringBuilder();
      JsonNode message = json.path("message");
      if (message.isTextual()) {
        out.append(": ").append(message.asText());
      } else if (!message.isMissingNode()) {
        out.append(": ").append(message);
      } else if (json.path("error").isTextual()) {
        out.append(": ").append(json.path("error").asText());
      }
      for (JsonNode e : json.path("errors")) {
        String text = e.isTextual() ? e.asText() : e.path("message").asText("");
        if (!text.isBlank()) {
          out.append(" (").append(text).append(')');
        }
      }
      return out.length() > 500 ? out.substring(0, 500) + "…" : out.toString();
    } catch (IOException | RuntimeException e) {
      return "";
    }
  }

  private String scrub(String text) {
    return token == null || token.isEmpty() ? text : text.replace(token, "***");
  }

  /** A forge answered with a status outside 2xx. */
  static final class ForgeApiException extends RuntimeException {
    private final int status;

    ForgeApiException(int status, String message) {
      super(message);
      this.status = status;
    }

    int status() {
      return status;
    }
  }
}
