package org.meshportal.catalog.http;

import io.javalin.http.Context;
import org.meshportal.catalog.audit.AuditEvent;
import org.meshportal.catalog.audit.AuditLog;
import org.meshportal.catalog.auth.Principal;

/**
 * Ties audit events to requests: a handler marks the event it performs ({@link #mark}); after the
 * request one line is written with its outcome. A request refused with 403 that marked no event
 * is written as {@code <plugin>.request-denied}. Reads that succeed write nothing.
 */
final class Audits {
  static final String EVENT = "meshportal.auditEvent";
  static final String ERROR = "meshportal.error";

  private Audits() {}

  static void mark(Context ctx, AuditEvent event) {
    ctx.attribute(EVENT, event);
  }

  static void write(Context ctx, AuditLog log) {
    AuditEvent event = ctx.attribute(EVENT);
    int status = ctx.statusCode();
    if (event == null) {
      if (status != 403) {
        return;
      }
      event = AuditEvent.of(pluginOf(ctx.path()), "request-denied", "medium");
    }
    ErrorMapping.ErrorInfo error = ctx.attribute(ERROR);
    Principal principal = ctx.attribute(HttpServer.PRINCIPAL);
    String actorId = switch (principal) {
      case Principal.User u -> u.userEntityRef();
      case Principal.Service s -> s.subject();
      case null, default -> null;
    };
    String query = ctx.queryString();
    String url = query == null || query.isEmpty() ? ctx.path() : ctx.path() + "?" + query;
    boolean succeeded = status < 400;
    log.write(event, new AuditLog.Actor(actorId, ctx.ip(), ctx.host(), ctx.header("User-Agent")), ctx.method().name(),
        url, succeeded, succeeded ? null : error == null ? ErrorMapping.nameOf(status) : error.name(),
        succeeded || error == null ? null : error.message());
  }

  private static String pluginOf(String path) {
    String rest = path.startsWith("/api/") ? path.substring(5) : path;
    int slash = rest.indexOf('/');
    return slash < 0 ? rest : rest.substring(0, slash);
  }
}
