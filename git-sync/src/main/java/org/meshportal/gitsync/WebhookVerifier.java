package org.meshportal.gitsync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Checks push webhooks of GitHub, GitLab and Gitea against a shared secret and reads which
 * repository and branch they announce. Pure: no HTTP types, no I/O, thread-safe. Comparisons are
 * constant-time; an empty secret never verifies anything.
 */
public final class WebhookVerifier {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> URL_FIELDS = List.of(
      "clone_url", "html_url", "ssh_url", "git_url", "git_http_url", "git_ssh_url", "web_url",
      "http_url", "url", "homepage");

  private WebhookVerifier() {}

  /**
   * Whether the request carries a valid signature (GitHub, Gitea) or token (GitLab) for
   * {@code secret}. Header names are matched case-insensitively.
   */
  public static boolean verify(
      WebhookKind kind, Map<String, String> headers, byte[] body, String secret) {
    if (secret == null || secret.isEmpty() || body == null) {
      return false;
    }
    return switch (kind) {
      case GITHUB -> signatureMatches(header(headers, "X-Hub-Signature-256"), "sha256=", body,
          secret);
      case GITEA -> {
        String own = header(headers, "X-Gitea-Signature");
        yield own != null ? signatureMatches(own, "", body, secret)
            : signatureMatches(header(headers, "X-Hub-Signature-256"), "sha256=", body, secret);
      }
      case GITLAB -> {
        String token = header(headers, "X-Gitlab-Token");
        yield token != null && MessageDigest.isEqual(
            token.getBytes(StandardCharsets.UTF_8), secret.getBytes(StandardCharsets.UTF_8));
      }
    };
  }

  /**
   * Reads a push of a branch from a webhook body.
   *
   * @return empty for other events (ping, issues, tag pushes …)
   * @throws IllegalArgumentException when the body is not JSON
   */
  public static Optional<PushEvent> parsePush(
      WebhookKind kind, Map<String, String> headers, byte[] body) {
    String event = switch (kind) {
      case GITHUB -> header(headers, "X-GitHub-Event");
      case GITLAB -> header(headers, "X-Gitlab-Event");
      case GITEA -> header(headers, "X-Gitea-Event");
    };
    if (event != null && !isPushEvent(event)) {
      return Optional.empty();
    }
    JsonNode root;
    try {
      root = JSON.readTree(body);
    } catch (IOException e) {
      throw new IllegalArgumentException("webhook body is not valid JSON");
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("webhook body is not a JSON object");
    }
    String ref = root.path("ref").asText("");
    if (!ref.startsWith("refs/heads/")) {
      return Optional.empty();
    }
    List<String> urls = new ArrayList<>();
    for (String container : List.of("repository", "project")) {
      JsonNode node = root.path(container);
      for (String field : URL_FIELDS) {
        JsonNode v = node.path(field);
        if (v.isTextual() && !v.asText().isBlank() && !urls.contains(v.asText())) {
          urls.add(v.asText());
        }
      }
    }
    if (urls.isEmpty()) {
      return Optional.empty();
    }
    String after = root.path("after").asText(root.path("checkout_sha").asText(null));
    return Optional.of(
        new PushEvent(kind, urls, ref.substring("refs/heads/".length()), after));
  }

  private static boolean isPushEvent(String event) {
    String e = event.toLowerCase(Locale.ROOT);
    return e.equals("push") || e.equals("push hook");
  }

  private static boolean signatureMatches(
      String header, String prefix, byte[] body, String secret) {
    if (header == null || !header.regionMatches(true, 0, prefix, 0, prefix.length())) {
      return false;
    }
    String given = header.substring(prefix.length()).trim().toLowerCase(Locale.ROOT);
    String expected = HexFormat.of().formatHex(hmacSha256(secret, body));
    return MessageDigest.isEqual(
        given.getBytes(StandardCharsets.US_ASCII), expected.getBytes(StandardCharsets.US_ASCII));
  }

  /** HMAC-SHA256 of {@code body} keyed with {@code secret}; public so tests and tools sign alike. */
  public static byte[] hmacSha256(String secret, byte[] body) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      return mac.doFinal(body);
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException("HmacSHA256 unavailable", e);
    }
  }

  /** A header value by case-insensitive name, or null. */
  static String header(Map<String, String> headers, String name) {
    if (headers == null) {
      return null;
    }
    String direct = headers.get(name);
    if (direct != null) {
      return direct;
    }
    for (Map.Entry<String, String> e : headers.entrySet()) {
      if (e.getKey() != null && e.getKey().equalsIgnoreCase(name)) {
        return e.getValue();
      }
    }
    return null;
  }
}
