package org.meshportal.indexer;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/** One page of search results in the Backstage shape. */
public record SearchResult(
    List<Hit> results, String nextPageCursor, String previousPageCursor, int numberOfResults) {

  /** {@code document} is the public document (no authorization field); highlight may be null. */
  public record Hit(String type, ObjectNode document, Map<String, String> highlightFields, int rank) {}
}
