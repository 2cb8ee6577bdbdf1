package org.meshportal.catalog.app;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.meshportal.catalog.store.DatabaseSettings;

/**
 * Backstage's PostgreSQL {@code connection} forms turned into JDBC settings: a
 * {@code postgresql://user:password@host:port/database?sslmode=…} URL, or an object with
 * {@code host}, {@code port}, {@code user}, {@code password}, {@code database} and {@code ssl}
 * ({@code true} = verified TLS, {@code {rejectUnauthorized: false}} = TLS without verification).
 * Messages never contain the password.
 */
final class PostgresConnection {
  static final int MAX_CONNECTIONS = 8;
  private static final String DEFAULT_DATABASE = "postgres";

  private PostgresConnection() {}

  static DatabaseSettings fromUrl(String url) {
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a valid postgresql:// URL");
    }
    if (!"postgresql".equals(uri.getScheme()) && !"postgres".equals(uri.getScheme())) {
      throw new IllegalArgumentException("must start with postgresql://, got scheme '" + uri.getScheme() + "'");
    }
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("the URL names no host");
    }
    String user = null;
    String password = null;
    if (uri.getRawUserInfo() != null) {
      String[] parts = uri.getRawUserInfo().split(":", 2);
      user = decode(parts[0]);
      password = parts.length > 1 ? decode(parts[1]) : null;
    }
    String path = uri.getPath() == null ? "" : uri.getPath().replaceFirst("^/", "");
    String database = path.isEmpty() ? DEFAULT_DATABASE : path;
    String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
    return new DatabaseSettings(jdbcUrl(uri.getHost(), uri.getPort(), database) + query, user, password,
        MAX_CONNECTIONS);
  }

  static DatabaseSettings fromObject(JsonNode c) {
    String host = c.path("host").asText("");
    if (host.isBlank()) {
      throw new IllegalArgumentException("host is required");
    }
    int port = c.path("port").isMissingNode() ? -1 : c.path("port").asInt(-1);
    if (c.has("port") && (port < 1 || port > 65535)) {
      throw new IllegalArgumentException("port must be a number from 1 to 65535");
    }
    String database = c.path("database").asText(DEFAULT_DATABASE);
    String url = jdbcUrl(host, port, database);
    JsonNode ssl = c.path("ssl");
    if (ssl.isBoolean() && ssl.asBoolean()) {
      url += "?sslmode=verify-full";
    } else if (ssl.isObject()) {
      url += ssl.path("rejectUnauthorized").asBoolean(true) ? "?sslmode=verify-full" : "?sslmode=require";
    } else if (!ssl.isMissingNode() && !ssl.isBoolean()) {
      throw new IllegalArgumentException("ssl must be true, false or {rejectUnauthorized: …}");
    }
    return new DatabaseSettings(url, text(c.path("user")), text(c.path("password")), MAX_CONNECTIONS);
  }

  private static String jdbcUrl(String host, int port, String database) {
    if (!database.matches("[A-Za-z0-9_.-]+")) {
      throw new IllegalArgumentException("database name '" + database + "' may hold only letters, digits, '_', '.', '-'");
    }
    String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    return "jdbc:postgresql://" + h + (port > 0 ? ":" + port : "") + "/" + database;
  }

  private static String decode(String s) {
    return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  private static String text(JsonNode n) {
    return n.isMissingNode() || n.isNull() || n.asText().isEmpty() ? null : n.asText();
  }
}
