package org.meshportal.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.meshportal.model.YamlDocuments.Problem;
import org.meshportal.model.YamlDocuments.Result;

class YamlDocumentsTest {
  private static final long MAX = YamlDocuments.DEFAULT_MAX_BYTES;

  private static Result parse(String yaml) {
    return YamlDocuments.parse(yaml.getBytes(StandardCharsets.UTF_8), MAX);
  }

  private static Problem onlyProblem(Result r) {
    assertEquals(1, r.problems().size(), () -> "problems: " + r.problems());
    return r.problems().get(0);
  }

  @Test
  void readsMultipleDocumentsWithIndexes() {
    Result r = parse("""
        apiVersion: backstage.io/v1alpha1
        kind: Component
        metadata:
          name: a
        ---
        # comment only document is null and skipped
        ---
        kind: API
        metadata: {name: b}
        ---
        """);
    assertEquals(List.of(), r.problems());
    assertEquals(2, r.documents().size());
    assertEquals(0, r.documents().get(0).index());
    assertEquals("a", r.documents().get(0).entity().at("/metadata/name").asText());
    assertEquals(2, r.documents().get(1).index());
    assertEquals("API", r.documents().get(1).entity().get("kind").asText());
  }

  @Test
  void emptyFileHasNoDocumentsAndNoProblems() {
    assertEquals(new Result(List.of(), List.of()), parse(""));
    assertEquals(new Result(List.of(), List.of()), parse("# just a comment\n"));
    assertEquals(new Result(List.of(), List.of()), parse("---\n---\n...\n"));
  }

  @Test
  void coreSchemaScalars() {
    JsonNode e = parse("""
        s: hello
        quoted: "123"
        int: 42
        neg: -7
        hex: 0x1F
        oct: 0o17
        big: 123456789012345678901234567890
        long: 12345678901
        float: 1.5
        exp: 1e3
        inf: .inf
        nan: .NaN
        t: true
        f: False
        n: null
        tilde: ~
        empty:
        yes11: yes
        on11: on
        date: 2024-01-01
        explicitStr: !!str 12
        custom: !thing value
        literal: |
          line1
          line2
        merge: {<<: {a: 1}}
        1: numeric key
        """).documents().get(0).entity();
    assertEquals("hello", e.get("s").asText());
    assertTrue(e.get("quoted").isTextual());
    assertEquals(42, e.get("int").intValue());
    assertEquals(-7, e.get("neg").intValue());
    assertEquals(31, e.get("hex").intValue());
    assertEquals(15, e.get("oct").intValue());
    assertTrue(e.get("big").isBigInteger());
    assertEquals(12345678901L, e.get("long").longValue());
    assertEquals(1.5, e.get("float").doubleValue());
    assertEquals(1000.0, e.get("exp").doubleValue());
    assertTrue(e.get("inf").isNull());
    assertTrue(e.get("nan").isNull());
    assertTrue(e.get("t").booleanValue());
    assertTrue(e.get("f").isBoolean());
    assertTrue(e.get("n").isNull());
    assertTrue(e.get("tilde").isNull());
    assertTrue(e.get("empty").isNull());
    assertEquals("yes", e.get("yes11").asText(), "YAML 1.1 booleans are strings in 1.2");
    assertEquals("on", e.get("on11").asText());
    assertEquals("2024-01-01", e.get("date").asText(), "no timestamps in the core schema");
    assertEquals("12", e.get("explicitStr").asText());
    assertEquals("value", e.get("custom").asText());
    assertEquals("line1\nline2\n", e.get("literal").asText());
    assertEquals(1, e.at("/merge/<<").get("a").intValue(), "no merge keys in YAML 1.2");
    assertEquals("numeric key", e.get("1").asText());
  }

  @Test
  void anchorsAndAliasesAreExpandedAsCopies() {
    JsonNode e = parse("""
        base: &b {x: 1, tags: [a]}
        copy: *b
        name: &n hello
        again: *n
        """).documents().get(0).entity();
    assertEquals(e.get("base"), e.get("copy"));
    assertTrue(e.get("base") != e.get("copy"), "aliases must not share mutable nodes");
    assertEquals("hello", e.get("again").asText());
  }

  @Test
  void invalidYamlReportsLineAndColumn() {
    Problem p = onlyProblem(parse("a: b\nc: [unclosed\nd: e\n"));
    assertTrue(p.message().startsWith("Invalid YAML: "), p.message());
    assertEquals(0, p.index());
    assertTrue(p.line() >= 2, p.toString());
    assertTrue(p.column() >= 1, p.toString());
    assertTrue(p.describe().startsWith("document 1, line "), p.describe());
  }

  @Test
  void syntaxErrorKeepsDocumentsBeforeIt() {
    Result r = parse("kind: A\n---\nkind: B\n---\nkind: [broken\n---\nkind: D\n");
    assertEquals(2, r.documents().size());
    assertEquals(List.of(0, 1), r.documents().stream().map(YamlDocuments.Document::index).toList());
    Problem p = onlyProblem(r);
    assertEquals(2, p.index());
    assertTrue(p.line() >= 5, p.toString());
  }

  @Test
  void badIndentationIsInvalidYaml() {
    Problem p = onlyProblem(parse("metadata:\n  name: a\n name: b\n"));
    assertTrue(p.message().startsWith("Invalid YAML"), p.message());
    assertEquals(3, p.line());
  }

  @Test
  void nonUtf8IsAWholeFileError() {
    byte[] bytes = {'a', ':', ' ', (byte) 0xC3, (byte) 0x28, '\n'};
    Result r = YamlDocuments.parse(bytes, MAX);
    Problem p = onlyProblem(r);
    assertTrue(p.wholeFile());
    assertEquals("File is not valid UTF-8 (bad byte sequence at byte offset 3)", p.message());
    assertEquals(List.of(), r.documents());
    Problem latin1 = onlyProblem(YamlDocuments.parse("name: caf\u00e9".getBytes(StandardCharsets.ISO_8859_1), MAX));
    assertTrue(latin1.message().contains("not valid UTF-8"));
  }

  @Test
  void byteOrderMarkIsIgnored() {
    byte[] yaml = "\uFEFFkind: A\n".getBytes(StandardCharsets.UTF_8);
    assertEquals("A", YamlDocuments.parse(yaml, MAX).documents().get(0).entity().get("kind").asText());
  }

  @Test
  void oversizeFileIsRejectedBeforeParsing() {
    byte[] bytes = "kind: A\n".repeat(100).getBytes(StandardCharsets.UTF_8);
    Problem p = onlyProblem(YamlDocuments.parse(bytes, 100));
    assertTrue(p.wholeFile());
    assertEquals("File is 800 bytes, more than the limit of 100 bytes", p.message());
    assertEquals(1, YamlDocuments.parse(bytes, 800).problems().size(), "100 duplicate keys in one document");
  }

  @Test
  void aliasBombIsRefused() {
    StringBuilder y = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x, x]\n");
    for (char c = 'b'; c <= 'j'; c++) {
      char prev = (char) (c - 1);
      y.append(c).append(": &").append(c).append(" [");
      for (int i = 0; i < 10; i++) {
        y.append(i == 0 ? "" : ", ").append('*').append(prev);
      }
      y.append("]\n");
    }
    y.append("---\nkind: ok\n");
    Result r = parse(y.toString());
    Problem p = onlyProblem(r);
    assertEquals(0, p.index());
    assertTrue(p.message().contains("possible alias bomb"), p.message());
    assertEquals(1, r.documents().size(), "the next document is still read");
    assertEquals(1, r.documents().get(0).index());
  }

  @Test
  void manySmallAliasesWithinLimitsAreFine() {
    StringBuilder y = new StringBuilder("base: &b {k: v}\nlist:\n");
    for (int i = 0; i < 100; i++) {
      y.append("  - *b\n");
    }
    assertEquals(List.of(), parse(y.toString()).problems());
    Problem p = onlyProblem(parse(y + "  - *b\n"));
    assertTrue(p.message().startsWith("More than 100 aliases"), p.message());
  }

  @Test
  void recursiveAliasIsAnError() {
    Problem p = onlyProblem(parse("a: &a [1, *a]\n"));
    assertTrue(p.message().contains("Alias *a"), p.message());
  }

  @Test
  void deepNestingIsRefusedQuicklyWithoutStackOverflow() {
    String deep = "kind: first\n---\na: " + "[".repeat(2_000_000) + "]".repeat(2_000_000) + "\n---\nkind: next\n";
    // Four million brackets: scanning them all would take minutes (quadratic), so this also guards speed.
    Result r = parse(deep);
    Problem p = onlyProblem(r);
    assertEquals("Nesting is deeper than the limit of 100 levels; the rest of the file was not read", p.message());
    assertEquals(1, p.index());
    assertEquals(List.of(0), r.documents().stream().map(YamlDocuments.Document::index).toList());
    String blockDeep = "a:\n" + java.util.stream.IntStream.range(1, 120)
        .mapToObj(i -> " ".repeat(i) + "k:\n").reduce("", String::concat);
    assertTrue(onlyProblem(parse(blockDeep)).message().startsWith("Nesting is deeper"));
    String ok = "a: " + "[".repeat(99) + "]".repeat(99);
    assertEquals(List.of(), parse(ok).problems());
  }

  @Test
  void deepNestingThroughAliasesCounts() {
    YamlDocuments.Limits limits = new YamlDocuments.Limits(MAX, 5, 100, 1000);
    String y = "a: &a [[[1]]]\nb: [[*a]]\n";
    Problem p = onlyProblem(YamlDocuments.parse(y.getBytes(StandardCharsets.UTF_8), limits));
    assertTrue(p.message().contains("through alias *a"), p.message());
  }

  @Test
  void duplicateKeysFailOnlyTheirDocument() {
    Result r = parse("kind: A\nmetadata:\n  name: x\n  name: y\n---\nkind: B\n");
    Problem p = onlyProblem(r);
    assertEquals(0, p.index());
    assertEquals("Map keys must be unique; \"name\" appears more than once", p.message());
    assertEquals(4, p.line());
    assertEquals(3, p.column());
    assertEquals(1, r.documents().size());
    assertEquals("B", r.documents().get(0).entity().get("kind").asText());
  }

  @Test
  void topLevelListAndScalarsAreErrorsForTheirDocument() {
    Result r = parse("- a\n- b\n---\njust text\n---\n42\n---\nkind: ok\n");
    assertEquals(1, r.documents().size());
    assertEquals(3, r.documents().get(0).index());
    assertEquals(List.of("Expected object at root, got array", "Expected object at root, got string",
        "Expected object at root, got number"), r.problems().stream().map(Problem::message).toList());
    assertEquals(List.of(0, 1, 2), r.problems().stream().map(Problem::index).toList());
    assertEquals(1, r.problems().get(0).line());
  }

  @Test
  void controlCharactersAreAnErrorNotACrash() {
    Problem p = onlyProblem(parse("a: b\u0001c\n"));
    assertTrue(p.message().startsWith("Invalid YAML"), p.message());
  }

  @Test
  void explicitTagWithWrongValueFailsTheDocument() {
    Problem p = onlyProblem(parse("a: !!int twelve\n"));
    assertEquals("Invalid value \"twelve\" for tag tag:yaml.org,2002:int", p.message());
  }

  @Test
  void garbageNeverThrows() {
    java.util.Random random = new java.util.Random(42);
    String alphabet = "ab:- \n\t[]{}&*!|>'\"#%@`,?.~0x";
    for (int i = 0; i < 2000; i++) {
      StringBuilder b = new StringBuilder();
      int len = random.nextInt(60);
      for (int j = 0; j < len; j++) {
        b.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      parse(b.toString());
    }
  }

  @Test
  void parseFirstReturnsAnyValue() {
    YamlDocuments.Limits limits = YamlDocuments.Limits.ofMaxBytes(MAX);
    assertEquals(Json.parse("[1,\"a\"]"), YamlDocuments.parseFirst("- 1\n- a\n".getBytes(StandardCharsets.UTF_8), limits));
    assertEquals(Json.parse("{\"openapi\":\"3.0.0\"}"),
        YamlDocuments.parseFirst("openapi: 3.0.0\n---\nx: 1\n".getBytes(StandardCharsets.UTF_8), limits));
    assertTrue(YamlDocuments.parseFirst(new byte[0], limits).isNull());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> YamlDocuments.parseFirst("a: [".getBytes(StandardCharsets.UTF_8), limits));
    assertTrue(e.getMessage().contains("Invalid YAML"), e.getMessage());
  }

  @Test
  void limitsAreValidated() {
    assertThrows(IllegalArgumentException.class, () -> new YamlDocuments.Limits(0, 1, 1, 1));
    assertThrows(IllegalArgumentException.class, () -> new YamlDocuments.Limits(1, 0, 1, 1));
  }
}
