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
}
