package org.meshportal.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ContainerNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigInteger;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.meshportal.model.YamlDocuments.Limits;
import org.meshportal.model.YamlDocuments.Problem;
import org.meshportal.model.YamlDocuments.Value;
import org.meshportal.model.YamlDocuments.Values;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.events.AliasEvent;
import org.snakeyaml.engine.v2.events.CollectionStartEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.NodeEvent;
import org.snakeyaml.engine.v2.events.ScalarEvent;
import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.parser.Parser;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.resolver.ScalarResolver;
import org.snakeyaml.engine.v2.scanner.StreamReader;
import org.snakeyaml.engine.v2.schema.CoreSchema;

/**
 * Builds Jackson trees straight from snakeyaml-engine's parser events. Working on events (rather
 * than snakeyaml's recursive composer) keeps the stack flat however deep the input nests, and lets
 * every limit be enforced before memory is spent: depth, alias count and alias expansion size.
 * A problem inside one document marks only that document as failed; its remaining events are
 * consumed and the next document is read normally.
 */
final class YamlTreeReader {
  private final Limits limits;
  private final ScalarResolver resolver = new CoreSchema().getScalarResolver();

  YamlTreeReader(Limits limits) {
    this.limits = limits;
  }

  /**
   * Reads without positions first (snakeyaml then allocates no mark per token, a large share of
   * its work); only when something is wrong, and a message must name a line, is the text read
   * again with them. A clean file, the usual case, is read once.
   */
  Values read(String text) {
    Values fast = read(text, false);
    boolean clean = fast.problems().isEmpty()
        && fast.values().stream().allMatch(v -> v.node().isObject() || v.node().isNull());
    return clean ? fast : read(text, true);
  }

  private Values read(String text, boolean marks) {
    LoadSettings settings = LoadSettings.builder()
        .setCodePointLimit((int) Math.min(Integer.MAX_VALUE, Math.max(limits.maxBytes(), 1)))
        .setUseMarks(marks)
        .setParseComments(false)
        .build();
    List<Value> values = new ArrayList<>();
    List<Problem> problems = new ArrayList<>();
    int index = -1;
    DocumentBuilder doc = null;
    try {
      Parser parser = new ParserImpl(settings, new StreamReader(settings, text));
      while (parser.hasNext()) {
        Event event = parser.next();
        switch (event.getEventId()) {
          case DocumentStart -> {
            index++;
            doc = new DocumentBuilder(index, event.getStartMark());
          }
          case DocumentEnd -> {
            if (doc != null) {
              doc.finish().ifPresentOrElse(values::add, () -> {});
              if (doc.failure != null) {
                problems.add(doc.failure);
              }
            }
            doc = null;
          }
          case StreamStart, StreamEnd, Comment -> {}
          default -> {
            if (doc != null) {
              doc.accept(event);
            }
          }
        }
        if (doc != null && doc.stopReading) {
          // Scanning on through pathological nesting costs quadratic time in snakeyaml's scanner.
          problems.add(doc.failure);
          break;
        }
      }
    } catch (MarkedYamlEngineException e) {
      int at = doc != null ? doc.index : index + 1;
      if (doc != null && doc.failure != null) {
        problems.add(doc.failure);
      }
      Optional<Mark> mark = e.getProblemMark().or(e::getContextMark);
      String context = e.getContext() == null ? "" : " (" + e.getContext() + ")";
      problems.add(problem(at, "Invalid YAML: " + e.getProblem() + context, mark));
    } catch (YamlEngineException | IllegalArgumentException | IllegalStateException | IndexOutOfBoundsException e) {
      // Reader errors (e.g. control characters) and any parser fault still end as a reported problem.
      int at = doc != null ? doc.index : index + 1;
      problems.add(new Problem(at, "Invalid YAML: " + e.getMessage(), 0, 0));
    }
    return new Values(values, problems);
  }

  private static Problem problem(int index, String message, Optional<Mark> mark) {
    return mark.map(m -> new Problem(index, message, m.getLine() + 1, m.getColumn() + 1))
        .orElseGet(() -> new Problem(index, message, 0, 0));
  }

  /** Thrown inside one document; caught by {@link DocumentBuilder#accept}. */
  private static final class DocumentFailure extends RuntimeException {
    private final Optional<Mark> mark;
    private final boolean stopReading;

    DocumentFailure(String message, Optional<Mark> mark) {
      this(message, mark, false);
    }

    DocumentFailure(String message, Optional<Mark> mark, boolean stopReading) {
      super(message, null, false, false);
      this.mark = mark;
      this.stopReading = stopReading;
    }
  }

  /** An anchored value with its nesting depth and node count, to price its aliases. */
  private record Anchored(JsonNode node, int depth, int size) {}

  /** An open object or array. */
  private static final class Frame {
    final ContainerNode<?> node;
    final String anchor;
    boolean expectingKey = true;
    String key;
    int size = 1;
    int childDepth;

    Frame(ContainerNode<?> node, String anchor) {
      this.node = node;
      this.anchor = anchor;
    }
  }

  private final class DocumentBuilder {
    final int index;
    final Optional<Mark> start;
    final Deque<Frame> stack = new ArrayDeque<>();
    final Map<String, Anchored> anchors = new HashMap<>();
    JsonNode root;
    int aliases;
    long aliasedNodes;
    Problem failure;
    boolean stopReading;

    DocumentBuilder(int index, Optional<Mark> start) {
      this.index = index;
      this.start = start;
    }

    Optional<Value> finish() {
      if (failure != null || root == null) {
        return Optional.empty();
      }
      int line = start.map(m -> m.getLine() + 1).orElse(0);
      int column = start.map(m -> m.getColumn() + 1).orElse(0);
      return Optional.of(new Value(index, root, line, column));
    }

    void accept(Event event) {
      if (failure != null) {
        return;
      }
      try {
        handle(event);
      } catch (DocumentFailure f) {
        failure = problem(index, f.getMessage(), f.mark);
        stopReading = f.stopReading;
      }
    }

    private void handle(Event event) {
      switch (event.getEventId()) {
        case Scalar -> {
          ScalarEvent s = (ScalarEvent) event;
          complete(scalar(s), 0, 1, anchorOf(s), event.getStartMark());
        }
        case MappingStart, SequenceStart -> {
          if (stack.size() + 1 > limits.maxDepth()) {
            throw new DocumentFailure("Nesting is deeper than the limit of " + limits.maxDepth()
                + " levels; the rest of the file was not read", event.getStartMark(), true);
          }
          ContainerNode<?> node = event.getEventId() == Event.ID.MappingStart
              ? JsonNodeFactory.instance.objectNode()
              : JsonNodeFactory.instance.arrayNode();
          stack.push(new Frame(node, anchorOf((CollectionStartEvent) event)));
        }
        case MappingEnd, SequenceEnd -> {
          Frame frame = stack.pop();
          complete(frame.node, frame.childDepth + 1, frame.size, frame.anchor, event.getStartMark());
        }
        case Alias -> alias((AliasEvent) event);
        default -> {}
      }
    }

    private void alias(AliasEvent event) {
      String name = event.getAlias().getValue();
      Anchored anchored = anchors.get(name);
      if (anchored == null) {
        throw new DocumentFailure("Alias *" + name + " refers to an anchor that is not defined before it"
            + " (or to a collection that contains the alias)", event.getStartMark());
      }
      JsonNode value = anchored.node();
      if (value.isContainerNode()) {
        if (++aliases > limits.maxAliases()) {
          throw new DocumentFailure("More than " + limits.maxAliases()
              + " aliases to collections; refusing to expand (possible alias bomb)", event.getStartMark());
        }
        aliasedNodes += anchored.size();
        if (aliasedNodes > limits.maxAliasedNodes()) {
          throw new DocumentFailure("Aliases expand to more than " + limits.maxAliasedNodes()
              + " nodes; refusing to expand (possible alias bomb)", event.getStartMark());
        }
        if (stack.size() + anchored.depth() > limits.maxDepth()) {
          throw new DocumentFailure("Nesting is deeper than the limit of " + limits.maxDepth()
              + " levels (through alias *" + name + ")", event.getStartMark());
        }
        value = value.deepCopy();
      }
      complete(value, anchored.depth(), anchored.size(), null, event.getStartMark());
    }

    private void complete(JsonNode value, int depth, int size, String anchor, Optional<Mark> mark) {
      if (anchor != null) {
        anchors.put(anchor, new Anchored(value, depth, size));
      }
      Frame parent = stack.peek();
      if (parent == null) {
        root = value;
        return;
      }
      parent.size += size;
      parent.childDepth = Math.max(parent.childDepth, depth);
      if (parent.node instanceof ArrayNode array) {
        array.add(value);
        return;
      }
      ObjectNode object = (ObjectNode) parent.node;
      if (parent.expectingKey) {
        // keys repeat across every document (apiVersion, metadata, name…): one shared copy each
        // instead of one per occurrence keeps the trees a bulk ingest holds much smaller
        String key = keyText(value).intern();
        if (object.has(key)) {
          throw new DocumentFailure("Map keys must be unique; \"" + key + "\" appears more than once", mark);
        }
        parent.key = key;
        parent.expectingKey = false;
      } else {
        object.set(parent.key, value);
        parent.expectingKey = true;
      }
    }
  }

  private static String anchorOf(NodeEvent event) {
    return event.getAnchor().map(a -> a.getValue()).orElse(null);
  }

  /** How the {@code yaml} package turns a non-string key into an object key. */
  private static String keyText(JsonNode key) {
    if (key.isNull()) {
      return "";
    }
    return key.isValueNode() ? key.asText() : key.toString();
  }

  /** YAML 1.2 core schema: plain scalars resolve to null/bool/int/float/str; quoted ones are strings. */
  private JsonNode scalar(ScalarEvent event) {
    String value = event.getValue();
    Optional<String> explicit = event.getTag().filter(t -> !t.equals("!"));
    Tag tag;
    if (explicit.isPresent()) {
      tag = new Tag(explicit.get());
    } else if (event.getTag().isEmpty() && event.isPlain()) {
      tag = plainTag(value);
    } else {
      tag = Tag.STR;
    }
    JsonNodeFactory f = JsonNodeFactory.instance;
    try {
      if (tag.equals(Tag.NULL)) {
        return NullNode.getInstance();
      }
      if (tag.equals(Tag.BOOL)) {
        String v = value.toLowerCase(Locale.ROOT);
        if (!v.equals("true") && !v.equals("false")) {
          throw new NumberFormatException();
        }
        return f.booleanNode(v.equals("true"));
      }
      if (tag.equals(Tag.INT)) {
        return integer(value);
      }
      if (tag.equals(Tag.FLOAT)) {
        return floating(value);
      }
    } catch (NumberFormatException e) {
      throw new DocumentFailure("Invalid value \"" + value + "\" for tag " + tag.getValue(), event.getStartMark());
    }
    // Strings, and unknown or custom tags, which the yaml package also leaves as strings.
    return f.textNode(value);
  }

  private static JsonNode integer(String value) {
    String v = value.replace("_", "");
    boolean negative = v.startsWith("-");
    if (v.startsWith("-") || v.startsWith("+")) {
      v = v.substring(1);
    }
    BigInteger n;
    if (v.startsWith("0o")) {
      n = new BigInteger(v.substring(2), 8);
    } else if (v.startsWith("0x")) {
      n = new BigInteger(v.substring(2), 16);
    } else {
      n = new BigInteger(v);
    }
    if (negative) {
      n = n.negate();
    }
    JsonNodeFactory f = JsonNodeFactory.instance;
    if (n.bitLength() < 32) {
      return f.numberNode(n.intValue());
    }
    return n.bitLength() < 64 ? f.numberNode(n.longValue()) : f.numberNode(n);
  }

  /**
   * The core schema's tag of a plain scalar. Its null, bool, int and float forms all start with a
   * digit, sign, dot, tilde or one of n/N/t/T/f/F, so a value starting with any other letter is a
   * string: most keys and values skip the resolver's regular expressions.
   */
  Tag plainTag(String value) {
    if (!value.isEmpty()) {
      char c = value.charAt(0);
      boolean letter = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
      if (letter && "nNtTfF".indexOf(c) < 0) {
        return Tag.STR;
      }
    }
    return resolver.resolve(value, true);
  }

  /** JSON has no infinity or NaN; they become null, as JSON.stringify makes them. */
  private static JsonNode floating(String value) {
    String v = value.toLowerCase(Locale.ROOT);
    if (v.endsWith(".inf") || v.equals(".nan")) {
      return NullNode.getInstance();
    }
    double d = Double.parseDouble(value);
    return Double.isFinite(d) ? JsonNodeFactory.instance.numberNode(d) : NullNode.getInstance();
  }
}
