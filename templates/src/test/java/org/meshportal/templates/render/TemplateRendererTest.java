package org.meshportal.templates.render;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TemplateRendererTest {

  private final TemplateRenderer renderer = new TemplateRenderer();
  private final ObjectMapper json = new ObjectMapper();

  private Map<String, Object> context() throws Exception {
    JsonNode ctx = json.readTree("""
        {"parameters": {"name": "My-Service", "count": 3, "flag": true,
                        "tags": ["a", "b"], "owner": {"team": {"name": "payments"}},
                        "repoUrl": "github.com?owner=acme&repo=web", "ref": "group:ops/team-a"}}
        """);
    @SuppressWarnings("unchecked")
    Map<String, Object> m = (Map<String, Object>) renderer.toContext(ctx);
    return m;
  }

  private String text(String t) throws Exception {
    return renderer.renderString(t, context()).asText();
  }

  @Test
  void single_expression_keeps_native_type() throws Exception {
    Map<String, Object> ctx = context();
    assertEquals(3, renderer.renderString("${{ parameters.count }}", ctx).intValue());
    assertTrue(renderer.renderString("${{ parameters.flag }}", ctx).isBoolean());
    assertEquals("[\"a\",\"b\"]", renderer.renderString("${{ parameters.tags }}", ctx).toString());
    assertEquals("payments", renderer.renderString(" ${{ parameters.owner }} ", ctx).at("/team/name").asText());
    assertTrue(renderer.renderString("${{ parameters.missing }}", ctx).isNull());
    assertEquals("3 items", renderer.renderString("${{ parameters.count }} items", ctx).asText());
  }

  @Test
  void missing_values_render_as_nunjucks_renders_undefined() throws Exception {
    Map<String, Object> ctx = context();
    assertEquals("a--b", text("a-${{ parameters.missing }}-b"));
    assertEquals("a--b", text("a-${{ parameters.missing.deeper }}-b"));
    assertEquals("a--b", text("a-${{ parameters.missing | dump }}-b"), "JSON.stringify(undefined) prints nothing");
    // A string that renders to nothing is undefined in Backstage: its key is dropped.
    JsonNode tree = renderer.renderTree(json.readTree("""
        {"gone":"${{ parameters.missing }}","empty":"{% if false %}x{% endif %}","kept":"x${{ parameters.missing }}"}
        """), ctx, "input", (p, m) -> { throw new AssertionError(p + m); });
    assertEquals("{\"kept\":\"x\"}", tree.toString());
    // Concatenation is JavaScript's: a missing value reads "undefined".
    assertEquals("My-Serviceundefined", text("${{ parameters.name ~ parameters.missing }}"));
    assertEquals("My-Service-undefined", text("${{ parameters.name + '-' + parameters.missing }}"));
    assertEquals("3x", text("${{ parameters.count ~ 'x' }}"));
    assertEquals(4, renderer.renderString("${{ parameters.count + 1 }}", ctx).intValue());
    assertEquals("ab", text("${{ 'a' + 'b' }}"));
    RenderOptions compat = new RenderOptions(true, false);
    assertEquals("<>", renderer.renderText("<{{ values.missing }}>", ctx, compat));
    assertEquals("xundefined", renderer.renderText("{{ 'x' ~ values.missing }}", ctx, compat));
    assertEquals("[\"a\",\"b\"]|", renderer.renderText("{{ parameters.tags | jsonify }}|{{ values.x | jsonify }}", ctx, compat));
    assertThrows(RenderException.class, () -> renderer.renderText("${{ parameters.tags | jsonify }}", ctx, RenderOptions.DEFAULT),
        "jsonify exists only in the cookiecutter-compat environment, as in Backstage");
  }

  @Test
  void nunjucks_filters_behave_like_backstage() throws Exception {
    assertEquals("my-service", text("${{ parameters.name | lower }}"));
    assertEquals("MY-SERVICE", text("${{ parameters.name | upper }}"));
    assertEquals("My_Service", text("${{ parameters.name | replace('-', '_') }}"));
    assertEquals("a,b", text("${{ parameters.tags | join(',') }}"));
    assertEquals("2", text("${{ parameters.tags | length }}"));
    assertEquals("a", text("${{ parameters.tags | first }}"));
    assertEquals("b", text("${{ parameters.tags | last }}"));
    assertEquals("x", text("${{ parameters.nope | default('x') }}"));
    assertEquals("{\"team\":{\"name\":\"payments\"}}", text("${{ parameters.owner | dump }}"));
    assertEquals("padded", text("${{ '  padded ' | trim }}"));
    assertEquals("payments", text("${{ parameters.owner | pick('team.name') }}"));
    assertEquals("acme", text("${{ (parameters.repoUrl | parseRepoUrl).owner }}"));
    assertEquals("acme/web", text("${{ parameters.repoUrl | projectSlug }}"));
    assertEquals("team-a", text("${{ (parameters.ref | parseEntityRef).name }}"));
    assertEquals("Component", text("${{ ('x' | parseEntityRef({'defaultKind': 'Component'})).kind }}"));
    JsonNode parsed = renderer.renderString("${{ parameters.repoUrl | parseRepoUrl }}", context());
    assertEquals("github.com", parsed.get("host").asText());
    assertEquals("web", parsed.get("repo").asText());
  }

  @Test
  void statements_and_literal_double_braces() throws Exception {
    assertEquals("a;b;", text("{% for t in parameters.tags %}${{ t }};{% endfor %}"));
    assertEquals("yes", text("{% if parameters.flag %}yes{% else %}no{% endif %}"));
    assertEquals("{{ parameters.name }}", text("{{ parameters.name }}"));
    assertEquals("My-Service", renderer.renderText("{{ cookiecutter.name }}",
        Map.of("cookiecutter", Map.of("name", "My-Service")), new RenderOptions(true, false)));
  }

  @Test
  void sandbox_refuses_java_methods_and_includes() throws Exception {
    for (String attempt : List.of("${{ parameters.name.getClass() }}", "${{ parameters.name.class }}",
        "${{ parameters.name.bytes }}", "${{ parameters.name.toUpperCase() }}",
        "${{ parameters.tags.getClass().forName('java.lang.Runtime') }}")) {
      try {
        String out = text(attempt);
        assertFalse(out.contains("java") || out.contains("MY-SERVICE") || out.contains("["), attempt + " -> " + out);
      } catch (RenderException refused) {
        // refused outright is fine too
      }
    }
    assertThrows(RenderException.class, () -> text("{% include '/etc/passwd' %}"));
    assertThrows(RenderException.class, () -> text("{% import '/etc/hostname' %}"));
    assertThrows(RenderException.class, () -> text("{% extends 'file:///etc/hostname' %}"));
  }

  @Test
  void expression_error_is_reported_and_raw_string_kept() throws Exception {
    List<String> problems = new ArrayList<>();
    JsonNode out = renderer.renderTree(json.readTree("{\"a\": \"${{ parameters.name | nosuchfilter }}\"}"),
        context(), "input", (path, msg) -> problems.add(path + ": " + msg));
    assertEquals("${{ parameters.name | nosuchfilter }}", out.get("a").asText());
    assertEquals(1, problems.size());
    assertTrue(problems.get(0).startsWith("input.a: "), problems.get(0));
  }

  // ------------------------------------------------------------------ inline if

  private Map<String, Object> values(String jsonText) throws Exception {
    @SuppressWarnings("unchecked")
    Map<String, Object> m = (Map<String, Object>) renderer.toContext(json.readTree(jsonText));
    return m;
  }

  @Test
  void inline_if_with_and_without_else_renders_as_nunjucks() throws Exception {
    assertEquals("My-Service", text("${{ parameters.name if parameters.flag else 'other' }}"));
    assertEquals("other", text("${{ parameters.name if parameters.missing else 'other' }}"));
    assertEquals("My-Service", text("${{ parameters.name if parameters.flag }}"));
    // Without else, a false condition is undefined: nothing in a text, a dropped key in an input.
    assertEquals("[]", text("[${{ parameters.name if parameters.missing }}]"));
    assertTrue(renderer.renderString("${{ parameters.name if parameters.missing }}", context()).isNull());
    // Only the branch taken is evaluated: the other one may fail.
    assertEquals("ok", text("${{ 'ok' if parameters.flag else parameters.name | parseRepoUrl }}"));
    // if and else inside string literals, and attributes of those names, are not the operator.
    assertEquals("a if b else c", text("${{ 'a if b else c' }}"));
    assertEquals("x \"if\" y", text("${{ \"x \\\"if\\\" y\" }}"));
    Map<String, Object> named = values("{\"o\": {\"if\": \"I\", \"else\": \"E\"}}");
    assertEquals("I/E", renderer.renderText("${{ o.if }}/${{ o.else }}", named, RenderOptions.DEFAULT));
    assertEquals("E", renderer.renderText("${{ o.else if o.if else o.if }}", named, RenderOptions.DEFAULT));
  }

  @Test
  void inline_if_uses_javascript_truthiness() throws Exception {
    Map<String, Object> ctx = values("""
        {"emptyString": "", "zero": 0, "zeroFloat": 0.0, "nothing": null, "no": false,
         "text": "x", "zeroText": "0", "falseText": "false", "one": 1, "minus": -1, "half": 0.5, "yes": true,
         "emptyList": [], "emptyObject": {}, "list": [0], "object": {"a": null}}""");
    for (String falsy : List.of("emptyString", "zero", "zeroFloat", "nothing", "no", "missing", "missing.deeper")) {
      assertEquals("F", renderer.renderText("${{ 'T' if " + falsy + " else 'F' }}", ctx, RenderOptions.DEFAULT), falsy);
    }
    for (String truthy : List.of("text", "zeroText", "falseText", "one", "minus", "half", "yes",
        "emptyList", "emptyObject", "list", "object")) {
      assertEquals("T", renderer.renderText("${{ 'T' if " + truthy + " else 'F' }}", ctx, RenderOptions.DEFAULT), truthy);
    }
  }

  @Test
  void inline_if_nests_with_filters_operators_and_calls_as_nunjucks_parses_it() throws Exception {
    // Parenthesised, the whole conditional is filtered; unparenthesised, a filter binds to its operand.
    assertEquals("MY-SERVICE", text("${{ (parameters.name if parameters.flag else 'other') | upper }}"));
    assertEquals("OTHER", text("${{ (parameters.name if parameters.missing else 'other') | upper }}"));
    assertEquals("My-Service", text("${{ parameters.name if parameters.flag else 'other' | upper }}"));
    assertEquals("OTHER", text("${{ parameters.name if parameters.missing else 'other' | upper }}"));
    assertEquals("my-service", text("${{ parameters.name | lower if parameters.flag }}"));
    assertEquals("two", text("${{ 'two' if parameters.tags | length == 2 else 'not two' }}"));
    // The parts are or-expressions: and/or/not/comparisons/concatenation bind tighter.
    assertEquals("yes", text("${{ 'yes' if parameters.missing or parameters.flag else 'no' }}"));
    assertEquals("no", text("${{ 'yes' if not parameters.flag else 'no' }}"));
    assertEquals("a-b", text("${{ 'a' ~ '-' ~ 'b' if parameters.count > 2 else 'c' }}"));
    assertEquals("pre-other", text("${{ 'pre-' ~ (parameters.name if parameters.missing else 'other') }}"));
    assertEquals("4", text("${{ parameters.count + 1 if parameters.flag else 0 }}"));
    // Chained: the else branch is itself an inline if.
    assertEquals("second", text("${{ 'first' if parameters.missing else 'second' if parameters.flag else 'third' }}"));
    assertEquals("third", text("${{ 'first' if parameters.missing else 'second' if parameters.nope else 'third' }}"));
    // In arguments, lists, maps, set and if tags.
    assertEquals("x", text("${{ parameters.missing | default('x' if parameters.flag else 'y') }}"));
    assertEquals("a,z", text("${{ ['a', 'b' if parameters.missing else 'z'] | join(',') }}"));
    assertEquals("v", text("{% set m = {'k': 'v' if parameters.flag else 'w'} %}${{ m.k }}"));
    assertEquals("MY-SERVICE", text("{% set n = parameters.name if parameters.flag else 'other' %}${{ n | upper }}"));
    assertEquals("yes", text("{% if 'x' if parameters.flag %}yes{% else %}no{% endif %}"));
    assertEquals("no", text("{% if ('x' if parameters.missing) %}yes{% else %}no{% endif %}"));
    assertThrows(RenderException.class, () -> text("${{ parameters.name else 'x' }}"));
    RenderException dangling = assertThrows(RenderException.class, () -> renderer.renderText(
        "${{ parameters.name if }}", context(), RenderOptions.DEFAULT));
    assertFalse(dangling.getMessage().contains("#if"), dangling.getMessage());
  }

  @Test
  void inline_if_keeps_native_types_of_a_single_expression() throws Exception {
    Map<String, Object> ctx = context();
    assertEquals(3, renderer.renderString("${{ parameters.count if parameters.flag else 'none' }}", ctx).intValue());
    assertTrue(renderer.renderString("${{ parameters.count if parameters.flag else 'none' }}", ctx).isInt());
    assertEquals("none", renderer.renderString("${{ parameters.count if parameters.missing else 'none' }}", ctx).textValue());
    assertEquals("[\"a\",\"b\"]", renderer.renderString("${{ parameters.tags if parameters.flag }}", ctx).toString());
    assertTrue(renderer.renderString("${{ parameters.flag if parameters.flag }}", ctx).booleanValue());
    assertEquals("payments", renderer.renderString("${{ parameters.owner if parameters.owner else {} }}", ctx)
        .at("/team/name").asText());
    assertEquals("3 or none", renderer.renderString("${{ parameters.count if parameters.flag }} or none", ctx).asText());
  }

  @Test
  void block_tags_if_else_elseif_keep_working_next_to_inline_ifs() throws Exception {
    assertEquals("no", text("{% if parameters.missing %}yes{% else %}no{% endif %}"));
    assertEquals("two", text("{% if parameters.missing %}one{% elseif parameters.flag %}two{% else %}three{% endif %}"));
    assertEquals("a:My-Service;b:My-Service;", text(
        "{%- for t in parameters.tags -%}${{ t }}:${{ parameters.name if parameters.flag else 'x' }};{%- endfor -%}"));
    assertEquals("empty", text("{% for t in [] %}${{ t }}{% else %}${{ 'empty' if parameters.flag }}{% endfor %}"));
    // Comments and verbatim blocks are left alone.
    assertEquals("[]", text("[{# a if b else c #}]"));
    assertEquals("${{ x if y }}", text("{% verbatim %}${{ x if y }}{% endverbatim %}"));
    // Without cookiecutterCompat, {{ }} is text; with it, {{ }} holds expressions.
    assertEquals("{{ a if b }}", text("{{ a if b }}"));
    Map<String, Object> cc = values("{\"cookiecutter\": {\"name\": \"n\", \"description\": \"\"}}");
    RenderOptions compat = new RenderOptions(true, false);
    assertEquals("n: default text", renderer.renderText(
        "{{ cookiecutter.name }}: {{ cookiecutter.description if cookiecutter.description else 'default text' }}", cc, compat));
  }

  /**
   * The two inputs of backstage/software-templates' gitlab-merge-request that use an inline if,
   * in their shape: a multi-line description and a single-expression targetPath.
   */
  @Test
  void gitlab_merge_request_description_and_target_path_shapes() throws Exception {
    JsonNode input = json.readTree("""
        {"description": "# New project: ${{ parameters.name }}\\n${{ parameters.description if parameters.description }}\\n",
         "targetPath": "${{ parameters.targetPath if parameters.targetPath else '.' }}",
         "prTargetPath": "${{ parameters.targetPath if parameters.targetPath else parameters.name }}"}""");
    TemplateRenderer.Problems none = (path, message) -> { throw new AssertionError(path + ": " + message); };
    JsonNode bare = renderer.renderTree(input, values("{\"parameters\": {\"name\": \"svc\"}}"), "input", none);
    assertEquals("# New project: svc\n\n", bare.get("description").textValue());
    assertEquals(".", bare.get("targetPath").textValue());
    assertEquals("svc", bare.get("prTargetPath").textValue());
    JsonNode empty = renderer.renderTree(input,
        values("{\"parameters\": {\"name\": \"svc\", \"description\": \"\", \"targetPath\": \"\"}}"), "input", none);
    assertEquals(bare, empty);
    JsonNode full = renderer.renderTree(input, values(
        "{\"parameters\": {\"name\": \"svc\", \"description\": \"Does things.\", \"targetPath\": \"apps/svc\"}}"),
        "input", none);
    assertEquals("# New project: svc\nDoes things.\n", full.get("description").textValue());
    assertEquals("apps/svc", full.get("targetPath").textValue());
    assertEquals("apps/svc", full.get("prTargetPath").textValue());
  }
}
