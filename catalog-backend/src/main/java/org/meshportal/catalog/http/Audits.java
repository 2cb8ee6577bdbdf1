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
  private static final String ACTOR = "meshportal.auditActor";
  private static final String FAILED = "meshportal.auditFailed";

  private Audits() {}

  static void mark(Context ctx, AuditEvent event) {
    ctx.attribute(EVENT, event);
  }

  /**
   * Names who the event is about on a route that carries no credentials (a sign-in): the user it
   * signed in.
   */
  static void actor(Context ctx, String actorId) {
    ctx.attribute(ACTOR, actorId);
  }

  /**
   * Marks the event failed although the response is a success (the OIDC popup page reports a
   * failed sign-in with status 200), with the error the user was shown.
   */
  static void failed(Context ctx, String errorName, String errorMessage) {
    ctx.attribute(FAILED, new ErrorMapping.ErrorInfo(errorName, errorMessage == null ? "" : errorMessage));
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
    ErrorMapping.ErrorInfo failed = ctx.attribute(FAILED);
    ErrorMapping.ErrorInfo error = failed != null ? failed : ctx.attribute(ERROR);
    Principal principal = ctx.attribute(HttpServer.PRINCIPAL);
    String actorId = switch (principal) {
      case Principal.User u -> u.userEntityRef();
      case Principal.Service s -> s.subject();
      case null, default -> ctx.attribute(ACTOR);
    };
    String query = ctx.queryString();
    String url = query == null || query.isEmpty() ? ctx.path() : ctx.path() + "?" + query;
    boolean succeeded = status < 400 && failed == null;
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
