package org.meshportal.catalog.audit;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes audit events as JSON lines to their own file, apart from the application log, one line
 * per event, flushed as it is written. Lines carry Backstage's auditor fields ({@code timestamp},
 * {@code isAuditEvent}, {@code plugin}, {@code eventId}, {@code severityLevel}, {@code actor},
 * {@code request}, {@code meta}, {@code status}, {@code error}); query values whose names suggest
 * a secret are replaced before a URL is written. Thread-safe.
 */
public final class AuditLog implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(AuditLog.class);
  /**
   * Query values never written: names that suggest a secret, and the OAuth callback's
   * authorization code and state (the state carries the sign-in's nonce).
   */
  private static final Pattern SECRET_PARAM = Pattern.compile("(?i)([?&](?:[^=&]*(?:token|secret|password|passwd"
      + "|authorization|apikey|api_key|credential)[^=&]*|code|state|session_state|nonce)=)[^&]*");

  private final OutputStream out;
  private final Clock clock;
  private final ObjectMapper json = new ObjectMapper();

  /** Who made a request: an entity ref or service subject (null for none) and where it came from. */
  public record Actor(String actorId, String ip, String hostname, String userAgent) {}

  private AuditLog(OutputStream out, Clock clock) {
    this.out = out;
    this.clock = clock;
  }

  /** Appends to {@code file}, creating it and its folder. */
  public static AuditLog toFile(Path file, Clock clock) {
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      return new AuditLog(Files.newOutputStream(file, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
          StandardOpenOption.WRITE), clock);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the audit log " + file.getFileName() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Writes one line.
   *
   * @param actor null for work without a request (then the plugin is the actor)
   * @param method the request method, or null without a request
   * @param url the request URL (path and query), or null
   * @param errorName the error's name when the request failed, else null
   */
  public void write(AuditEvent event, Actor actor, String method, String url, boolean succeeded, String errorName,
      String errorMessage) {
    Map<String, Object> line = new LinkedHashMap<>();
    line.put("timestamp", clock.instant().toString());
    line.put("level", "medium".equals(event.severityLevel()) || "low".equals(event.severityLevel()) ? "info" : "warn");
    line.put("message", event.plugin() + "." + event.eventId());
    line.put("isAuditEvent", true);
    line.put("plugin", event.plugin());
    line.put("eventId", event.eventId());
    line.put("severityLevel", event.severityLevel());
    Map<String, Object> who = new LinkedHashMap<>();
    if (actor == null) {
      who.put("actorId", "plugin:" + event.plugin());
    } else {
      putIf(who, "actorId", actor.actorId());
      putIf(who, "ip", actor.ip());
      putIf(who, "hostname", actor.hostname());
      putIf(who, "userAgent", actor.userAgent());
    }
    line.put("actor", who);
    if (method != null) {
      Map<String, Object> request = new LinkedHashMap<>();
      request.put("url", redactUrl(url));
      request.put("method", method);
      line.put("request", request);
    }
    if (!event.meta().isEmpty()) {
      line.put("meta", event.meta());
    }
    line.put("status", succeeded ? "succeeded" : "failed");
    if (!succeeded && errorName != null) {
      line.put("error", errorMessage == null || errorMessage.isEmpty() ? errorName : errorName + ": " + errorMessage);
    }
    try {
      byte[] bytes = (json.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8);
      synchronized (this) {
        out.write(bytes);
        out.flush();
      }
    } catch (IOException e) {
      // the request already happened; losing the line is reported, never the request failed
      LOG.error("cannot write an audit line ({}.{}): {}", event.plugin(), event.eventId(), e.toString());
    }
  }

  static String redactUrl(String url) {
    return url == null ? null : SECRET_PARAM.matcher(url).replaceAll("$1[REDACTED]");
  }

  private static void putIf(Map<String, Object> map, String key, Object value) {
    if (value != null) {
      map.put(key, value);
    }
  }

  @Override
  public void close() {
    try {
      synchronized (this) {
        out.close();
      }
    } catch (IOException e) {
      LOG.warn("closing the audit log failed: {}", e.toString());
    }
  }
}
