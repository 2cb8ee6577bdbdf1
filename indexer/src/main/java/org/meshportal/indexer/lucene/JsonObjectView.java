package org.meshportal.indexer.lucene;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The members of one JSON object inside a UTF-8 byte array, found by a single scan that skips
 * over values without decoding them. Lets a projection look up keys and copy raw value bytes
 * without building a tree. Nested objects are scanned only when asked for, once.
 */
final class JsonObjectView {
  private final byte[] bytes;
  private final List<String> keys = new ArrayList<>();
  /** Per member: key start (opening quote), key end (after closing quote), value start, value end. */
  private int[] spans = new int[32];
  private JsonObjectView[] children;

  /** @param start offset of the object's opening brace */
  JsonObjectView(byte[] bytes, int start) {
    this.bytes = bytes;
    expect(start, '{');
    int i = skipWhitespace(start + 1);
    if (i < bytes.length && bytes[i] == '}') {
      return;
    }
    while (i < bytes.length) {
      i = skipWhitespace(i);
      int keyStart = i;
      int keyEnd = skipString(i);
      i = skipWhitespace(keyEnd);
      expect(i, ':');
      int valueStart = skipWhitespace(i + 1);
      int valueEnd = skipValue(valueStart);
      add(keyStart, keyEnd, valueStart, valueEnd);
      i = skipWhitespace(valueEnd);
      if (i < bytes.length && bytes[i] == ',') {
        i++;
      } else {
        expect(i, '}');
        return;
      }
    }
    throw malformed(i);
  }

  /** The view of a top-level object, or null when the bytes do not start with one. */
  static JsonObjectView rootOrNull(byte[] bytes) {
    int i = 0;
    while (i < bytes.length && isWhitespace(bytes[i])) {
      i++;
    }
    return i < bytes.length && bytes[i] == '{' ? new JsonObjectView(bytes, i) : null;
  }

  private static boolean isWhitespace(byte b) {
    return b == ' ' || b == '\n' || b == '\r' || b == '\t';
  }

  byte[] bytes() {
    return bytes;
  }

  /** Index of the member named {@code key}, or -1; the last one wins, as in a parsed tree. */
  int indexOf(String key) {
    for (int m = keys.size() - 1; m >= 0; m--) {
      if (keys.get(m).equals(key)) {
        return m;
      }
    }
    return -1;
  }

  boolean isObject(int member) {
    return bytes[spans[4 * member + 2]] == '{';
  }

  int keyStart(int member) {
    return spans[4 * member];
  }

  int keyEnd(int member) {
    return spans[4 * member + 1];
  }

  int valueStart(int member) {
    return spans[4 * member + 2];
  }

  int valueEnd(int member) {
    return spans[4 * member + 3];
  }

  /** The nested object of an object-valued member, scanned on first use. */
  JsonObjectView child(int member) {
    if (children == null) {
      children = new JsonObjectView[keys.size()];
    }
    JsonObjectView c = children[member];
    if (c == null) {
      c = new JsonObjectView(bytes, valueStart(member));
      children[member] = c;
    }
    return c;
  }

  private void add(int keyStart, int keyEnd, int valueStart, int valueEnd) {
    int m = keys.size();
    if (4 * m + 4 > spans.length) {
      spans = java.util.Arrays.copyOf(spans, spans.length * 2);
    }
    spans[4 * m] = keyStart;
    spans[4 * m + 1] = keyEnd;
    spans[4 * m + 2] = valueStart;
    spans[4 * m + 3] = valueEnd;
    keys.add(decodeKey(keyStart, keyEnd));
  }

  private String decodeKey(int start, int end) {
    int from = start + 1;
    int to = end - 1;
    boolean escaped = false;
    for (int i = from; i < to; i++) {
      if (bytes[i] == '\\') {
        escaped = true;
        break;
      }
    }
    String raw = new String(bytes, from, to - from, StandardCharsets.UTF_8);
    return escaped ? unescape(raw) : raw;
  }

  private static String unescape(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c != '\\' || i + 1 >= s.length()) {
        out.append(c);
        continue;
      }
      char e = s.charAt(++i);
      switch (e) {
        case 'b' -> out.append('\b');
        case 'f' -> out.append('\f');
        case 'n' -> out.append('\n');
        case 'r' -> out.append('\r');
        case 't' -> out.append('\t');
        case 'u' -> {
          out.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
          i += 4;
        }
        default -> out.append(e);
      }
    }
    return out.toString();
  }

  private int skipWhitespace(int i) {
    while (i < bytes.length && isWhitespace(bytes[i])) {
      i++;
    }
    return i;
  }

  /** @param i offset of the opening quote; returns the offset after the closing quote */
  private int skipString(int i) {
    expect(i, '"');
    i++;
    while (i < bytes.length) {
      byte c = bytes[i];
      if (c == '"') {
        return i + 1;
      }
      i += c == '\\' ? 2 : 1;
    }
    throw malformed(i);
  }

  private int skipValue(int i) {
    if (i >= bytes.length) {
      throw malformed(i);
    }
    byte c = bytes[i];
    if (c == '"') {
      return skipString(i);
    }
    if (c == '{' || c == '[') {
      int depth = 0;
      while (i < bytes.length) {
        byte b = bytes[i];
        if (b == '"') {
          i = skipString(i);
          continue;
        }
        if (b == '{' || b == '[') {
          depth++;
        } else if (b == '}' || b == ']') {
          depth--;
          if (depth == 0) {
            return i + 1;
          }
        }
        i++;
      }
      throw malformed(i);
    }
    while (i < bytes.length) {
      byte b = bytes[i];
      if (b == ',' || b == '}' || b == ']' || isWhitespace(b)) {
        return i;
      }
      i++;
    }
    return i;
  }

  private void expect(int i, char c) {
    if (i >= bytes.length || bytes[i] != c) {
      throw malformed(i);
    }
  }

  private static IllegalStateException malformed(int at) {
    return new IllegalStateException("Stored entity JSON is malformed at byte " + at);
  }
}
