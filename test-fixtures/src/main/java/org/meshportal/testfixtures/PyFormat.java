package org.meshportal.testfixtures;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Text forms of plain values (maps keep insertion order, lists, strings, numbers, booleans, null):
 * a small block-style YAML emitter and Python's {@code json.dumps} layout, so the files come out
 * byte for byte as the generator has always written them.
 */
final class PyFormat {
  private static final Pattern PLAIN_SAFE = Pattern.compile("^[A-Za-z0-9_./$][A-Za-z0-9 _./:@${}()+,=<>*-]*$");
  private static final Set<String> RESERVED = Set.of("", "~", "null", "Null", "NULL", "true", "True", "TRUE",
      "false", "False", "FALSE", "yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF",
      "y", "Y", "n", "N");
  private static final Pattern NUMBERISH = Pattern.compile(
      "^[-+]?(\\d[\\d_]*(\\.\\d*)?([eE][-+]?\\d+)?|\\.\\d+|0x[0-9a-fA-F]+|0o[0-7]+|\\.inf|\\.nan)$");

  private PyFormat() {}

  /** An insertion-ordered map from alternating keys and values. */
  static Map<String, Object> map(Object... kv) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  static List<Object> list(Object... items) {
    return new ArrayList<>(List.of(items));
  }

  static String yaml(Object doc) {
    StringBuilder out = new StringBuilder();
    emit(doc, 0, out);
    return out.append('\n').toString();
  }

  /** Documents separated by {@code ---}, after an optional comment header. */
  static String yamlDocs(List<?> docs, String header) {
    StringBuilder out = new StringBuilder();
    if (header != null) {
      for (String line : header.split("\n", -1)) {
        out.append("# ").append(line).append('\n');
      }
    }
    for (int i = 0; i < docs.size(); i++) {
      if (i > 0 || header != null) {
        out.append("---\n");
      }
      out.append(yaml(docs.get(i)));
    }
    return out.toString();
  }

  private static String scalar(Object value) {
    if (value == null) {
      return "null";
    }
    if (value instanceof Boolean b) {
      return b ? "true" : "false";
    }
    if (value instanceof Number n) {
      return number(n);
    }
    String s = value.toString();
    if (RESERVED.contains(s) || NUMBERISH.matcher(s).matches() || !PLAIN_SAFE.matcher(s).matches()
        || !s.equals(s.strip()) || s.contains(": ") || s.contains(" #") || s.endsWith(":")) {
      return jsonString(s, false);
    }
    return s;
  }

  private static boolean nonEmpty(Object v) {
    return (v instanceof Map<?, ?> m && !m.isEmpty()) || (v instanceof List<?> l && !l.isEmpty());
  }

  private static void emit(Object value, int indent, StringBuilder out) {
    String pad = " ".repeat(indent);
    if (value instanceof Map<?, ?> m) {
      if (m.isEmpty()) {
        out.append("{}");
        return;
      }
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!first) {
          out.append('\n').append(pad);
        }
        first = false;
        String key = scalar(e.getKey());
        Object v = e.getValue();
        if (nonEmpty(v)) {
          out.append(key).append(":\n").append(pad).append("  ");
          emit(v, indent + 2, out);
        } else if (v instanceof String s && s.contains("\n")) {
          String body = s.endsWith("\n") ? s.substring(0, s.length() - 1) : s;
          out.append(key).append(": ").append(s.endsWith("\n") ? "|" : "|-").append('\n');
          String[] lines = body.split("\n", -1);
          for (int i = 0; i < lines.length; i++) {
            if (i > 0) {
              out.append('\n');
            }
            if (!lines[i].isEmpty()) {
              out.append(pad).append("  ").append(lines[i]);
            }
          }
        } else if (v instanceof List<?>) {
          out.append(key).append(": []");
        } else if (v instanceof Map<?, ?>) {
          out.append(key).append(": {}");
        } else {
          out.append(key).append(": ").append(scalar(v));
        }
      }
    } else if (value instanceof List<?> l) {
      if (l.isEmpty()) {
        out.append("[]");
        return;
      }
      boolean first = true;
      for (Object item : l) {
        if (!first) {
          out.append('\n').append(pad);
        }
        first = false;
        if (nonEmpty(item)) {
          out.append("- ");
          emit(item, indent + 2, out);
        } else if (item instanceof String s && s.contains("\n")) {
          out.append("- ").append(jsonString(s, false));
        } else if (item instanceof Map<?, ?>) {
          out.append("- {}");
        } else if (item instanceof List<?>) {
          out.append("- []");
        } else {
          out.append("- ").append(scalar(item));
        }
      }
    } else {
      out.append(scalar(value));
    }
  }

  /** {@code json.dumps(value, indent=2)} (ASCII only, as Python's default). */
  static String json(Object value) {
    StringBuilder out = new StringBuilder();
    json(value, 0, out);
    return out.toString();
  }

  private static void json(Object value, int level, StringBuilder out) {
    String inner = "  ".repeat(level + 1);
    if (value instanceof Map<?, ?> m) {
      if (m.isEmpty()) {
        out.append("{}");
        return;
      }
      out.append("{\n");
      boolean first = true;
      for (Map.Entry<?, ?> e : m.entrySet()) {
        if (!first) {
          out.append(",\n");
        }
        first = false;
        out.append(inner).append(jsonString(e.getKey().toString(), true)).append(": ");
        json(e.getValue(), level + 1, out);
      }
      out.append('\n').append("  ".repeat(level)).append('}');
    } else if (value instanceof List<?> l) {
      if (l.isEmpty()) {
        out.append("[]");
        return;
      }
      out.append("[\n");
      for (int i = 0; i < l.size(); i++) {
        if (i > 0) {
          out.append(",\n");
        }
        out.append(inner);
        json(l.get(i), level + 1, out);
      }
      out.append('\n').append("  ".repeat(level)).append(']');
    } else if (value instanceof String s) {
      out.append(jsonString(s, true));
    } else if (value instanceof Number n) {
      out.append(number(n));
    } else if (value instanceof Boolean b) {
      out.append(b ? "true" : "false");
    } else {
      out.append("null");
    }
  }

  private static String number(Number n) {
    if (n instanceof Double d) {
      return d == Math.rint(d) && !d.isInfinite() ? String.format("%.1f", d) : Double.toString(d);
    }
    return n.toString();
  }

  static String jsonString(String s, boolean asciiOnly) {
    StringBuilder out = new StringBuilder("\"");
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"' -> out.append("\\\"");
        case '\\' -> out.append("\\\\");
        case '\n' -> out.append("\\n");
        case '\r' -> out.append("\\r");
        case '\t' -> out.append("\\t");
        case '\b' -> out.append("\\b");
        case '\f' -> out.append("\\f");
        default -> {
          if (c < 0x20 || (asciiOnly && c > 0x7e)) {
            out.append(String.format("\\u%04x", (int) c));
          } else {
            out.append(c);
          }
        }
      }
    }
    return out.append('"').toString();
  }
}
