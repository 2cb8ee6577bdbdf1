package org.meshportal.catalog.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.meshportal.catalog.audit.AuditEvent;
import org.meshportal.catalog.auth.Principal;
import org.meshportal.catalog.permission.Decision;
import org.meshportal.catalog.permission.Permission;
import org.meshportal.catalog.permission.Permissions;
import org.meshportal.catalog.service.AddLocationResult;
import org.meshportal.catalog.service.Ancestry;
import org.meshportal.catalog.service.EntityService;
import org.meshportal.catalog.service.Location;
import org.meshportal.catalog.service.LocationPage;
import org.meshportal.catalog.service.LocationService;
import org.meshportal.catalog.service.ProcessingError;
import org.meshportal.indexer.EntityIndex;
import org.meshportal.indexer.FacetCount;
import org.meshportal.indexer.ListRequest;
import org.meshportal.indexer.ListResult;
import org.meshportal.indexer.QueryResult;
import org.meshportal.model.EntityRef;
import org.meshportal.model.errors.InputException;
import org.meshportal.model.errors.NotAllowedException;
import org.meshportal.model.errors.NotFoundException;
import org.meshportal.model.query.EntityPredicate;

/**
 * {@code /api/catalog}: entity reads from the index, writes and locations through the services.
 * Every route checks its permission as Backstage's catalog does: reads see the index as the
 * caller may read it ({@code catalog.entity.read} applied inside the index), writes are refused
 * with 403 unless allowed on their entity or location.
 */
final class CatalogPlugin implements Plugin {
  private static final byte[] NOTHING = {};
  private static final byte[] ITEMS_HEAD = "{\"items\":".getBytes(StandardCharsets.UTF_8);
  private static final byte[] OBJECT_END = {'}'};

  private final EntityIndex index;
  private final EntityService entities;
  private final LocationService locations;
  private final Json json;
  private final int maxRefsPerRequest;
  private final Permissions permissions;

  CatalogPlugin(EntityIndex index, EntityService entities, LocationService locations, Json json, int maxRefsPerRequest,
      Permissions permissions) {
    this.maxRefsPerRequest = maxRefsPerRequest;
    this.permissions = permissions;
    this.index = index;
    this.entities = entities;
    this.locations = locations;
    this.json = json;
  }

  @Override
  public String id() {
    return "catalog";
  }

  @Override
  public void addRoutes(PluginRoutes r) {
    r.post("/refresh", this::refresh)
        .get("/entities", this::listEntities)
        .get("/entities/by-query", ctx -> renderQuery(ctx, readKey(ctx, getKey(ctx)),
            readable(ctx).query(CatalogParams.parseQueryRequest(ctx.queryParamMap()))))
        .post("/entities/by-query", ctx -> renderQuery(ctx, readKey(ctx, bodyKey(ctx)),
            readable(ctx).query(CatalogBodies.parseQuery(json.body(ctx)))))
        .post("/entities/by-refs", this::byRefs)
        .get("/entities/by-uid/{uid}", this::byUid)
        .delete("/entities/by-uid/{uid}", ctx -> {
          String uid = ctx.pathParam("uid");
          Audits.mark(ctx, AuditEvent.of("catalog", "entity-mutate", "medium").with("actionType", "delete")
              .with("uid", uid));
          permissions.requireOnEntityUid(principal(ctx), Permission.CATALOG_ENTITY_DELETE, uid);
          entities.deleteByUid(uid);
          ctx.status(204);
        })
        .get("/entities/by-name/{kind}/{namespace}/{name}", this::byName)
        .get("/entities/by-name/{kind}/{namespace}/{name}/ancestry", this::ancestry)
        .get("/entity-facets", ctx -> renderFacets(ctx, CatalogBodies.parseFacetParams(ctx.queryParamMap())))
        .post("/entity-facets", ctx -> renderFacets(ctx, CatalogBodies.parseFacetBody(json.body(ctx))))
        .get("/locations", this::listLocations)
        .post("/locations", this::addLocation)
        .post("/locations/by-query", this::queryLocations)
        .get("/locations/by-entity/{kind}/{namespace}/{name}", ctx -> {
          if (!allowed(ctx, Permission.CATALOG_LOCATION_READ)) {
            throw new NotFoundException("");
          }
          json.write(ctx, 200,
              locations.byEntity(ctx.pathParam("kind"), ctx.pathParam("namespace"), ctx.pathParam("name")));
        })
        .get("/locations/{id}", ctx -> {
          String id = ctx.pathParam("id");
          if (!allowed(ctx, Permission.CATALOG_LOCATION_READ)) {
            throw new NotFoundException("Found no location with ID " + id);
          }
          json.write(ctx, 200, locations.get(id));
        })
        .put("/locations/{id}", ctx -> {
          CatalogBodies.LocationInput in = CatalogBodies.parseLocationInput(json.body(ctx));
          Audits.mark(ctx, AuditEvent.of("catalog", "location-mutate", "medium").with("actionType", "update")
              .with("id", ctx.pathParam("id")).with("location", Map.of("type", in.type(), "target", in.target())));
          locations.checkWritable();
          permissions.require(principal(ctx), Permission.CATALOG_LOCATION_CREATE);
          json.write(ctx, 200, locations.update(ctx.pathParam("id"), in.type(), in.target()));
        })
        .delete("/locations/{id}", ctx -> {
          Audits.mark(ctx, AuditEvent.of("catalog", "location-mutate", "medium").with("actionType", "delete")
              .with("id", ctx.pathParam("id")));
          locations.checkWritable();
          permissions.require(principal(ctx), Permission.CATALOG_LOCATION_DELETE);
          locations.delete(ctx.pathParam("id"));
          ctx.status(204);
        })
        .post("/analyze-location", this::analyzeLocation)
        .post("/validate-entity", this::validateEntity)
        .get("/processing-errors", this::processingErrors);
  }

  private void refresh(Context ctx) {
    JsonNode body = json.body(ctx);
    JsonNode ref = body.get("entityRef");
    if (ref == null || !ref.isTextual()) {
      throw new InputException("Malformed request body, entityRef must be a string");
    }
    Audits.mark(ctx, AuditEvent.of("catalog", "entity-mutate", "medium").with("queryType", "refresh")
        .with("entityRef", ref.textValue()));
    if (!permissions.allowedOnEntity(principal(ctx), Permission.CATALOG_ENTITY_REFRESH, ref.textValue())) {
      throw new NotAllowedException("");
    }
    entities.refresh(ref.textValue());
    ctx.status(200).result("");
  }

  private static Principal principal(Context ctx) {
    return ctx.attribute(HttpServer.PRINCIPAL);
  }

  /** The index as this request's caller may read it. */
  private EntityIndex readable(Context ctx) {
    return permissions.readable(principal(ctx));
  }

  /** A memo key that also names the caller's read filter, so callers who see different parts never share one. */
  private String readKey(Context ctx, String key) {
    EntityPredicate filter = permissions.readFilter(principal(ctx));
    return filter == null ? key : key + '\n' + filter;
  }

  private boolean allowed(Context ctx, Permission permission) {
    return permissions.decide(principal(ctx), permission) instanceof Decision.Allow;
  }

  private void listEntities(Context ctx) {
    ListRequest request = CatalogParams.parseListRequest(ctx.queryParamMap());
    ListResult result = readable(ctx).list(request);
    if (result.nextAfter() != null) {
      ctx.header("Link", "<" + nextLink(ctx.queryParamMap(), result.nextAfter()) + ">; rel=\"next\"");
    }
    json.writeItems(ctx, 200, readKey(ctx, getKey(ctx)), new ItemsBody(NOTHING, result.items(), NOTHING));
  }

  /** Names a GET read for the gzip memo: its path and query string. */
  private static String getKey(Context ctx) {
    String query = ctx.queryString();
    return query == null ? ctx.path() : ctx.path() + '?' + query;
  }

  /** The same query with {@code offset} removed and {@code after} set. */
  static String nextLink(Map<String, List<String>> params, String after) {
    StringBuilder link = new StringBuilder("/entities?");
    params.forEach((name, values) -> {
      if (name.equals("offset") || name.equals("after")) {
        return;
      }
      for (String value : values) {
        link.append(encode(name)).append('=').append(encode(value)).append('&');
      }
    });
    return link.append("after=").append(encode(after)).toString();
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
  }

  private void renderQuery(Context ctx, String memoKey, QueryResult result) {
    StringBuilder tail = new StringBuilder(",\"totalItems\":").append(result.totalItems()).append(",\"pageInfo\":{");
    if (result.nextCursor() != null) {
      tail.append("\"nextCursor\":").append(json.text(result.nextCursor()));
    }
    if (result.prevCursor() != null) {
      tail.append(result.nextCursor() != null ? ",\"prevCursor\":" : "\"prevCursor\":").append(json.text(result.prevCursor()));
    }
    tail.append("}}");
    json.writeItems(ctx, 200, memoKey, new ItemsBody(ITEMS_HEAD, result.items(), tail.toString().getBytes(StandardCharsets.UTF_8)));
  }

  private void byRefs(Context ctx) {
    CatalogBodies.ByRefs request = CatalogBodies.parseByRefs(json.body(ctx), ctx.queryParamMap(), maxRefsPerRequest);
    List<byte[]> items = request.entityRefs().isEmpty()
        ? List.of()
        : readable(ctx).byRefs(request.entityRefs(), request.filter(), request.fields());
    // by-refs batches are point lookups that seldom repeat exactly: nothing is memoised for them
    json.writeItems(ctx, 200, null, new ItemsBody(ITEMS_HEAD, items, OBJECT_END));
  }

  /** Names a POST read for the gzip memo: its path, query string and body. */
  private static String bodyKey(Context ctx) {
    return getKey(ctx) + '\n' + new String(Json.rawBody(ctx), StandardCharsets.UTF_8);
  }

  private void byUid(Context ctx) {
    String uid = ctx.pathParam("uid");
    byte[] entity = readable(ctx).byUid(uid).orElseThrow(() -> new NotFoundException("No entity with uid " + uid));
    json.writeBytes(ctx, 200, entity);
  }

  private void byName(Context ctx) {
    String kind = ctx.pathParam("kind");
    String namespace = ctx.pathParam("namespace");
    String name = ctx.pathParam("name");
    byte[] entity = readable(ctx).byRef(new EntityRef(kind, namespace, name).canonical())
        .orElseThrow(() -> new NotFoundException(
            "No entity named '" + name + "' found, with kind '" + kind + "' in namespace '" + namespace + "'"));
    json.writeBytes(ctx, 200, entity);
  }

  private void ancestry(Context ctx) {
    Ancestry ancestry = entities.ancestry(ctx.pathParam("kind"), ctx.pathParam("namespace"), ctx.pathParam("name"));
    EntityIndex visible = readable(ctx);
    if (visible != index) {
      ancestry = visibleAncestry(ancestry, visible);
    }
    json.write(ctx, 200, ancestry);
  }

  /**
   * Backstage's authorized ancestry: a hidden root is a 403; a hidden ancestor is dropped together
   * with every parent reached only through it.
   */
  private static Ancestry visibleAncestry(Ancestry ancestry, EntityIndex visible) {
    if (visible.byRef(ancestry.rootEntityRef()).isEmpty()) {
      throw new NotAllowedException("");
    }
    Map<String, Ancestry.Item> byRef = new LinkedHashMap<>();
    for (Ancestry.Item item : ancestry.items()) {
      byRef.put(org.meshportal.model.Entities.ref(item.entity()).canonical(), item);
    }
    List<Ancestry.Item> kept = new ArrayList<>();
    java.util.Set<String> seen = new java.util.HashSet<>();
    java.util.ArrayDeque<String> todo = new java.util.ArrayDeque<>(List.of(ancestry.rootEntityRef()));
    while (!todo.isEmpty()) {
      String ref = todo.poll();
      Ancestry.Item item = byRef.get(ref);
      if (!seen.add(ref) || item == null || visible.byRef(ref).isEmpty()) {
        continue;
      }
      kept.add(item);
      todo.addAll(item.parentEntityRefs());
    }
    return new Ancestry(ancestry.rootEntityRef(), kept);
  }

  private void renderFacets(Context ctx, CatalogBodies.Facets request) {
    Map<String, List<FacetCount>> found = readable(ctx).facets(request.filter(), request.facets());
    Map<String, List<FacetCount>> facets = new LinkedHashMap<>();
    for (String facet : request.facets()) {
      facets.put(facet, found.getOrDefault(facet, List.of()));
    }
    json.write(ctx, 200, Map.of("facets", facets));
  }

  private void listLocations(Context ctx) {
    List<Map<String, Location>> wrapped = new ArrayList<>();
    if (!allowed(ctx, Permission.CATALOG_LOCATION_READ)) {
      json.write(ctx, 200, wrapped);
      return;
    }
    for (Location location : locations.list()) {
      wrapped.add(Map.of("data", location));
    }
    json.write(ctx, 200, wrapped);
  }

  private void addLocation(Context ctx) {
    boolean dryRun = CatalogParams.parseBoolean("dryRun", ctx.queryParam("dryRun"));
    String onConflict = ctx.queryParam("onConflict");
    boolean refresh;
    if (onConflict == null || onConflict.equals("reject")) {
      refresh = false;
    } else if (onConflict.equals("refresh")) {
      refresh = true;
    } else {
      throw new InputException("Invalid onConflict parameter \"" + onConflict + "\", must be refresh or reject");
    }
    CatalogBodies.LocationInput in = CatalogBodies.parseLocationInput(json.body(ctx));
    Audits.mark(ctx, AuditEvent.of("catalog", "location-mutate", dryRun ? "low" : "medium").with("actionType", "create")
        .with("location", Map.of("type", in.type(), "target", in.target())).with("isDryRun", dryRun));
    if (!dryRun) {
      // a dry run only reads, so Backstage allows it in readonly mode
      locations.checkWritable();
    }
    // Backstage checks catalog.location.create only; catalog.entity.create gates the frontend's
    // "Create" and "Register existing component" buttons, no route.
    permissions.require(principal(ctx), Permission.CATALOG_LOCATION_CREATE);
    AddLocationResult result = locations.add(in.type(), in.target(), dryRun, refresh);
    Map<String, Object> body = new LinkedHashMap<>();
    if (dryRun) {
      body.put("exists", Boolean.TRUE.equals(result.exists()));
    }
    body.put("location", result.location());
    body.put("entities", dryRun ? result.entities() : List.of());
    json.write(ctx, 201, body);
  }

  private void queryLocations(Context ctx) {
    CatalogBodies.LocationQuery query = CatalogBodies.parseLocationQuery(json.body(ctx));
    if (!allowed(ctx, Permission.CATALOG_LOCATION_READ)) {
      json.write(ctx, 200, Map.of("items", List.of(), "totalItems", 0, "pageInfo", Map.of()));
      return;
    }
    LocationPage page = locations.query(query.filter(), query.limit(), query.cursor());
    Map<String, Object> pageInfo = new LinkedHashMap<>();
    if (page.nextCursor() != null) {
      pageInfo.put("nextCursor", page.nextCursor());
    }
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("items", page.items());
    body.put("totalItems", page.totalItems());
    body.put("pageInfo", pageInfo);
    json.write(ctx, 200, body);
  }

  private void processingErrors(Context ctx) {
    List<Map<String, Object>> items = new ArrayList<>();
    // A caller who may read only part of the catalog sees only the errors about entities it can
    // read: the others name files and entities of the hidden part.
    EntityIndex visible = permissions.readFilter(principal(ctx)) == null ? null : readable(ctx);
    for (ProcessingError e : entities.processingErrors()) {
      if (visible != null && !visibleError(visible, e)) {
        continue;
      }
      Map<String, Object> item = new LinkedHashMap<>();
      item.put("source", e.source());
      item.put("location", e.location());
      item.put("documentIndex", e.documentIndex());
      item.put("entityRef", e.entityRef());
      item.put("level", e.level());
      item.put("error", Map.of("name", e.name(), "message", e.message()));
      items.add(item);
    }
    json.write(ctx, 200, Map.of("items", items));
  }

  private static boolean visibleError(EntityIndex visible, ProcessingError e) {
    String ref = e.attachedTo() != null ? e.attachedTo() : e.entityRef();
    return ref != null && visible.byRef(ref.toLowerCase(java.util.Locale.ROOT)).isPresent();
  }

  private void analyzeLocation(Context ctx) {
    JsonNode body = json.body(ctx);
    if (!(body instanceof ObjectNode request) || !request.path("location").isObject()) {
      throw new InputException("Malformed request body, expected {location: {type, target}}");
    }
    permissions.require(principal(ctx), Permission.CATALOG_LOCATION_ANALYZE);
    // The OpenAPI text names it catalogFileName, the router reads catalogFilename: accept both.
    if (!request.has("catalogFilename") && request.has("catalogFileName")) {
      request.set("catalogFilename", request.get("catalogFileName"));
    }
    json.write(ctx, 200, entities.analyzeLocation(request));
  }

  private void validateEntity(Context ctx) {
    JsonNode body = json.body(ctx);
    CatalogBodies.checkValidateEntityShape(body);
    permissions.require(principal(ctx), Permission.CATALOG_ENTITY_VALIDATE);
    String problem = null;
    if (!body.path("location").textValue().startsWith("url:")) {
      problem = "Invalid location ref, only url: locations are supported";
    }
    List<?> errors = problem != null
        ? List.of(Map.of("name", "InputError", "message", problem))
        : entities.validate(body.get("entity"), body.get("location").textValue());
    if (errors.isEmpty()) {
      ctx.status(200).result("");
    } else {
      json.write(ctx, 400, Map.of("errors", errors));
    }
  }
}
