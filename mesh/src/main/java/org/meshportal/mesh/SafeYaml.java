package org.meshportal.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Parse;
import org.snakeyaml.engine.v2.common.Anchor;
import org.snakeyaml.engine.v2.events.AliasEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.NodeEvent;
import org.snakeyaml.engine.v2.events.ScalarEvent;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.resolver.CoreScalarResolver;
import org.snakeyaml.engine.v2.resolver.ScalarResolver;

/**
 * Multi-document YAML to Jackson trees with hard limits: alias count, nesting depth, code points,
 * and no duplicate keys. Built straight from the parser's event stream, so deep nesting is stopped
 * by a counter instead of the composer's recursion, and aliases share nodes instead of copying.
 *
 * <p>This is the one place that knows snakeyaml-engine; swapping it for the model module's reader
 * later only touches this class. Not thread-safe per call; instances hold only settings.
 */
final class SafeYaml {

  /** Documents read before the first failure, and the failure (null when all went well). */
  record Parsed(List<JsonNode> documents, String error, int errorDocument) {}

  private static final String STR_TAG = Tag.STR.getValue();
  private static final String INT_TAG = Tag.INT.getValue();
  private static final String FLOAT_TAG = Tag.FLOAT.getValue();
  private static final String BOOL_TAG = Tag.BOOL.getValue();
  private static final String NULL_TAG = Tag.NULL.getValue();

  private final int maxAliases;
  private final int maxDepth;
  private final ScalarResolver resolver = new CoreScalarResolver();
  private final JsonNodeFactory nodes = JsonNodeFactory.instance;

  SafeYaml(int maxAliases, int maxDepth) {
    this.maxAliases = maxAliases;
    this.maxDepth = maxDepth;
  }

  Parsed parse(String text, String label) {
    LoadSettings settings = LoadSettings.builder()
        .setLabel(label)
        .setAllowDuplicateKeys(false)
        .setAllowRecursiveKeys(false)
        .setMaxAliasesForCollections(maxAliases)
        .setCodePointLimit(Math.max(text.length() + 1, 1))
        .setParseComments(false)
        .build();
    Builder builder = new Builder();
    try {
      for (Event event : new Parse(settings).parseString(text)) {
        builder.accept(event);
      }
      return new Parsed(builder.documents, null, -1);
    } catch (Rejected e) {
      return new Parsed(builder.documents, e.getMessage(), builder.documentIndex);
    } catch (MarkedYamlEngineException e) {
      String where = e.getProblemMark().map(SafeYaml::position).orElse("");
      return new Parsed(builder.documents, "YAML syntax error" + where + ": " + e.getProblem(), builder.documentIndex);
    } catch (YamlEngineException e) {
      return new Parsed(builder.documents, "YAML error: " + e.getMessage(), builder.documentIndex);
    }
  }

  private static String position(Mark mark) {
    return " at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
  }

  /** Signals a limit or shape violation found while building; carries the user-facing reason. */
  private static final class Rejected extends RuntimeException {
    Rejected(String message) {
      super(message, null, false, false);
    }
  }

  private static final class Frame {
    final ContainerNode<?> node;
    String pendingKey;

    Frame(ContainerNode<?> node) {
      this.node = node;
    }
  }

  private final class Builder {
    final List<JsonNode> documents = new ArrayList<>();
    final Deque<Frame> stack = new ArrayDeque<>();
    final Map<String, JsonNode> anchors = new HashMap<>();
    final Set<JsonNode> open = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    int documentIndex = -1;
    int aliases;
    JsonNode root;

    void accept(Event event) {
      switch (event.getEventId()) {
        case DocumentStart -> {
          documentIndex++;
          anchors.clear();
          aliases = 0;
          root = null;
        }
        case DocumentEnd -> documents.add(root == null ? nodes.nullNode() : root);
        case MappingStart -> openContainer(nodes.objectNode(), (NodeEvent) event);
        case SequenceStart -> openContainer(nodes.arrayNode(), (NodeEvent) event);
        case MappingEnd, SequenceEnd -> {
          Frame frame = stack.pop();
          open.remove(frame.node);
          if (frame.pendingKey != null) {
            throw new Rejected("mapping key '" + frame.pendingKey + "' has no value");
          }
        }
        case Scalar -> scalar((ScalarEvent) event);
        case Alias -> alias((AliasEvent) event);
        default -> { }
      }
    }

    private void openContainer(ContainerNode<?> node, NodeEvent event) {
      attach(node);
      if (stack.size() >= maxDepth) {
        throw new Rejected("nesting deeper than " + maxDepth + " levels");
      }
      stack.push(new Frame(node));
      open.add(node);
      remember(event.getAnchor(), node);
    }

    private void scalar(ScalarEvent event) {
      Frame top = stack.peek();
      if (top != null && top.node instanceof ObjectNode object && top.pendingKey == null) {
        String key = event.getValue();
        if (object.has(key)) {
          throw new Rejected("duplicate key '" + key + "'");
        }
        top.pendingKey = key;
        return;
      }
      JsonNode value = resolve(event);
      attach(value);
      remember(event.getAnchor(), value);
    }

    private void alias(AliasEvent event) {
      if (++aliases > maxAliases) {
        throw new Rejected("more than " + maxAliases + " aliases in one document");
      }
      String name = event.getAlias().getValue();
      JsonNode target = anchors.get(name);
      if (target == null) {
        throw new Rejected("alias *" + name + " refers to no anchor");
      }
      if (open.contains(target)) {
        throw new Rejected("alias *" + name + " refers to its own enclosing node");
      }
      Frame top = stack.peek();
      if (top != null && top.node instanceof ObjectNode && top.pendingKey == null) {
        if (!target.isValueNode()) {
          throw new Rejected("alias *" + name + " used as a mapping key");
        }
        scalarKey(top, target.asText());
        return;
      }
      attach(target);
    }

    private void scalarKey(Frame top, String key) {
      if (((ObjectNode) top.node).has(key)) {
        throw new Rejected("duplicate key '" + key + "'");
      }
      top.pendingKey = key;
    }

    private void remember(Optional<Anchor> anchor, JsonNode node) {
      anchor.ifPresent(a -> anchors.put(a.getValue(), node));
    }

    private void attach(JsonNode node) {
      Frame top = stack.peek();
      if (top == null) {
        root = node;
      } else if (top.node instanceof ObjectNode object) {
        if (top.pendingKey == null) {
          throw new Rejected("only scalar mapping keys are supported");
        }
        object.set(top.pendingKey, node);
        top.pendingKey = null;
      } else {
        ((ArrayNode) top.node).add(node);
      }
    }
  }

  private JsonNode resolve(ScalarEvent event) {
    String value = event.getValue();
    String tag = event.getTag().orElse(null);
    if (tag == null || "!".equals(tag)) {
      if (!event.isPlain()) {
        return nodes.textNode(value);
      }
      tag = resolver.resolve(value, true).getValue();
    }
    try {
      if (STR_TAG.equals(tag)) {
        return nodes.textNode(value);
      } else if (NULL_TAG.equals(tag)) {
        return nodes.nullNode();
      } else if (BOOL_TAG.equals(tag)) {
        return nodes.booleanNode(value.equalsIgnoreCase("true"));
      } else if (INT_TAG.equals(tag)) {
        return integer(value);
      } else if (FLOAT_TAG.equals(tag)) {
        return nodes.numberNode(floating(value));
      }
    } catch (NumberFormatException e) {
      throw new Rejected("'" + value + "' is not a valid number for its tag");
    }
    return nodes.textNode(value);
  }

  private JsonNode integer(String raw) {
    String v = raw.replace("_", "");
    boolean negative = v.startsWith("-");
    if (v.startsWith("-") || v.startsWith("+")) {
      v = v.substring(1);
    }
    BigInteger n;
    if (v.startsWith("0x")) {
      n = new BigInteger(v.substring(2), 16);
    } else if (v.startsWith("0o")) {
      n = new BigInteger(v.substring(2), 8);
    } else {
      n = new BigInteger(v);
    }
    if (negative) {
      n = n.negate();
    }
    return n.bitLength() < 32 ? nodes.numberNode(n.intValue())
        : n.bitLength() < 64 ? nodes.numberNode(n.longValue()) : nodes.numberNode(n);
  }

  private static double floating(String raw) {
    String v = raw.replace("_", "").toLowerCase(Locale.ROOT);
    return switch (v) {
      case ".inf", "+.inf" -> Double.POSITIVE_INFINITY;
      case "-.inf" -> Double.NEGATIVE_INFINITY;
      case ".nan" -> Double.NaN;
      default -> Double.parseDouble(v);
    };
  }
}
