package org.meshportal.catalog.http;

import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.meshportal.catalog.auth.Principal;
import org.meshportal.catalog.permission.Permissions;
import org.meshportal.indexer.EntityIndex;
import org.meshportal.indexer.SearchRequest;
import org.meshportal.indexer.SearchResult;

/** {@code /api/search}: {@code GET /query} over the entity index. */
final class SearchPlugin implements Plugin {
  private static final long RENDERED_BYTES = 8L << 20;
  private final EntityIndex index;
  private final SearchSettings settings;
  private final Json json;
  private final RenderedBodies<SearchResult> rendered;
  private final Permissions permissions;

  SearchPlugin(EntityIndex index, SearchSettings settings, Json json, Permissions permissions) {
    this.index = index;
    this.permissions = permissions;
    this.settings = settings;
    this.json = json;
    SearchRequest.Highlight highlight = SearchParams.highlight(settings);
    this.rendered = new RenderedBodies<>(RENDERED_BYTES, result -> json.bytes(render(result, highlight)));
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
    // catalog.entity.read is applied inside the index: counts, pages and ranks are the caller's own
    Principal principal = ctx.attribute(HttpServer.PRINCIPAL);
    SearchResult result = permissions.readable(principal).search(request);
    String query = ctx.queryString();
    json.writeBytes(ctx, 200, rendered.body(query == null ? "" : query, result));
  }

  static Map<String, Object> render(SearchResult result, SearchRequest.Highlight highlight) {
    List<Map<String, Object>> results = new ArrayList<>(result.results().size());
    for (SearchResult.Hit hit : result.results()) {
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("type", hit.type());
      item.put("document", hit.document());
      if (highlight != null && hit.highlightFields() != null) {
        Map<String, Object> marks = new LinkedHashMap<>();
        marks.put("preTag", highlight.preTag());
        marks.put("postTag", highlight.postTag());
        marks.put("fields", hit.highlightFields());
        item.put("highlight", marks);
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
