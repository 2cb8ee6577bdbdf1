package org.meshportal.model.query;

import java.util.List;

/**
 * A filter over an entity's flattened filter rows (see {@link org.meshportal.model.FilterRows}).
 * Keys and values are compared lowercased; constructors lowercase them once.
 *
 * <p>Both Backstage filter syntaxes reduce to this: key/value {@code filter=} parameters and the
 * predicate queries ({@code $all/$any/$not/$exists/$in/$hasPrefix/$contains}) of POST bodies.
 */
public sealed interface EntityPredicate {

  /** Matches every entity ({@code {}} or an empty {@code $all}). */
  record MatchAll() implements EntityPredicate {}

  /** Matches nothing (an empty {@code $any}). */
  record MatchNone() implements EntityPredicate {}

  record All(List<EntityPredicate> children) implements EntityPredicate {
    public All {
      children = List.copyOf(children);
    }
  }

  record Any(List<EntityPredicate> children) implements EntityPredicate {
    public Any {
      children = List.copyOf(children);
    }
  }

  record Not(EntityPredicate child) implements EntityPredicate {}

  /** The key has a row whose value is one of {@code values}. */
  record ValueIn(String key, List<String> values) implements EntityPredicate {
    public ValueIn {
      key = Lower.of(key);
      values = values.stream().map(Lower::of).toList();
    }
  }

  /** The key has at least one row (any value, null included). */
  record Exists(String key) implements EntityPredicate {
    public Exists {
      key = Lower.of(key);
    }
  }

  /** The key has a row whose value starts with {@code prefix} (case-insensitive, no wildcards). */
  record HasPrefix(String key, String prefix) implements EntityPredicate {
    public HasPrefix {
      key = Lower.of(key);
      prefix = Lower.of(prefix);
    }
  }

  /**
   * Backstage's full-text filter: some row whose key is one of {@code keys} has a value containing
   * {@code term} as a substring.
   */
  record ValueContains(List<String> keys, String term) implements EntityPredicate {
    public ValueContains {
      keys = keys.stream().map(Lower::of).toList();
      term = Lower.of(term);
    }
  }

  static EntityPredicate all(List<EntityPredicate> children) {
    return children.size() == 1 ? children.get(0) : new All(children);
  }

  static EntityPredicate any(List<EntityPredicate> children) {
    return children.size() == 1 ? children.get(0) : new Any(children);
  }

  final class Lower {
    private Lower() {}

    static String of(String s) {
      return s.toLowerCase(java.util.Locale.ROOT);
    }
  }
}
