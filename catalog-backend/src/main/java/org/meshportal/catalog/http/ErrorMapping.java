package org.meshportal.catalog.http;

import io.javalin.Javalin;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.http.NotFoundResponse;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import org.meshportal.model.errors.PortalException;
import org.meshportal.templates.TaskValidationException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one place that turns exceptions into Backstage's error body
 * {@code {error:{name,message},request:{method,url},response:{statusCode}}}.
 */
final class ErrorMapping {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorMapping.class);
  /** Marks a response whose body was rendered here, so the 404 handler keeps it. */
  static final String RENDERED = "meshportal.errorRendered";

  record ErrorBody(ErrorInfo error, RequestInfo request, ResponseInfo response) {}

  record ErrorInfo(String name, String message) {}

  record RequestInfo(String method, String url) {}

  record ResponseInfo(int statusCode) {}

  private final Json json;
  private final SecureRandom random = new SecureRandom();

  ErrorMapping(Json json) {
    this.json = json;
  }

  void register(Javalin app) {
    app.exception(PortalException.class, (e, ctx) -> render(ctx, statusOf(e.errorName()), e.errorName(), e.getMessage()));
    // Scaffolder parameter validation: Backstage answers 400 {errors:[...]}, not the envelope
    app.exception(TaskValidationException.class, (e, ctx) -> json.write(ctx, 400, Map.of("errors", e.errors())));
    // No route matched: Backstage answers 404 with an empty body
    app.exception(NotFoundResponse.class, (e, ctx) -> ctx.status(404).result(""));
    app.exception(HttpResponseException.class, (e, ctx) -> {
      int status = e.getStatus();
      render(ctx, status, nameOf(status), status == 500 ? internal(e, ctx) : e.getMessage());
    });
    // The client is gone: nobody reads an answer, and it is no fault of the server's.
    app.exception(ClientGoneException.class, (e, ctx) -> LOG.debug("{} {}: {}", ctx.method(), ctx.path(), e.getMessage()));
    app.exception(Exception.class, (e, ctx) -> render(ctx, 500, "Error", internal(e, ctx)));
    // Unknown paths: 404 with an empty body (unless a handler rendered a NotFoundError)
    app.error(404, ctx -> {
      if (ctx.attribute(RENDERED) == null) {
        ctx.result("");
        ctx.res().setContentType(null);
      }
    });
  }

  private String internal(Exception e, Context ctx) {
    byte[] id = new byte[8];
    random.nextBytes(id);
    String logId = HexFormat.of().formatHex(id);
    LOG.error("Request {} {} failed, logId={}", ctx.method(), ctx.path(), logId, e);
    return "An internal error occurred logId=" + logId;
  }

  private void render(Context ctx, int status, String name, String message) {
    if (status < 500) {
      LOG.debug("Request {} {} answered {} {}", ctx.method(), ctx.path(), status, name);
    }
    ctx.attribute(RENDERED, Boolean.TRUE);
    ctx.attribute(Audits.ERROR, new ErrorInfo(name, message == null ? "" : message));
    json.write(ctx, status, new ErrorBody(
        new ErrorInfo(name, message == null ? "" : message),
        new RequestInfo(ctx.method().name(), pluginRelativeUrl(ctx.path(), ctx.queryString())),
        new ResponseInfo(status)));
  }

  /** The URL as seen inside the plugin router: {@code /api/catalog/x?y} becomes {@code /x?y}. */
  static String pluginRelativeUrl(String path, String queryString) {
    String inner = path;
    if (path.startsWith("/api/")) {
      int slash = path.indexOf('/', 5);
      inner = slash < 0 ? "/" : path.substring(slash);
    }
    return queryString == null || queryString.isEmpty() ? inner : inner + "?" + queryString;
  }

  static int statusOf(String errorName) {
    return switch (errorName) {
      case "InputError" -> 400;
      case "AuthenticationError" -> 401;
      case "NotAllowedError" -> 403;
      case "NotFoundError" -> 404;
      case "ConflictError" -> 409;
      case "PayloadTooLargeError" -> 413;
      case "NotModifiedError" -> 304;
      case "NotImplementedError" -> 501;
      case "ServiceUnavailableError" -> 503;
      default -> 500;
    };
  }

  static String nameOf(int status) {
    return switch (status) {
      case 400 -> "InputError";
      case 401 -> "AuthenticationError";
      case 403 -> "NotAllowedError";
      case 404 -> "NotFoundError";
      case 409 -> "ConflictError";
      // the names Express (http-errors) gives these, as a Backstage backend answers them
      case 413 -> "PayloadTooLargeError";
      case 431 -> "RequestHeaderFieldsTooLargeError";
      case 503 -> "ServiceUnavailableError";
      default -> "Error";
    };
  }
}
