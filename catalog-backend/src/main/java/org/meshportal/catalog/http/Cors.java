package org.meshportal.catalog.http;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.List;
import java.util.regex.Pattern;

/**
 * {@code backend.cors}: echoes an allowed request origin (never {@code *}) and answers preflights
 * with 204. Sends nothing for origins that are not allowed.
 */
final class Cors {
  private final CorsSettings settings;
  private final List<Pattern> origins;

  Cors(CorsSettings settings) {
    this.settings = settings;
    this.origins = settings.origins().stream().map(Cors::glob).toList();
  }

  /** @return true when the request was a preflight and has been answered */
  boolean handle(Context ctx) {
    String origin = ctx.header("Origin");
    ctx.res().addHeader("Vary", "Origin");
    if (origin == null || origins.stream().noneMatch(p -> p.matcher(origin).matches())) {
      return false;
    }
    ctx.header("Access-Control-Allow-Origin", origin);
    if (settings.credentials()) {
      ctx.header("Access-Control-Allow-Credentials", "true");
    }
    boolean preflight = ctx.method() == HandlerType.OPTIONS && ctx.header("Access-Control-Request-Method") != null;
    if (!preflight) {
      if (!settings.exposedHeaders().isEmpty()) {
        ctx.header("Access-Control-Expose-Headers", String.join(",", settings.exposedHeaders()));
      }
      return false;
    }
    ctx.header("Access-Control-Allow-Methods", String.join(",", settings.methods()));
    String allowHeaders = settings.allowedHeaders() != null
        ? String.join(",", settings.allowedHeaders())
        : ctx.header("Access-Control-Request-Headers");
    if (allowHeaders != null && !allowHeaders.isEmpty()) {
      ctx.header("Access-Control-Allow-Headers", allowHeaders);
      if (settings.allowedHeaders() == null) {
        ctx.res().addHeader("Vary", "Access-Control-Request-Headers");
      }
    }
    if (settings.maxAgeSeconds() != null) {
      ctx.header("Access-Control-Max-Age", settings.maxAgeSeconds().toString());
    }
    ctx.header("Content-Length", "0");
    ctx.status(204);
    return true;
  }

  /** A glob where {@code *} matches any run of characters, compared case-insensitively. */
  static Pattern glob(String pattern) {
    StringBuilder regex = new StringBuilder();
    for (String part : pattern.split("\\*", -1)) {
      if (!regex.isEmpty()) {
        regex.append(".*");
      }
      regex.append(Pattern.quote(part));
    }
    return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE);
  }
}
