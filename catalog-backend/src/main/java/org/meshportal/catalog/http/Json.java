package org.meshportal.catalog.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.javalin.http.Context;
import io.javalin.http.servlet.MaxRequestSize;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.meshportal.model.errors.InputException;
import org.meshportal.model.errors.PayloadTooLargeException;

/** JSON reading and writing at the HTTP edge; entity bytes from the index are copied, not re-parsed. */
final class Json {
  static final String CONTENT_TYPE = "application/json; charset=utf-8";

  /** Bodies from this size on are gzipped for clients that accept it (as the server's own filter does). */
  static final int MIN_COMPRESSED_BYTES = 16 * 1024;
  private static final long GZIP_MEMO_BYTES = 16L << 20;

  /**
   * How deep a request body may nest. Entities, queries and templates stay far below it; a
   * hostile body nested thousands deep would otherwise cost stack in every recursive reader.
   */
  static final int MAX_NESTING_DEPTH = 100;
  /** The request body read once under the size limit; later reads reuse it. */
  private static final String BODY = "meshportal.body";

  private final ObjectMapper mapper = new ObjectMapper(JsonFactory.builder()
      .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING_DEPTH).build())
      .build())
      .setSerializationInclusion(JsonInclude.Include.NON_NULL);
  private final GzipBodies gzipBodies = new GzipBodies(GZIP_MEMO_BYTES);

  ObjectMapper mapper() {
    return mapper;
  }

  /** The request body as a tree; an empty body is {@link MissingNode}; malformed JSON is a 400. */
  JsonNode body(Context ctx) {
    byte[] bytes = rawBody(ctx);
    if (bytes.length == 0) {
      return MissingNode.getInstance();
    }
    try {
      JsonNode node = mapper.readTree(bytes);
      return node == null ? MissingNode.getInstance() : node;
    } catch (StreamConstraintsException e) {
      throw new InputException("Malformed request body, it nests deeper than the limit of " + MAX_NESTING_DEPTH + " levels");
    } catch (JsonProcessingException e) {
      throw new InputException("Malformed request body (did you remember to specify an application/json content type?), "
          + e.getOriginalMessage());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The request body, read at most up to the server's limit ({@code backend.maxRequestBodyBytes},
   * Javalin's max request size): a declared length over it is refused unread, and a chunked body
   * is cut off as soon as it passes it, so no body larger than the limit is ever held in memory.
   *
   * @throws PayloadTooLargeException over the limit (413)
   */
  static byte[] rawBody(Context ctx) {
    byte[] cached = ctx.attribute(BODY);
    if (cached != null) {
      return cached;
    }
    long limit = ctx.appData(MaxRequestSize.INSTANCE.getMaxRequestSizeKey());
    if (ctx.req().getContentLengthLong() > limit) {
      throw tooLarge(limit);
    }
    byte[] bytes;
    try {
      bytes = ctx.req().getInputStream().readNBytes((int) Math.min(limit + 1, Integer.MAX_VALUE - 8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    if (bytes.length > limit) {
      throw tooLarge(limit);
    }
    ctx.attribute(BODY, bytes);
    return bytes;
  }

  private static PayloadTooLargeException tooLarge(long limit) {
    return new PayloadTooLargeException("Request body is larger than the limit of " + limit
        + " bytes (backend.maxRequestBodyBytes)");
  }

  void write(Context ctx, int status, Object value) {
    try {
      ctx.status(status).contentType(CONTENT_TYPE).result(mapper.writeValueAsBytes(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a response", e);
    }
  }

  void writeBytes(Context ctx, int status, byte[] json) {
    ctx.status(status).contentType(CONTENT_TYPE);
    if (json.length >= MIN_COMPRESSED_BYTES) {
      ctx.result(json); // through the server's compression
    } else {
      sized(ctx, json);
    }
  }

  /**
   * Writes an item body; a large one is sent gzipped when the client accepts gzip, reusing the
   * compressed form kept under {@code memoKey} when the body is unchanged; a null key keeps
   * nothing (reads whose questions rarely repeat would only churn the memo and the heap).
   */
  void writeItems(Context ctx, int status, String memoKey, ItemsBody body) {
    ctx.status(status).contentType(CONTENT_TYPE);
    if (acceptsGzip(ctx.header("Accept-Encoding"))) {
      // Reuse is checked first: it compares item identities only, where sizing reads every item.
      byte[] gzip = memoKey == null ? null : gzipBodies.reused(memoKey, body);
      if (gzip == null && body.size() >= MIN_COMPRESSED_BYTES) {
        gzip = memoKey == null ? body.gzip() : gzipBodies.compress(memoKey, body);
      }
      if (gzip != null) {
        // Set before the result is written, so the server's compression leaves these bytes alone.
        ctx.header("Vary", "Accept-Encoding");
        ctx.header("Content-Encoding", "gzip");
        sized(ctx, gzip);
        return;
      }
    }
    byte[] plain = body.plain();
    if (plain.length >= MIN_COMPRESSED_BYTES) {
      ctx.header("Vary", "Accept-Encoding"); // other clients get this body gzipped: caches must tell them apart
    }
    sized(ctx, plain);
  }

  /**
   * Writes the whole body in one call with its length up front: the server then sends it as the
   * complete response at once, where a result stream is copied over in small pieces, and bodies
   * larger than its buffer would go out chunked.
   */
  private static void sized(Context ctx, byte[] body) {
    HttpServletResponse res = ctx.res();
    res.setContentLength(body.length);
    try {
      res.getOutputStream().write(body);
    } catch (IOException e) {
      throw new ClientGoneException(e);
    }
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
