package org.meshportal.catalog.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.meshportal.model.errors.InputException;

/** JSON reading and writing at the HTTP edge; entity bytes from the index are copied, not re-parsed. */
final class Json {
  static final String CONTENT_TYPE = "application/json; charset=utf-8";

  /** Bodies from this size on are gzipped for clients that accept it (as the server's own filter does). */
  static final int MIN_COMPRESSED_BYTES = 16 * 1024;
  private static final long GZIP_MEMO_BYTES = 32L << 20;

  private final ObjectMapper mapper = new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);
  private final GzipBodies gzipBodies = new GzipBodies(GZIP_MEMO_BYTES);

  ObjectMapper mapper() {
    return mapper;
  }

  /** The request body as a tree; an empty body is {@link MissingNode}; malformed JSON is a 400. */
  JsonNode body(Context ctx) {
    byte[] bytes = ctx.bodyAsBytes();
    if (bytes.length == 0) {
      return MissingNode.getInstance();
    }
    try {
      JsonNode node = mapper.readTree(bytes);
      return node == null ? MissingNode.getInstance() : node;
    } catch (JsonProcessingException e) {
      throw new InputException("Malformed request body (did you remember to specify an application/json content type?), "
          + e.getOriginalMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  void write(Context ctx, int status, Object value) {
    try {
      ctx.status(status).contentType(CONTENT_TYPE).result(mapper.writeValueAsBytes(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a response", e);
    }
  }

  void writeBytes(Context ctx, int status, byte[] json) {
    ctx.status(status).contentType(CONTENT_TYPE).result(json);
  }

  /**
   * Writes an item body; a large one is sent gzipped when the client accepts gzip, reusing the
   * compressed form kept under {@code memoKey} when the body is unchanged.
   */
  void writeItems(Context ctx, int status, String memoKey, ItemsBody body) {
    ctx.status(status).contentType(CONTENT_TYPE);
    if (body.size() >= MIN_COMPRESSED_BYTES && acceptsGzip(ctx.header("Accept-Encoding"))) {
      // Set before the result is written, so the server's compression leaves these bytes alone.
      ctx.header("Content-Encoding", "gzip");
      sized(ctx, gzipBodies.gzip(memoKey, body));
    } else {
      sized(ctx, body.plain());
    }
  }

  /** A length up front spares the server chunked framing of bodies larger than its buffer. */
  private static void sized(Context ctx, byte[] body) {
    ctx.header("Content-Length", Integer.toString(body.length));
    ctx.result(body);
  }

  /** The same test the server's compression applies: the header names gzip. */
  static boolean acceptsGzip(String acceptEncoding) {
    return acceptEncoding != null && acceptEncoding.contains("gzip");
  }

  byte[] bytes(Object value) {
    try {
      return mapper.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a response", e);
    }
  }

  /** A value as JSON text. */
  String text(Object value) {
    try {
      return mapper.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a response", e);
    }
  }
}
