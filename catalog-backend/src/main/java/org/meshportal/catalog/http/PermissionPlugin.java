package org.meshportal.catalog.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.meshportal.catalog.auth.PermissionDecisions;
import org.meshportal.catalog.auth.Principal;
import org.meshportal.catalog.permission.Decision;
import org.meshportal.catalog.permission.Permission;
import org.meshportal.catalog.permission.Permissions;
import org.meshportal.model.errors.InputException;

/**
 * {@code /api/permission}: {@code POST /authorize} in Backstage's protocol. Users get the policy's
 * decisions; a CONDITIONAL decision asked with a {@code resourceRef} is resolved against that
 * catalog entity (ALLOW or DENY, one per ref of an array), without one it is returned as it is. A
 * service token gets the decisions of its access restrictions (unrestricted: ALLOW).
 */
final class PermissionPlugin implements Plugin {
  private static final String NEEDS_REF = "Resource permissions require a resourceRef to be set. "
      + "Direct user requests without a resourceRef are not allowed.";
  private final Json json;
  private final Permissions permissions;

  PermissionPlugin(Json json, Permissions permissions) {
    this.json = json;
    this.permissions = permissions;
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
    List<Item> parsed = new ArrayList<>(items.size());
    for (JsonNode item : items) {
      parsed.add(parse(item));
    }
    List<Map<String, Object>> decisions = new ArrayList<>(items.size());
    for (Item item : parsed) {
      Map<String, Object> out = new LinkedHashMap<>();
      out.put("id", item.id());
      if (principal instanceof Principal.Service || !permissions.enabled()) {
        out.put("result", PermissionDecisions.decide(principal, item.permission().name(), item.permission().action())
            .name());
      } else {
        decide(principal, item, out);
      }
      decisions.add(out);
    }
    json.write(ctx, 200, Map.of("items", decisions));
  }

  private void decide(Principal principal, Item item, Map<String, Object> out) {
    Permission permission = item.permission();
    if (permission.isResource() && item.refs() == null) {
      throw new InputException(NEEDS_REF);
    }
    Decision d = permissions.decide(principal, permission);
    if (!(d instanceof Decision.Conditional c)) {
      out.put("result", d instanceof Decision.Allow ? "ALLOW" : "DENY");
      return;
    }
    if (item.refs() == null) {
      out.put("result", "CONDITIONAL");
      out.put("pluginId", c.pluginId());
      out.put("resourceType", c.resourceType());
      out.put("conditions", c.conditions().toJson());
      return;
    }
    List<String> results = new ArrayList<>();
    for (String ref : item.refs()) {
      // Only catalog entities can be looked up by ref here; other resource types stay denied.
      boolean allow = Permission.CATALOG_ENTITY.equals(c.resourceType())
          && permissions.resolveEntity(d, ref) instanceof Decision.Allow;
      results.add(allow ? "ALLOW" : "DENY");
    }
    out.put("result", item.array() ? results : results.get(0));
  }

  private record Item(String id, Permission permission, List<String> refs, boolean array) {}

  private static Item parse(JsonNode item) {
    JsonNode id = item.path("id");
    if (!id.isTextual()) {
      throw new InputException("Malformed request body, every item needs a string id");
    }
    JsonNode p = item.path("permission");
    JsonNode name = p.path("name");
    if (!name.isTextual()) {
      throw new InputException("Malformed request body, every item needs a permission with a string name");
    }
    JsonNode action = p.path("attributes").path("action");
    boolean resource = "resource".equals(p.path("type").asText());
    String resourceType = resource ? p.path("resourceType").asText(null) : null;
    if (resource && resourceType == null) {
      throw new InputException("Malformed request body, a resource permission needs a resourceType");
    }
    Permission permission = new Permission(name.textValue(), resourceType, action.isTextual() ? action.textValue() : null);
    JsonNode ref = item.get("resourceRef");
    List<String> refs = null;
    boolean array = false;
    if (ref != null && !ref.isNull()) {
      if (!resource) {
        throw new InputException("Malformed request body, a basic permission must not carry a resourceRef");
      }
      refs = new ArrayList<>();
      if (ref.isTextual()) {
        refs.add(ref.textValue());
      } else if (ref.isArray() && !ref.isEmpty()) {
        array = true;
        for (JsonNode r : ref) {
          if (!r.isTextual()) {
            throw new InputException("Malformed request body, resourceRef must be a string or a list of strings");
          }
          refs.add(r.textValue());
        }
      } else {
        throw new InputException("Malformed request body, resourceRef must be a string or a non-empty list of strings");
      }
    }
    return new Item(id.textValue(), permission, refs, array);
  }
}
