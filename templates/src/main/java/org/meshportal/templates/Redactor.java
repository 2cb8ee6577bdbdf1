package org.meshportal.templates;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Replaces every secret value by {@code ***} in text and JSON trees, together with the forms a
 * secret takes when an action passes it on: base64 (standard and URL-safe, with and without
 * padding, also inside a longer base64 text such as a Basic auth header) and URL-encoded.
 *
 * <p>Only for what a run shows (log events, outputs, errors, the stored copy of the user's
 * values): never applied to the spec, inputs or values the engine runs with, where a mask would
 * change what the task does. Immutable.
 */
final class Redactor {
  static final String MASK = "***";
  /**
   * Secrets shorter than this, after trimming, are not masked, as in Backstage (the redactions of
   * its task logger skip empty and one-character values). Masking every occurrence of one
   * character would make a log unreadable and still give the secret away: it is whatever the
   * gaps held.
   */
  static final int MIN_SECRET_LENGTH = 2;
  /**
   * Shortest base64 run masked when it stands inside a longer base64 text; shorter runs would
   * also match unrelated text.
   */
  static final int MIN_EMBEDDED_BASE64 = 8;
  private final List<String> secrets;

  Redactor(JsonNode secretValues) {
    Set<String> plain = new TreeSet<>();
    collect(secretValues, plain);
    Set<String> values = new TreeSet<>();
    for (String secret : plain) {
      // Trimmed, as Backstage does: whitespace around a secret (a YAML block's newline) does not
      // stop the secret itself from being masked. Encoded forms are of the value as given too.
      String trimmed = secret.strip();
      values.add(trimmed);
      values.addAll(encodedForms(trimmed));
      values.addAll(encodedForms(secret));
    }
    // Longest first, so a secret that contains another is masked whole.
    this.secrets = values.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
  }

  private static void collect(JsonNode n, Set<String> out) {
    if (n == null || n.isNull()) {
      return;
    }
    if (n.isContainerNode()) {
      n.forEach(child -> collect(child, out));
    } else {
      String s = n.asText();
      if (s.strip().length() >= MIN_SECRET_LENGTH) {
        out.add(s);
      }
    }
  }

  /** The forms of {@code secret} that tasks could print instead of the secret itself. */
  static Set<String> encodedForms(String secret) {
    Set<String> out = new TreeSet<>();
    byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
    for (Base64.Encoder encoder : List.of(Base64.getEncoder(), Base64.getUrlEncoder())) {
      out.add(encoder.encodeToString(bytes));
      out.add(encoder.withoutPadding().encodeToString(bytes));
      // Inside a longer base64 text (e.g. "user:secret") the secret starts at any of three byte
      // offsets; the characters that depend on the secret's bytes alone are the same every time.
      for (int offset = 1; offset < 3; offset++) {
        byte[] shifted = new byte[offset + bytes.length];
        System.arraycopy(bytes, 0, shifted, offset, bytes.length);
        String encoded = encoder.withoutPadding().encodeToString(shifted);
        int from = (offset * 8 + 5) / 6;
        int to = shifted.length * 8 / 6;
        if (to - from >= MIN_EMBEDDED_BASE64) {
          out.add(encoded.substring(from, to));
        }
      }
      String core = encoder.withoutPadding().encodeToString(bytes);
      int to = bytes.length * 8 / 6;
      if (to >= MIN_EMBEDDED_BASE64) {
        out.add(core.substring(0, to));
      }
    }
    String form = URLEncoder.encode(secret, StandardCharsets.UTF_8);
    out.add(form);
    out.add(form.replace("+", "%20"));
    out.add(lowerCaseEscapes(form));
    out.add(lowerCaseEscapes(form.replace("+", "%20")));
    out.remove(secret);
    out.removeIf(String::isBlank);
    return out;
  }

  private static String lowerCaseEscapes(String urlEncoded) {
    StringBuilder b = new StringBuilder(urlEncoded);
    for (int i = b.indexOf("%"); i >= 0 && i + 2 < b.length(); i = b.indexOf("%", i + 1)) {
      b.setCharAt(i + 1, Character.toLowerCase(b.charAt(i + 1)));
      b.setCharAt(i + 2, Character.toLowerCase(b.charAt(i + 2)));
    }
    return b.toString();
  }

  boolean isEmpty() {
    return secrets.isEmpty();
  }

  String redact(String text) {
    if (text == null) {
      return null;
    }
    String out = text;
    for (String s : secrets) {
      out = out.replace(s, MASK);
    }
    return out;
  }

  /** A redacted deep copy. */
  <T extends JsonNode> T redact(T node) {
    @SuppressWarnings("unchecked")
    T copy = (T) node.deepCopy();
    if (!secrets.isEmpty()) {
      redactInPlace(copy);
    }
    return copy;
  }

  private void redactInPlace(JsonNode node) {
    if (node instanceof ObjectNode obj) {
      Iterator<Map.Entry<String, JsonNode>> it = obj.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getValue().isTextual()) {
          e.setValue(TextNode.valueOf(redact(e.getValue().textValue())));
        } else {
          redactInPlace(e.getValue());
        }
      }
    } else if (node instanceof ArrayNode arr) {
      for (int i = 0; i < arr.size(); i++) {
        if (arr.get(i).isTextual()) {
          arr.set(i, TextNode.valueOf(redact(arr.get(i).textValue())));
        } else {
          redactInPlace(arr.get(i));
        }
      }
    }
  }
}
