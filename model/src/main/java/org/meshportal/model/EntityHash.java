package org.meshportal.model;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * A stable SHA-1 (hex) of a JSON tree, used for etags and "did anything change" checks. The tree
 * is hashed in a canonical form: compact JSON with object keys sorted, so key order never matters.
 */
public final class EntityHash {
  // A mapping factory, so scalar nodes can serialise themselves; never reconfigured after creation.
  private static final JsonFactory FACTORY = new com.fasterxml.jackson.databind.ObjectMapper().getFactory();

  private EntityHash() {}

  public static String sha1(JsonNode tree) {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is required by every Java platform", e);
    }
    try (JsonGenerator out = FACTORY.createGenerator(new DigestSink(digest))) {
      write(tree, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  private static void write(JsonNode node, JsonGenerator out) throws IOException {
    if (node.isObject()) {
      List<String> keys = new ArrayList<>();
      node.fieldNames().forEachRemaining(keys::add);
      keys.sort(null);
      out.writeStartObject();
      for (String key : keys) {
        out.writeFieldName(key);
        write(node.get(key), out);
      }
      out.writeEndObject();
    } else if (node.isArray()) {
      out.writeStartArray();
      for (JsonNode item : node) {
        write(item, out);
      }
      out.writeEndArray();
    } else {
      // Scalars (and missing nodes, which serialise as null) write themselves.
      out.writeTree(node.isMissingNode() ? com.fasterxml.jackson.databind.node.NullNode.getInstance() : node);
    }
  }

  /** Feeds written bytes straight into the digest. */
  private static final class DigestSink extends OutputStream {
    private final MessageDigest digest;

    DigestSink(MessageDigest digest) {
      this.digest = digest;
    }

    @Override
    public void write(int b) {
      digest.update((byte) b);
    }

    @Override
    public void write(byte[] b, int off, int len) {
      digest.update(b, off, len);
    }
  }
}
