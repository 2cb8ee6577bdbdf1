package org.meshportal.catalog.processing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-1 hex, as Backstage uses for etags and generated location names. */
final class Hashes {
  private Hashes() {}

  static String sha1(byte[] bytes) {
    return HexFormat.of().formatHex(sha1Digest().digest(bytes));
  }

  /** SHA-1 hex of a tree's JSON, streamed into the digest rather than serialised to an array first. */
  static String sha1Json(ObjectMapper json, JsonNode tree) {
    MessageDigest digest = sha1Digest();
    try (OutputStream out = new DigestOutputStream(OutputStream.nullOutputStream(), digest)) {
      json.writeValue(out, tree);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return HexFormat.of().formatHex(digest.digest());
  }

  /** Cloned per use: a provider lookup per hash costs more than hashing a small entity. */
  private static final MessageDigest SHA1 = newSha1();

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
