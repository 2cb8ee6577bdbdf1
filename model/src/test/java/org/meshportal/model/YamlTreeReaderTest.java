package org.meshportal.model;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.resolver.ScalarResolver;
import org.snakeyaml.engine.v2.schema.CoreSchema;

class YamlTreeReaderTest {

  @Test
  void the_plain_scalar_shortcut_gives_the_core_schema_tag_of_every_value() {
    String alphabet = "aAeEfFiInNoOtTxXyYzZ019.+-~_ ";
    List<String> values = new ArrayList<>(List.of("", "null", "Null", "NULL", "nULL", "true", "True", "TRUE", "tRUE",
        "false", "False", "FALSE", "yes", "No", "on", "~", ".inf", "-.Inf", "+.INF", ".nan", ".NaN", "0o17", "0x1F",
        "1e3", "-1.5E-3", "infinity", "nan", "NaN", "Infinity", "o17", "x1F", "e5", "production", "kcp.io/path"));
    for (char a : alphabet.toCharArray()) {
      values.add(String.valueOf(a));
      for (char b : alphabet.toCharArray()) {
        values.add("" + a + b);
        for (char c : alphabet.toCharArray()) {
          values.add("" + a + b + c);
        }
      }
    }
    ScalarResolver core = new CoreSchema().getScalarResolver();
    YamlTreeReader reader = new YamlTreeReader(YamlDocuments.Limits.ofMaxBytes(1024));
    for (String v : values) {
      assertEquals(core.resolve(v, true), reader.plainTag(v), () -> "tag of plain scalar '" + v + "'");
    }
  }

  @Test
  void a_file_with_a_problem_is_reported_with_its_line_and_a_clean_file_parses_the_same() {
    YamlDocuments.Result clean = YamlDocuments.parse("""
        kind: Component
        metadata: {name: a, tags: [x, 1, true, null, 2.5]}
        ---
        kind: Group
        metadata: {name: b}
        """.getBytes(java.nio.charset.StandardCharsets.UTF_8), 1024);
    assertEquals(List.of(), clean.problems());
    assertEquals(2, clean.documents().size());
    assertEquals("[\"x\",1,true,null,2.5]", clean.documents().get(0).entity().path("metadata").path("tags").toString());

    YamlDocuments.Result broken = YamlDocuments.parse("""
        kind: Component
        ---
        kind: Group
        kind: User
        """.getBytes(java.nio.charset.StandardCharsets.UTF_8), 1024);
    assertEquals(1, broken.documents().size());
    assertEquals(1, broken.problems().size());
    assertEquals(4, broken.problems().get(0).line(), broken.problems().toString());
  }
}
