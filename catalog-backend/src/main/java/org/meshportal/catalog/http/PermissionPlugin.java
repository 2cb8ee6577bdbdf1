package org.meshportal.catalog.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.meshportal.model.errors.InputException;

/** {@code /api/permission}: every authenticated caller is allowed everything. */
final class PermissionPlugin implements Plugin {
  private final Json json;

  PermissionPlugin(Json json) {
    this.json = json;
  }

  @Override
  public String id() {
    return "permission";
  }

  @Override
  public void addRoutes(PluginRoutes r) {
    r.post("/authorize", this::authorize);
  }

  private void authorize(Context ctx) {
    JsonNode items = json.body(ctx).path("items");
    if (!items.isArray()) {
      throw new InputException("Malformed request body, items must be an array");
    }
    List<Map<String, String>> decisions = new ArrayList<>(items.size());
    for (JsonNode item : items) {
      JsonNode id = item.path("id");
      if (!id.isTextual()) {
        throw new InputException("Malformed request body, every item needs a string id");
      }
      decisions.add(Map.of("id", id.textValue(), "result", "ALLOW"));
    }
    json.write(ctx, 200, Map.of("items", decisions));
  }
}
