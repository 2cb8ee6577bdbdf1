package org.meshportal.catalog.http;

import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.handler.ErrorHandler;

/**
 * Requests Jetty rejects before any handler runs (malformed percent-encoding, ambiguous paths)
 * get the Backstage error envelope instead of Jetty's HTML page. The request line is not
 * available here, so {@code request} carries empty values.
 */
final class BadRequestBodies extends ErrorHandler {
  private final Json json;

  BadRequestBodies(Json json) {
    this.json = json;
  }

  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put(HttpHeader.CONTENT_TYPE, Json.CONTENT_TYPE);
    String name = ErrorMapping.nameOf(status);
    String message = status == 400
        ? "Malformed request: " + (reason == null ? "Bad Request" : reason)
        : reason == null ? HttpStatus.getMessage(status) : reason;
    byte[] body = json.bytes(new ErrorMapping.ErrorBody(
        new ErrorMapping.ErrorInfo(name, message),
        new ErrorMapping.RequestInfo("", ""),
        new ErrorMapping.ResponseInfo(status)));
    return ByteBuffer.wrap(body);
  }
}
