package org.meshportal.catalog.processing;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-1 hex, as Backstage uses for etags and generated location names. */
final class Hashes {
  private Hashes() {}

  static String sha1(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-1 is part of every JDK", e);
    }
  }

  static String sha1(String text) {
    return sha1(text.getBytes(StandardCharsets.UTF_8));
  }
}
