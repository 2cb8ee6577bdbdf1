package org.meshportal.catalog.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.meshportal.model.errors.InputException;
import org.meshportal.model.query.EntityPredicate;
import org.meshportal.model.query.EntityPredicate.All;
import org.meshportal.model.query.EntityPredicate.Any;
import org.meshportal.model.query.EntityPredicate.Exists;
import org.meshportal.model.query.EntityPredicate.HasPrefix;
import org.meshportal.model.query.EntityPredicate.MatchAll;
import org.meshportal.model.query.EntityPredicate.MatchNone;
import org.meshportal.model.query.EntityPredicate.Not;
import org.meshportal.model.query.EntityPredicate.ValueIn;

class PredicateParserTest {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private static EntityPredicate parse(String json) throws Exception {
    return PredicateParser.parse(MAPPER.readTree(json));
  }

  @Test
  void empty_object_missing_and_null_match_everything() throws Exception {
    assertEquals(new MatchAll(), parse("{}"));
    assertEquals(new MatchAll(), PredicateParser.parse(null));
    assertEquals(new MatchAll(), parse("null"));
    assertEquals(new MatchAll(), parse("{\"$all\":[]}"));
  }

  @Test
  void empty_any_matches_nothing() throws Exception {
    assertEquals(new MatchNone(), parse("{\"$any\":[]}"));
  }

  @Test
  void the_clients_all_of_empty_object_and_filter_reduces_to_the_filter() throws Exception {
    assertEquals(new ValueIn("kind", List.of("group")), parse("{\"$all\":[{}, {\"kind\":\"Group\"}]}"));
  }

  @Test
  void field_nodes_with_several_keys_are_anded_and_primitives_are_stringified() throws Exception {
    assertEquals(
        new All(List.of(new ValueIn("kind", List.of("component")), new ValueIn("spec.replicas", List.of("3")),
            new ValueIn("spec.enabled", List.of("true")))),
        parse("{\"kind\":\"Component\",\"spec.replicas\":3,\"spec.enabled\":true}"));
  }

  @Test
  void operators() throws Exception {
    assertEquals(new Exists("spec.owner"), parse("{\"spec.owner\":{\"$exists\":true}}"));
    assertEquals(new Not(new Exists("spec.owner")), parse("{\"spec.owner\":{\"$exists\":false}}"));
    assertEquals(new ValueIn("kind", List.of("api", "component")), parse("{\"kind\":{\"$in\":[\"API\",\"Component\"]}}"));
    assertEquals(new HasPrefix("metadata.name", "svc_%"), parse("{\"metadata.name\":{\"$hasPrefix\":\"Svc_%\"}}"));
    assertEquals(new ValueIn("metadata.tags", List.of("java")), parse("{\"metadata.tags\":{\"$contains\":\"java\"}}"));
  }

  @Test
  void logical_nodes_nest() throws Exception {
    assertEquals(
        new Any(List.of(new ValueIn("kind", List.of("api")),
            new Not(new ValueIn("spec.lifecycle", List.of("experimental")))))
        , parse("{\"$any\":[{\"kind\":\"api\"},{\"$not\":{\"spec.lifecycle\":\"experimental\"}}]}"));
  }

  @Test
  void relations_contains_with_type_and_target_forms() throws Exception {
    assertEquals(new ValueIn("relations.ownedby", List.of("group:default/a")),
        parse("{\"relations\":{\"$contains\":{\"type\":\"ownedBy\",\"targetRef\":\"group:default/a\"}}}"));
    assertEquals(new ValueIn("relations.ownedby", List.of("group:default/a", "user:default/b")),
        parse("{\"relations\":{\"$contains\":{\"type\":\"ownedBy\",\"targetRef\":{\"$in\":[\"group:default/a\",\"user:default/b\"]}}}}"));
    assertEquals(new Exists("relations.partof"), parse("{\"relations\":{\"$contains\":{\"type\":\"partOf\"}}}"));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "\"kind\"", "3", "true", "[]",
      "{\"$or\":[]}",
      "{\"kind\":{\"$regex\":\"a\"}}",
      "{\"kind\":null}",
      "{\"kind\":[\"a\"]}",
      "{\"kind\":{\"$in\":\"a\"}}",
      "{\"kind\":{\"$in\":[{}]}}",
      "{\"kind\":{\"$exists\":\"yes\"}}",
      "{\"kind\":{\"$hasPrefix\":1}}",
      "{\"$all\":{}}",
      "{\"$not\":[]}",
      "{\"relations\":{\"$contains\":{\"type\":\"ownedBy\",\"targetRef\":{\"$in\":[]}}}}",
      "{\"relations\":{\"$contains\":{\"targetRef\":\"a\"}}}",
      "{\"spec.x\":{\"$contains\":{\"type\":\"a\"}}}",
      "{\"kind\":{\"$in\":[\"a\"],\"$exists\":true}}"
  })
  void invalid_predicates_are_400(String json) {
    InputException e = assertThrows(InputException.class, () -> parse(json));
    assertTrue(e.getMessage().startsWith("Invalid filter predicate value"), e.getMessage());
  }

  @Test
  void restricts_keys_when_asked() throws Exception {
    Set<String> keys = CatalogBodies.LOCATION_KEYS;
    assertEquals(new ValueIn("type", List.of("url")), PredicateParser.parse(MAPPER.readTree("{\"type\":\"url\"}"), keys));
    assertEquals(new ValueIn("entityref", List.of("x")), PredicateParser.parse(MAPPER.readTree("{\"entityRef\":\"x\"}"), keys));
    JsonNode bad = MAPPER.readTree("{\"$not\":{\"kind\":\"x\"}}");
    InputException e = assertThrows(InputException.class, () -> PredicateParser.parse(bad, keys));
    assertTrue(e.getMessage().contains("'kind'"), e.getMessage());
  }
}
