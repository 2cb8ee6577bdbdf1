package org.meshportal.templates.render;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.pebbletemplates.pebble.PebbleEngine;
import io.pebbletemplates.pebble.error.PebbleException;
import io.pebbletemplates.pebble.extension.ExtensionCustomizer;
import io.pebbletemplates.pebble.extension.core.DisallowExtensionCustomizerBuilder;
import io.pebbletemplates.pebble.lexer.Syntax;
import io.pebbletemplates.pebble.loader.StringLoader;
import java.io.IOException;
import java.io.StringWriter;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Renders Backstage's Nunjucks dialect ({@code ${{ expr }}}, {@code {% stmt %}}) with Pebble.
 *
 * <p>Pebble was chosen over Jinjava because its lexer takes arbitrary delimiter strings, so
 * {@code ${{} can be the print delimiter while a plain {@code {{ }}} stays literal text. The engine
 * is sandboxed: every Java method call on a value is refused, {@code include/import/extends/embed/
 * from/parallel/cache} tags are removed, and the loader only ever sees the literal text given to it
 * (no file or classpath lookups). Context values must be plain maps, lists, strings, numbers and
 * booleans (see {@link #toContext(JsonNode)}).
 *
 * <p>Thread-safe; one instance per application.
 */
public final class TemplateRenderer {

  private static final Pattern SINGLE_EXPRESSION = Pattern.compile("^\\$\\{\\{(.*)}}$", Pattern.DOTALL);
  private static final int MAX_RENDERED_CHARS = 10 * 1024 * 1024;
  private static final List<String> DISALLOWED_TAGS =
      List.of("include", "import", "from", "extends", "embed", "block", "parallel", "cache", "flush");

  private final ObjectMapper json = new ObjectMapper();
  private final NunjucksExtension extension;
  private final NunjucksExtension cookiecutterExtension;
  private final Map<RenderOptions, PebbleEngine> engines = new ConcurrentHashMap<>();

  public TemplateRenderer() {
    this.extension = new NunjucksExtension(json, false);
    this.cookiecutterExtension = new NunjucksExtension(json, true);
  }

  /** Filter and global descriptions for {@code GET /v2/templating-extensions}. */
  public ObjectNode extensionsDescription() {
    return extension.describe();
  }

  /** Renders a whole text (file contents, file names). */
  public String renderText(String template, Map<String, Object> context, RenderOptions options)
      throws RenderException {
    if (!mayContainTemplate(template, options)) {
      return template;
    }
    PebbleEngine engine = engines.computeIfAbsent(options, this::newEngine);
    try {
      StringWriter out = new StringWriter();
      String marked = InlineIf.mark(template, options.cookiecutter() ? "{{" : "${{");
      engine.getLiteralTemplate(marked).evaluate(out, new java.util.HashMap<>(context));
      return out.toString();
    } catch (PebbleException e) {
      throw new RenderException(describe(e), e);
    } catch (IOException | RuntimeException e) {
      throw new RenderException(e.getClass().getSimpleName() + ": " + e.getMessage(), e);
    }
  }

  /**
   * Renders one string value the way Backstage renders step inputs: a string that is exactly one
   * {@code ${{ }}} expression yields the expression's native JSON value ({@code null} when it is
   * undefined); any other string renders to text. Like Backstage's NunjucksWorkflowRunner, a string
   * that renders to nothing is undefined ({@code null} here), so {@link #renderTree} drops its key.
   */
  public JsonNode renderString(String value, Map<String, Object> context) throws RenderException {
    Matcher m = SINGLE_EXPRESSION.matcher(value.strip());
    if (m.matches() && !m.group(1).contains("${{") && !m.group(1).contains("}}")) {
      String text = renderText("${{ (" + m.group(1) + ") | " + NunjucksExtension.NATIVE_FILTER + " }}",
          context, RenderOptions.DEFAULT);
      try {
        return json.readTree(text);
      } catch (IOException e) {
        throw new RenderException("expression did not produce a value", e);
      }
    }
    String text = renderText(value, context, RenderOptions.DEFAULT);
    return text.isEmpty() ? JsonNodeFactory.instance.nullNode() : JsonNodeFactory.instance.textNode(text);
  }

  /**
   * Renders every string in a JSON tree. A string that fails to render keeps its raw text (as
   * Backstage does) and the failure is reported to {@code problems} with its JSON path; object keys
   * whose single-expression value is undefined are dropped, so a required input shows up as missing
   * in schema validation instead of as an empty string.
   */
  public JsonNode renderTree(JsonNode node, Map<String, Object> context, String path, Problems problems) {
    if (node == null) {
      return null;
    }
    if (node.isTextual()) {
      try {
        return renderString(node.textValue(), context);
      } catch (RenderException e) {
        problems.report(path, e.getMessage());
        return node;
      }
    }
    if (node.isArray()) {
      ArrayNode out = JsonNodeFactory.instance.arrayNode();
      for (int i = 0; i < node.size(); i++) {
        JsonNode item = renderTree(node.get(i), context, path + "[" + i + "]", problems);
        out.add(item == null ? JsonNodeFactory.instance.nullNode() : item);
      }
      return out;
    }
    if (node.isObject()) {
      ObjectNode out = JsonNodeFactory.instance.objectNode();
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> e = fields.next();
        JsonNode v = renderTree(e.getValue(), context, path + "." + e.getKey(), problems);
        if (v != null && !v.isNull()) {
          out.set(e.getKey(), v);
        } else if (e.getValue().isNull()) {
          out.set(e.getKey(), e.getValue());
        }
      }
      return out;
    }
    return node;
  }

  /** Receives render failures of {@link #renderTree}: where, and why. */
  @FunctionalInterface
  public interface Problems {
    void report(String path, String message);
  }

  /** Nunjucks truthiness: false, null/undefined, "", 0 and [] are false. */
  public static boolean isTruthy(JsonNode v) {
    if (v == null || v.isNull() || v.isMissingNode()) {
      return false;
    }
    if (v.isBoolean()) {
      return v.booleanValue();
    }
    if (v.isNumber()) {
      return v.doubleValue() != 0;
    }
    if (v.isTextual()) {
      return !v.textValue().isEmpty();
    }
    if (v.isArray()) {
      return !v.isEmpty();
    }
    return true;
  }

  /** Turns a JSON tree into the plain maps/lists/scalars the sandbox accepts as context. */
  public Object toContext(JsonNode node) {
    return node == null ? null : json.convertValue(node, Object.class);
  }

  private static boolean mayContainTemplate(String template, RenderOptions options) {
    return template.contains(options.cookiecutter() ? "{{" : "${{") || template.contains("{%")
        || template.contains("{#");
  }

  private static String describe(PebbleException e) {
    String msg = InlineIf.unmark(e.getPebbleMessage() == null ? e.getMessage() : e.getPebbleMessage());
    Integer line = e.getLineNumber();
    return line == null ? msg : msg + " (line " + line + ")";
  }

  private PebbleEngine newEngine(RenderOptions options) {
    Syntax syntax = new Syntax.Builder()
        .setPrintOpenDelimiter(options.cookiecutter() ? "{{" : "${{")
        .setPrintCloseDelimiter("}}")
        .setExecuteOpenDelimiter("{%")
        .setExecuteCloseDelimiter("%}")
        .setCommentOpenDelimiter("{#")
        .setCommentCloseDelimiter("#}")
        .setEnableNewLineTrimming(options.trimBlocks())
        .build();
    var disallowCore = new DisallowExtensionCustomizerBuilder()
        .disallowedTokenParserTags(DISALLOWED_TAGS)
        .disallowedFunctionKeys(List.of("block", "parent", "i18n"))
        // Nunjucks semantics for these come from NunjucksExtension.
        .disallowedFilterKeys(NunjucksExtension.OVERRIDDEN_CORE_FILTERS)
        .disallowedBinaryOperatorSymbols(JsConcatenation.SYMBOLS)
        .build();
    return new PebbleEngine.Builder()
        .loader(new StringLoader())
        .syntax(syntax)
        .newLineTrimming(options.trimBlocks())
        .autoEscaping(false)
        .strictVariables(false)
        .cacheActive(false)
        .maxRenderedSize(MAX_RENDERED_CHARS)
        .methodAccessValidator((object, method) -> false)
        .extension(options.cookiecutter() ? cookiecutterExtension : extension)
        .registerExtensionCustomizer(ext -> ext instanceof NunjucksExtension
            ? new ExtensionCustomizer(ext) {}
            : disallowCore.apply(ext))
        .build();
  }
}
