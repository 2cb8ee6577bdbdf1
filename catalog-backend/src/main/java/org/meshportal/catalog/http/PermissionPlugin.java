package org.meshportal.catalog.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.meshportal.catalog.auth.PermissionDecisions;
import org.meshportal.catalog.auth.Principal;
import org.meshportal.model.errors.InputException;

/**
 * {@code /api/permission}: users and unrestricted service tokens are allowed everything; a service
 * token with access restrictions gets the decisions those restrictions give.
 */
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
    Principal principal = ctx.attribute(HttpServer.PRINCIPAL);
    List<Map<String, String>> decisions = new ArrayList<>(items.size());
    for (JsonNode item : items) {
      JsonNode id = item.path("id");
      if (!id.isTextual()) {
        throw new InputException("Malformed request body, every item needs a string id");
      }
      JsonNode name = item.path("permission").path("name");
      if (!name.isTextual()) {
        throw new InputException("Malformed request body, every item needs a permission with a string name");
      }
      JsonNode action = item.path("permission").path("attributes").path("action");
      PermissionDecisions.Result result = PermissionDecisions.decide(
          principal, name.textValue(), action.isTextual() ? action.textValue() : null);
      decisions.add(Map.of("id", id.textValue(), "result", result.name()));
    }
    json.write(ctx, 200, Map.of("items", decisions));
  }
}
