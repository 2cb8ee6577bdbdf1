package org.meshportal.catalog.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Loads Backstage-style app-config files: later files win (objects merge key by key, everything
 * else is replaced), {@code ${VAR}} is substituted from the environment ({@code $${...}} escapes),
 * and the merged tree is checked against {@link ConfigSchema} with errors that name key and file.
 */
public final class ConfigLoader {
  private static final Pattern ENV = Pattern.compile("\\$(\\$?)\\{([^}]*)}");
  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final Function<String, String> env;

  public ConfigLoader(Function<String, String> env) {
    this.env = env;
  }

  /** Where a file's content comes from: a file name (for messages) and its text. */
  public record Source(String name, String text) {
    public static Source of(Path file) {
      try {
        return new Source(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
      } catch (IOException e) {
        throw new ConfigException("cannot read config file " + file + ": " + e.getMessage());
      }
    }
  }

  public AppConfig load(List<Source> sources) {
    ObjectNode merged = JSON.objectNode();
    Map<String, String> origin = new HashMap<>();
    for (Source source : sources) {
      JsonNode tree = parse(source);
      if (tree == null) {
        continue;
      }
      if (!tree.isObject()) {
        throw new ConfigException("config file " + source.name() + " must contain a YAML mapping at the top level");
      }
      merge(merged, (ObjectNode) tree, "", source.name(), origin);
    }
    validate(ConfigSchema.ROOT, merged, "", origin);
    return new AppConfig(merged);
  }

  private JsonNode parse(Source source) {
    LoadSettings settings = LoadSettings.builder()
        .setAllowDuplicateKeys(false)
        .setMaxAliasesForCollections(50)
        .setLabel(source.name())
        .build();
    Object data;
    try {
      data = new Load(settings).loadFromString(source.text());
    } catch (RuntimeException e) {
      throw new ConfigException("config file " + source.name() + " is not valid YAML: " + e.getMessage());
    }
    return data == null ? null : toJson(data, source.name(), "");
  }

  private JsonNode toJson(Object value, String file, String path) {
    if (value == null) {
      return JSON.nullNode();
    }
    if (value instanceof Map<?, ?> map) {
      ObjectNode o = JSON.objectNode();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        String key = String.valueOf(e.getKey());
        JsonNode v = toJson(e.getValue(), file, join(path, key));
        if (v != null) {
          o.set(key, v);
        }
      }
      return o;
    }
    if (value instanceof List<?> list) {
      ArrayNode a = JSON.arrayNode();
      int i = 0;
      for (Object item : list) {
        JsonNode v = toJson(item, file, path + "[" + i++ + "]");
        if (v != null) {
          a.add(v);
        }
      }
      return a;
    }
    if (value instanceof String s) {
      return substitute(s, file, path);
    }
    if (value instanceof Boolean b) {
      return JSON.booleanNode(b);
    }
    if (value instanceof Integer || value instanceof Long || value instanceof java.math.BigInteger) {
      return JSON.numberNode(((Number) value).longValue());
    }
    if (value instanceof Number n) {
      return JSON.numberNode(n.doubleValue());
    }
    return JSON.textNode(String.valueOf(value));
  }

  /** Backstage semantics: a value whose variable is unset becomes undefined (the key is dropped). */
  private JsonNode substitute(String s, String file, String path) {
    Matcher m = ENV.matcher(s);
    StringBuilder out = new StringBuilder();
    boolean undefined = false;
    while (m.find()) {
      if (!m.group(1).isEmpty()) {
        m.appendReplacement(out, Matcher.quoteReplacement("${" + m.group(2) + "}"));
        continue;
      }
      String name = m.group(2).trim();
      if (name.isEmpty()) {
        throw new ConfigException("config key '" + path + "' in " + file + ": empty ${} substitution");
      }
      String v = env.apply(name);
      if (v == null) {
        undefined = true;
        v = "";
      }
      m.appendReplacement(out, Matcher.quoteReplacement(v));
    }
    m.appendTail(out);
    return undefined ? null : JSON.textNode(out.toString());
  }

  private static void merge(ObjectNode target, ObjectNode source, String path, String file, Map<String, String> origin) {
    Iterator<Map.Entry<String, JsonNode>> it = source.fields();
    while (it.hasNext()) {
      Map.Entry<String, JsonNode> e = it.next();
      String key = join(path, e.getKey());
      JsonNode existing = target.get(e.getKey());
      if (existing instanceof ObjectNode eo && e.getValue() instanceof ObjectNode so) {
        origin.putIfAbsent(key, file);
        merge(eo, so, key, file, origin);
      } else {
        target.set(e.getKey(), e.getValue().deepCopy());
        markOrigin(e.getValue(), key, file, origin);
      }
    }
  }

  private static void markOrigin(JsonNode node, String path, String file, Map<String, String> origin) {
    origin.put(path, file);
    if (node.isObject()) {
      node.fields().forEachRemaining(e -> markOrigin(e.getValue(), join(path, e.getKey()), file, origin));
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        markOrigin(node.get(i), path + "[" + i + "]", file, origin);
      }
    }
  }

  private static void validate(ConfigSchema schema, JsonNode node, String path, Map<String, String> origin) {
    switch (schema) {
      case ConfigSchema.Obj obj -> {
        if (!node.isObject()) {
          throw wrongType(path, "an object", node, origin);
        }
        node.fields().forEachRemaining(e -> {
          String key = join(path, e.getKey());
          ConfigSchema child = obj.keys().get(e.getKey());
          if (child == null) {
            throw new ConfigException("unknown config key '" + key + "' in " + fileOf(key, origin)
                + (path.isEmpty() ? "" : "; known keys under '" + path + "': " + String.join(", ", obj.keys().keySet())));
          }
          validate(child, e.getValue(), key, origin);
        });
      }
      case ConfigSchema.MapOf map -> {
        if (!node.isObject()) {
          throw wrongType(path, "an object", node, origin);
        }
        node.fields().forEachRemaining(e -> validate(map.value(), e.getValue(), join(path, e.getKey()), origin));
      }
      case ConfigSchema.ListOf list -> {
        if (!node.isArray()) {
          throw wrongType(path, "a list", node, origin);
        }
        for (int i = 0; i < node.size(); i++) {
          validate(list.item(), node.get(i), path + "[" + i + "]", origin);
        }
      }
      case ConfigSchema.StringOrList sol -> {
        if (node.isArray()) {
          for (int i = 0; i < node.size(); i++) {
            if (!node.get(i).isTextual()) {
              throw wrongType(path + "[" + i + "]", "a string", node.get(i), origin);
            }
          }
        } else if (!node.isTextual()) {
          throw wrongType(path, "a string or a list of strings", node, origin);
        }
      }
      case ConfigSchema.AnyValue any -> { }
      case ConfigSchema.Scalar scalar -> {
        boolean ok = switch (scalar) {
          case STRING -> node.isTextual() || node.isNumber() || node.isBoolean();
          case INTEGER -> node.isIntegralNumber() || (node.isTextual() && node.asText().matches("-?\\d+"));
          case NUMBER -> node.isNumber() || (node.isTextual() && node.asText().matches("-?\\d+(\\.\\d+)?"));
          case BOOLEAN -> node.isBoolean() || (node.isTextual() && node.asText().matches("true|false"));
        };
        if (!ok) {
          throw wrongType(path, switch (scalar) {
            case STRING -> "a string";
            case INTEGER -> "an integer";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
          }, node, origin);
        }
      }
    }
  }

  private static ConfigException wrongType(String path, String expected, JsonNode node, Map<String, String> origin) {
    String kind = node.isObject() ? "an object" : node.isArray() ? "a list" : node.isNull() ? "null" : node.toString();
    return new ConfigException("config key '" + path + "' in " + fileOf(path, origin) + " must be " + expected + " but is " + kind);
  }

  private static String fileOf(String path, Map<String, String> origin) {
    String p = path;
    while (true) {
      String f = origin.get(p);
      if (f != null) {
        return f;
      }
      int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
      if (cut <= 0) {
        return "the configuration";
      }
      p = p.substring(0, cut);
    }
  }

  private static String join(String path, String key) {
    return path.isEmpty() ? key : path + "." + key;
  }
}
