package org.meshportal.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshportal.model.errors.InputException;

class PlaceholdersTest {
  @TempDir Path dir;

  /** A real reader over the temp dir, resolving refs relative to it, as the catalog would. */
  private final List<String> reads = new ArrayList<>();

  private byte[] read(String ref) throws IOException {
    reads.add(ref);
    return Files.readAllBytes(dir.resolve(ref));
  }

  private void write(String name, String content) throws IOException {
    Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
  }

  @Test
  void substitutesTextJsonAndYamlAnywhere() throws IOException {
    write("openapi.yaml", "openapi: 3.0.0\ninfo:\n  title: Pets\n");
    write("data.json", "{\"a\": [1, 2], \"b\": null}");
    write("list.yaml", "- x\n- y\n");
    JsonNode entity = Json.parse("""
        {"kind":"API","metadata":{"name":"a"},
         "spec":{"definition":{"$text":"openapi.yaml"},
                 "nested":[{"deep":{"$json":"data.json"}}, {"$yaml":"openapi.yaml"}],
                 "list":{"$yaml":"list.yaml"}}}""");
    JsonNode out = Placeholders.substitute(entity, this::read);
    assertEquals("openapi: 3.0.0\ninfo:\n  title: Pets\n", out.at("/spec/definition").asText());
    assertEquals(Json.parse("{\"a\":[1,2],\"b\":null}"), out.at("/spec/nested/0/deep"));
    assertEquals("Pets", out.at("/spec/nested/1/info/title").asText());
    assertEquals(Json.parse("[\"x\",\"y\"]"), out.at("/spec/list"));
    assertTrue(entity.at("/spec/definition").isObject(), "the input tree is not changed");
  }

  @Test
  void leavesOtherDollarObjectsAlone() throws IOException {
    JsonNode entity = Json.parse("""
        {"spec":{"parameters":{"$ref":"#/definitions/x"},
                 "two":{"$text":"a","other":1},
                 "notString":{"$text":5},
                 "schema":{"$schema":"http://json-schema.org/draft-07/schema"}}}""");
    assertEquals(entity, Placeholders.substitute(entity, this::read));
    assertEquals(List.of(), reads);
  }

  @Test
  void substitutedContentIsNotSearchedAgain() throws IOException {
    write("inner.json", "{\"$text\": \"missing.txt\"}");
    JsonNode out = Placeholders.substitute(Json.parse("{\"x\":{\"$json\":\"inner.json\"}}"), this::read);
    assertEquals(Json.parse("{\"$text\":\"missing.txt\"}"), out.get("x"));
  }

  @Test
  void missingFileNamesPlaceholderAndRef() {
    InputException e = assertThrows(InputException.class,
        () -> Placeholders.substitute(Json.parse("{\"d\":{\"$text\":\"nope.yaml\"}}"), this::read));
    assertTrue(e.getMessage().startsWith("Placeholder $text could not read location nope.yaml, "), e.getMessage());
    assertTrue(e.getCause() instanceof NoSuchFileException);
    assertEquals("InputError", e.errorName());
  }

  @Test
  void badJsonAndYamlNamePlaceholderAndRef() throws IOException {
    write("bad.json", "{\"a\": }");
    write("bad.yaml", "a: [\n");
    write("two.json", "{} {}");
    InputException json = assertThrows(InputException.class,
        () -> Placeholders.substitute(Json.parse("{\"d\":{\"$json\":\"bad.json\"}}"), this::read));
    assertTrue(json.getMessage().startsWith("Placeholder $json failed to parse JSON data at bad.json, "), json.getMessage());
    assertTrue(json.getMessage().contains("line 1"), json.getMessage());
    InputException trailing = assertThrows(InputException.class,
        () -> Placeholders.substitute(Json.parse("{\"d\":{\"$json\":\"two.json\"}}"), this::read));
    assertTrue(trailing.getMessage().startsWith("Placeholder $json failed to parse JSON data at two.json"));
    InputException yaml = assertThrows(InputException.class,
        () -> Placeholders.substitute(Json.parse("{\"d\":{\"$yaml\":\"bad.yaml\"}}"), this::read));
    assertTrue(yaml.getMessage().startsWith("Placeholder $yaml failed to parse YAML data at bad.yaml, "), yaml.getMessage());
    assertTrue(yaml.getMessage().contains("Invalid YAML"), yaml.getMessage());
  }

  @Test
  void readerReturningNullIsAnError() {
    InputException e = assertThrows(InputException.class,
        () -> Placeholders.substitute(Json.parse("{\"d\":{\"$text\":\"x\"}}"), ref -> null));
    assertEquals("Placeholder $text could not read location x, no content", e.getMessage());
  }

  @Test
  void may_contain_finds_dollar_keys_at_any_depth_only() throws Exception {
    com.fasterxml.jackson.databind.ObjectMapper m = new com.fasterxml.jackson.databind.ObjectMapper();
    org.junit.jupiter.api.Assertions.assertTrue(Placeholders.mayContain(m.readTree("{\"spec\":{\"list\":[{\"definition\":{\"$text\":\"./a\"}}]}}")));
    org.junit.jupiter.api.Assertions.assertFalse(Placeholders.mayContain(m.readTree("{\"spec\":{\"list\":[\"$text\"],\"a\":\"$b\"}}")));
  }
}
