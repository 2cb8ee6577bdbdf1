package org.meshportal.indexer;

import java.util.List;

/**
 * Backstage's full-text filter of by-query: a row of one of {@code fields} contains {@code term}.
 * An empty {@code fields} list means Backstage's default: the first order field when sorting,
 * else {@code metadata.uid}.
 */
public record FullTextFilter(String term, List<String> fields) {
  public FullTextFilter {
    fields = List.copyOf(fields);
  }
}
