package org.meshportal.catalog.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.meshportal.model.errors.InputException;
import org.meshportal.model.query.EntityPredicate;
import org.meshportal.model.query.EntityPredicate.All;
import org.meshportal.model.query.EntityPredicate.Any;
import org.meshportal.model.query.EntityPredicate.Exists;
import org.meshportal.model.query.EntityPredicate.MatchAll;
import org.meshportal.model.query.EntityPredicate.ValueIn;

class FilterParamsTest {

  @Test
  void no_filter_or_only_empty_filters_match_everything() {
    assertEquals(new MatchAll(), FilterParams.parse(null));
    assertEquals(new MatchAll(), FilterParams.parse(List.of()));
    assertEquals(new MatchAll(), FilterParams.parse(List.of("", " , ,")));
  }

  @Test
  void different_keys_in_one_set_are_anded() {
    assertEquals(
        new All(List.of(new ValueIn("kind", List.of("component")), new ValueIn("spec.type", List.of("service")))),
        FilterParams.parse(List.of("kind=component,spec.type=service")));
  }

  @Test
  void the_same_key_repeated_in_one_set_is_ored_into_a_value_list() {
    assertEquals(
        new All(List.of(
            new ValueIn("kind", List.of("component")),
            new ValueIn("relations.ownedby", List.of("user:default/a", "group:default/b")))),
        FilterParams.parse(List.of("kind=component,relations.ownedBy=user:default/a,relations.ownedBy=group:default/b")));
  }

  @Test
  void separate_filter_parameters_are_ored() {
    assertEquals(
        new Any(List.of(new ValueIn("kind", List.of("component")), new ValueIn("kind", List.of("api")))),
        FilterParams.parse(List.of("kind=component", "kind=api")));
  }

  @Test
  void a_bare_key_is_an_existence_check_and_a_value_list_wins_over_it() {
    assertEquals(new Exists("metadata.annotations.backstage.io/orphan"),
        FilterParams.parse(List.of("metadata.annotations.backstage.io/orphan")));
    assertEquals(new ValueIn("kind", List.of("api")), FilterParams.parse(List.of("kind,kind=api")));
  }

  @Test
  void splits_at_the_first_equals_and_trims_keys_and_values() {
    assertEquals(new ValueIn("metadata.annotations.x", List.of("a=b")),
        FilterParams.parse(List.of(" metadata.annotations.x = a=b ")));
    assertEquals(new ValueIn("spec.owner", List.of("")), FilterParams.parse(List.of("spec.owner=")));
  }

  @Test
  void keys_and_values_are_lowercased() {
    assertEquals(new ValueIn("kind", List.of("component")), FilterParams.parse(List.of("Kind=Component")));
  }

  @Test
  void an_empty_key_is_a_400_naming_the_statement() {
    InputException e = assertThrows(InputException.class, () -> FilterParams.parse(List.of("kind=a,=b")));
    assertEquals("Invalid filter, '=b' is not a valid statement (expected a string on the form a=b or a= or a)",
        e.getMessage());
  }

  @Test
  void single_condition_sets_are_not_wrapped() {
    EntityPredicate p = FilterParams.parse(List.of("kind=component"));
    assertEquals(new ValueIn("kind", List.of("component")), p);
  }
}
