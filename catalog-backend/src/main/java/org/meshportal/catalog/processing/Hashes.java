package org.meshportal.catalog.processing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.CRC32;
import java.util.zip.CRC32C;

/** SHA-1 hex, as Backstage uses for etags and generated location names, and the engine's change hash. */
final class Hashes {
  /** Cloned per use: a provider lookup per hash costs more than hashing a small entity. */
  private static final MessageDigest SHA1 = newSha1();

  private Hashes() {}

  static String sha1(byte[] bytes) {
    return HexFormat.of().formatHex(sha1Digest().digest(bytes));
  }

  /**
   * Tells a changed entity from an unchanged one: CRC32C and CRC32 of the tree's JSON followed by
   * {@code suffix}, and the length, in hex. Not a cryptographic digest, and it need not be: it is
   * compared with the same entity's previous hash only, and SHA-1 over every entity (API
   * definitions included) was a twentieth of a bulk ingest before the JIT had optimised it.
   */
  static String changeHash(ObjectMapper json, JsonNode tree, String suffix) {
    CRC32C crc32c = new CRC32C();
    CRC32 crc32 = new CRC32();
    long[] length = new long[1];
    try (OutputStream out = new OutputStream() {
      @Override
      public void write(int b) {
        write(new byte[] {(byte) b}, 0, 1);
      }

      @Override
      public void write(byte[] b, int off, int len) {
        crc32c.update(b, off, len);
        crc32.update(b, off, len);
        length[0] += len;
      }
    }) {
      json.writeValue(out, tree);
      out.write(suffix.getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return String.format("%08x%08x-%x", crc32c.getValue(), crc32.getValue(), length[0]);
  }

  private static MessageDigest newSha1() {
    try {
      return MessageDigest.getInstance("SHA-1");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is part of every JDK", e);
    }
  }

  private static MessageDigest sha1Digest() {
    try {
      return (MessageDigest) SHA1.clone();
    } catch (CloneNotSupportedException e) {
      return newSha1();
    }
  }

  static String sha1(String text) {
    return sha1(text.getBytes(StandardCharsets.UTF_8));
  }
}
