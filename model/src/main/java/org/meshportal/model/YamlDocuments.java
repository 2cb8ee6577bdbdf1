package org.meshportal.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the YAML documents of one file into Jackson trees, the way Backstage reads catalog files
 * (YAML 1.2 core schema, like the {@code yaml} npm package), but defensively: size, nesting depth
 * and alias expansion are capped, duplicate keys and non-UTF-8 bytes are errors, and no input makes
 * it throw. A document that fails (duplicate key, alias limits, not an object) does not stop the
 * others. When the YAML syntax itself breaks, or nesting goes past the depth limit (scanning on
 * would cost quadratic time), the documents read before are kept and the error is reported for the
 * document that broke; the rest of the file is not read.
 *
 * <p>Stateless and thread-safe.
 */
public final class YamlDocuments {
  /** Backstage-like default limit for one catalog file. */
  public static final long DEFAULT_MAX_BYTES = 5L * 1024 * 1024;

  private YamlDocuments() {}

  /**
   * Caps for one file.
   *
   * @param maxBytes largest accepted file, in bytes
   * @param maxDepth deepest nesting of objects/arrays in a document (aliases included)
   * @param maxAliases most aliases to collections per document
   * @param maxAliasedNodes most tree nodes that alias expansion may add per document
   */
  public record Limits(long maxBytes, int maxDepth, int maxAliases, int maxAliasedNodes) {
    public Limits {
      if (maxBytes < 1 || maxDepth < 1 || maxAliases < 0 || maxAliasedNodes < 0) {
        throw new IllegalArgumentException("YAML limits must be positive: maxBytes=" + maxBytes + ", maxDepth="
            + maxDepth + ", maxAliases=" + maxAliases + ", maxAliasedNodes=" + maxAliasedNodes);
      }
    }

    /** Defaults for everything but the size: depth 100, 100 aliases, 100 000 aliased nodes. */
    public static Limits ofMaxBytes(long maxBytes) {
      return new Limits(maxBytes, 100, 100, 100_000);
    }
  }

  /** An entity document: its 0-based position among all documents of the file, and its tree. */
  public record Document(int index, ObjectNode entity) {}

  /**
   * A problem. {@code index} is the 0-based document it belongs to, or -1 for the whole file;
   * {@code line} and {@code column} are 1-based, 0 when unknown.
   */
  public record Problem(int index, String message, int line, int column) {
    public boolean wholeFile() {
      return index < 0;
    }

    /** E.g. {@code document 2, line 7, column 3: Map keys must be unique ...}. */
    public String describe() {
      StringBuilder b = new StringBuilder();
      if (index >= 0) {
        b.append("document ").append(index + 1);
      }
      if (line > 0) {
        b.append(b.isEmpty() ? "" : ", ").append("line ").append(line).append(", column ").append(column);
      }
      return b.isEmpty() ? message : b + ": " + message;
    }
  }

  /** Entity documents in file order, and every problem found. Empty documents are skipped silently. */
  public record Result(List<Document> documents, List<Problem> problems) {
    public Result {
      documents = List.copyOf(documents);
      problems = List.copyOf(problems);
    }
  }

  /** Reads a catalog file: every document must be an object (or empty). */
  public static Result parse(byte[] content, long maxBytes) {
    return parse(content, Limits.ofMaxBytes(maxBytes));
  }

  public static Result parse(byte[] content, Limits limits) {
    Values values = readValues(content, limits);
    List<Document> documents = new ArrayList<>();
    List<Problem> problems = new ArrayList<>(values.problems());
    for (Value v : values.values()) {
      JsonNode node = v.node();
      if (node instanceof ObjectNode object) {
        documents.add(new Document(v.index(), object));
      } else if (!node.isNull()) {
        problems.add(new Problem(v.index(), "Expected object at root, got " + typeName(node), v.line(), v.column()));
      }
    }
    problems.sort((a, b) -> Integer.compare(a.index(), b.index()));
    return new Result(documents, problems);
  }

  /**
   * Reads the first document of a file as any JSON value (used for {@code $yaml} placeholders).
   *
   * @throws IllegalArgumentException with the reason when the content cannot be read
   */
  public static JsonNode parseFirst(byte[] content, Limits limits) {
    Values values = readValues(content, limits);
    if (!values.problems().isEmpty()) {
      Problem first = values.problems().get(0);
      if (values.values().isEmpty() || first.index() <= values.values().get(0).index()) {
        throw new IllegalArgumentException(first.describe());
      }
    }
    return values.values().isEmpty()
        ? com.fasterxml.jackson.databind.node.NullNode.getInstance()
        : values.values().get(0).node();
  }

  /** One successfully read document, null documents included; position of its first event. */
  record Value(int index, JsonNode node, int line, int column) {}

  record Values(List<Value> values, List<Problem> problems) {}

  static Values readValues(byte[] content, Limits limits) {
    if (content.length > limits.maxBytes()) {
      return new Values(List.of(), List.of(new Problem(-1,
          "File is " + content.length + " bytes, more than the limit of " + limits.maxBytes() + " bytes", 0, 0)));
    }
    String text;
    try {
      text = decodeUtf8(content);
    } catch (IllegalArgumentException e) {
      return new Values(List.of(), List.of(new Problem(-1, e.getMessage(), 0, 0)));
    }
    return new YamlTreeReader(limits).read(text);
  }

  private static String decodeUtf8(byte[] content) {
    CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
        .onMalformedInput(CodingErrorAction.REPORT)
        .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(content);
    CharBuffer out = CharBuffer.allocate(content.length);
    CoderResult result = decoder.decode(in, out, true);
    if (result.isError()) {
      throw new IllegalArgumentException("File is not valid UTF-8 (bad byte sequence at byte offset " + in.position() + ")");
    }
    result = decoder.flush(out);
    if (result.isError()) {
      throw new IllegalArgumentException("File is not valid UTF-8 (truncated byte sequence at the end)");
    }
    out.flip();
    String text = out.toString();
    return text.startsWith("\uFEFF") ? text.substring(1) : text;
  }

  private static String typeName(JsonNode node) {
    if (node.isArray()) {
      return "array";
    }
    if (node.isTextual()) {
      return "string";
    }
    if (node.isNumber()) {
      return "number";
    }
    if (node.isBoolean()) {
      return "boolean";
    }
    return node.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
  }
}
