package org.meshportal.catalog.processing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/**
 * Safe multi-document YAML parsing with limits, used until the model's YamlDocuments is wired
 * in: no duplicate keys, few aliases, bounded nesting and size.
 */
final class InterimYamlParser implements DocumentParser {
  private static final int MAX_DEPTH = 64;
  private final int maxBytes;

  InterimYamlParser(int maxBytes) {
    this.maxBytes = maxBytes;
  }

  @Override
  public List<Document> parse(byte[] content) {
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(content))
          .toString();
    } catch (CharacterCodingException e) {
      throw new IllegalArgumentException("the file is not valid UTF-8");
    }
    LoadSettings settings = LoadSettings.builder()
        .setAllowDuplicateKeys(false)
        .setMaxAliasesForCollections(50)
        .setCodePointLimit(maxBytes)
        .setAllowRecursiveKeys(false)
        .build();
    List<Document> out = new ArrayList<>();
    Iterator<Object> it = new Load(settings).loadAllFromString(text).iterator();
    while (true) {
      try {
        if (!it.hasNext()) {
          break;
        }
        out.add(new Document(toJson(it.next(), 0), null));
      } catch (RuntimeException e) {
        out.add(new Document(null, firstLine(e.getMessage())));
        break; // the parser cannot resync after a syntax error
      }
    }
    return out;
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "invalid YAML";
    }
    return message.replace('\n', ' ').trim();
  }

  private static JsonNode toJson(Object value, int depth) {
    if (depth > MAX_DEPTH) {
      throw new IllegalArgumentException("document is nested deeper than " + MAX_DEPTH + " levels");
    }
    JsonNodeFactory f = JsonNodeFactory.instance;
    if (value == null) {
      return f.nullNode();
    }
    if (value instanceof Map<?, ?> map) {
      ObjectNode o = f.objectNode();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        o.set(String.valueOf(e.getKey()), toJson(e.getValue(), depth + 1));
      }
      return o;
    }
    if (value instanceof List<?> list) {
      ArrayNode a = f.arrayNode();
      for (Object item : list) {
        a.add(toJson(item, depth + 1));
      }
      return a;
    }
    if (value instanceof Boolean b) {
      return f.booleanNode(b);
    }
    if (value instanceof Integer i) {
      return f.numberNode(i);
    }
    if (value instanceof Long l) {
      return f.numberNode(l);
    }
    if (value instanceof java.math.BigInteger b) {
      return f.numberNode(b);
    }
    if (value instanceof Double d) {
      return f.numberNode(d);
    }
    return f.textNode(String.valueOf(value));
  }
}
