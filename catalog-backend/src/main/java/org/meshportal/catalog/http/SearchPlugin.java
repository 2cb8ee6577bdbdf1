package org.meshportal.catalog.http;

import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.meshportal.indexer.EntityIndex;
import org.meshportal.indexer.SearchRequest;
import org.meshportal.indexer.SearchResult;

/** {@code /api/search}: {@code GET /query} over the entity index. */
final class SearchPlugin implements Plugin {
  private final EntityIndex index;
  private final SearchSettings settings;
  private final Json json;

  SearchPlugin(EntityIndex index, SearchSettings settings, Json json) {
    this.index = index;
    this.settings = settings;
    this.json = json;
  }

  @Override
  public String id() {
    return "search";
  }

  @Override
  public void addRoutes(PluginRoutes r) {
    r.get("/query", this::query);
  }

  private void query(Context ctx) {
    SearchRequest request = SearchParams.parse(ctx.queryParamMap(), settings);
    SearchResult result = index.search(request);
    json.write(ctx, 200, render(result, request.highlight()));
  }

  static Map<String, Object> render(SearchResult result, SearchRequest.Highlight highlight) {
    List<Map<String, Object>> results = new ArrayList<>(result.results().size());
    for (SearchResult.Hit hit : result.results()) {
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("type", hit.type());
      item.put("document", hit.document());
      if (highlight != null && hit.highlightFields() != null) {
        item.put("highlight", Map.of(
            "preTag", highlight.preTag(), "postTag", highlight.postTag(), "fields", hit.highlightFields()));
      }
      item.put("rank", hit.rank());
      results.add(item);
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("results", results);
    if (result.nextPageCursor() != null) {
      body.put("nextPageCursor", result.nextPageCursor());
    }
    if (result.previousPageCursor() != null) {
      body.put("previousPageCursor", result.previousPageCursor());
    }
    body.put("numberOfResults", result.numberOfResults());
    return body;
  }
}
