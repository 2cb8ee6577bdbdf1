package org.meshportal.catalog.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.MissingNode;
import io.javalin.http.Context;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.meshportal.model.errors.InputException;

/** JSON reading and writing at the HTTP edge; entity bytes from the index are copied, not re-parsed. */
final class Json {
  static final String CONTENT_TYPE = "application/json; charset=utf-8";
  private static final byte[] NULL = {'n', 'u', 'l', 'l'};

  private final ObjectMapper mapper = new ObjectMapper().setSerializationInclusion(JsonInclude.Include.NON_NULL);

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

  byte[] bytes(Object value) {
    try {
      return mapper.writeValueAsBytes(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot serialise a response", e);
    }
  }

  /** {@code [a,b,...]} from pre-serialised items; null items become {@code null}. */
  static void writeArray(ByteArrayOutputStream out, List<byte[]> items) {
    out.write('[');
    for (int i = 0; i < items.size(); i++) {
      if (i > 0) {
        out.write(',');
      }
      byte[] item = items.get(i);
      out.writeBytes(item == null ? NULL : item);
    }
    out.write(']');
  }

  static ByteArrayOutputStream buffer(List<byte[]> items) {
    int size = 64;
    for (byte[] item : items) {
      size += item == null ? 5 : item.length + 1;
    }
    return new ByteArrayOutputStream(size);
  }
}
