package org.meshportal.catalog.processing;

import java.util.Locale;
import java.util.Map;
import org.meshportal.model.query.EntityPredicate;

/** Evaluates a predicate over the flat fields of a location (id, type, target, entityRef). */
final class LocationPredicates {
  private LocationPredicates() {}

  /** @param fields lowercased keys → values in original case */
  static boolean matches(EntityPredicate p, Map<String, String> fields) {
    return switch (p) {
      case EntityPredicate.MatchAll m -> true;
      case EntityPredicate.MatchNone m -> false;
      case EntityPredicate.All all -> all.children().stream().allMatch(c -> matches(c, fields));
      case EntityPredicate.Any any -> any.children().stream().anyMatch(c -> matches(c, fields));
      case EntityPredicate.Not not -> !matches(not.child(), fields);
      case EntityPredicate.Exists exists -> fields.containsKey(exists.key());
      case EntityPredicate.ValueIn in -> {
        String v = lower(fields.get(in.key()));
        yield v != null && in.values().contains(v);
      }
      case EntityPredicate.HasPrefix prefix -> {
        String v = lower(fields.get(prefix.key()));
        yield v != null && v.startsWith(prefix.prefix());
      }
      case EntityPredicate.ValueContains contains -> contains.keys().stream()
          .map(k -> lower(fields.get(k)))
          .anyMatch(v -> v != null && v.contains(contains.term()));
    };
  }

  private static String lower(String s) {
    return s == null ? null : s.toLowerCase(Locale.ROOT);
  }
}
