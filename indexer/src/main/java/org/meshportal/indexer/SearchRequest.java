package org.meshportal.indexer;

import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/search/query}. {@code types} empty means all types; {@code filters} maps a
 * document field to accepted values (one value = equals, several = any of). {@code pageCursor}
 * is Backstage's base64 page number or null. {@code highlight} may be null (no highlighting).
 */
public record SearchRequest(
    String term,
    List<String> types,
    Map<String, List<String>> filters,
    String pageCursor,
    int pageLimit,
    Highlight highlight) {

  public record Highlight(String preTag, String postTag, int fragmentDelimiterLength) {}
}
