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
import org.meshportal.model.errors.NotFoundException;

/** {@code /api/catalog}: entity reads from the index, writes and locations through the services. */
final class CatalogPlugin implements Plugin {
  private static final byte[] NOTHING = {};
  private static final byte[] ITEMS_HEAD = "{\"items\":".getBytes(StandardCharsets.UTF_8);
  private static final byte[] OBJECT_END = {'}'};

  private final EntityIndex index;
  private final EntityService entities;
  private final LocationService locations;
  private final Json json;
  private final int maxRefsPerRequest;

  CatalogPlugin(EntityIndex index, EntityService entities, LocationService locations, Json json, int maxRefsPerRequest) {
    this.maxRefsPerRequest = maxRefsPerRequest;
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
        .get("/entities/by-query",
            ctx -> renderQuery(ctx, getKey(ctx), index.query(CatalogParams.parseQueryRequest(ctx.queryParamMap()))))
        .post("/entities/by-query",
            ctx -> renderQuery(ctx, bodyKey(ctx), index.query(CatalogBodies.parseQuery(json.body(ctx)))))
        .post("/entities/by-refs", this::byRefs)
        .get("/entities/by-uid/{uid}", this::byUid)
        .delete("/entities/by-uid/{uid}", ctx -> {
          entities.deleteByUid(ctx.pathParam("uid"));
          ctx.status(204);
        })
        .get("/entities/by-name/{kind}/{namespace}/{name}", this::byName)
        .get("/entities/by-name/{kind}/{namespace}/{name}/ancestry", this::ancestry)
        .get("/entity-facets", ctx -> renderFacets(ctx, CatalogBodies.parseFacetParams(ctx.queryParamMap())))
        .post("/entity-facets", ctx -> renderFacets(ctx, CatalogBodies.parseFacetBody(json.body(ctx))))
        .get("/locations", this::listLocations)
        .post("/locations", this::addLocation)
        .post("/locations/by-query", this::queryLocations)
        .get("/locations/by-entity/{kind}/{namespace}/{name}", ctx -> json.write(ctx, 200,
            locations.byEntity(ctx.pathParam("kind"), ctx.pathParam("namespace"), ctx.pathParam("name"))))
        .get("/locations/{id}", ctx -> json.write(ctx, 200, locations.get(ctx.pathParam("id"))))
        .put("/locations/{id}", ctx -> {
          CatalogBodies.LocationInput in = CatalogBodies.parseLocationInput(json.body(ctx));
          json.write(ctx, 200, locations.update(ctx.pathParam("id"), in.type(), in.target()));
        })
        .delete("/locations/{id}", ctx -> {
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
    entities.refresh(ref.textValue());
    ctx.status(200).result("");
  }

  private void listEntities(Context ctx) {
    ListRequest request = CatalogParams.parseListRequest(ctx.queryParamMap());
    ListResult result = index.list(request);
    if (result.nextAfter() != null) {
      ctx.header("Link", "<" + nextLink(ctx.queryParamMap(), result.nextAfter()) + ">; rel=\"next\"");
    }
    json.writeItems(ctx, 200, getKey(ctx), new ItemsBody(NOTHING, result.items(), NOTHING));
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
        : index.byRefs(request.entityRefs(), request.filter(), request.fields());
    // by-refs batches are point lookups that seldom repeat exactly: nothing is memoised for them
    json.writeItems(ctx, 200, null, new ItemsBody(ITEMS_HEAD, items, OBJECT_END));
  }

  /** Names a POST read for the gzip memo: its path, query string and body. */
  private static String bodyKey(Context ctx) {
    return getKey(ctx) + '\n' + new String(Json.rawBody(ctx), StandardCharsets.UTF_8);
  }

  private void byUid(Context ctx) {
    String uid = ctx.pathParam("uid");
    byte[] entity = index.byUid(uid).orElseThrow(() -> new NotFoundException("No entity with uid " + uid));
    json.writeBytes(ctx, 200, entity);
  }

  private void byName(Context ctx) {
    String kind = ctx.pathParam("kind");
    String namespace = ctx.pathParam("namespace");
    String name = ctx.pathParam("name");
    byte[] entity = index.byRef(new EntityRef(kind, namespace, name).canonical())
        .orElseThrow(() -> new NotFoundException(
            "No entity named '" + name + "' found, with kind '" + kind + "' in namespace '" + namespace + "'"));
    json.writeBytes(ctx, 200, entity);
  }

  private void ancestry(Context ctx) {
    Ancestry ancestry = entities.ancestry(ctx.pathParam("kind"), ctx.pathParam("namespace"), ctx.pathParam("name"));
    json.write(ctx, 200, ancestry);
  }

  private void renderFacets(Context ctx, CatalogBodies.Facets request) {
    Map<String, List<FacetCount>> found = index.facets(request.filter(), request.facets());
    Map<String, List<FacetCount>> facets = new LinkedHashMap<>();
    for (String facet : request.facets()) {
      facets.put(facet, found.getOrDefault(facet, List.of()));
    }
    json.write(ctx, 200, Map.of("facets", facets));
  }

  private void listLocations(Context ctx) {
    List<Map<String, Location>> wrapped = new ArrayList<>();
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
    for (ProcessingError e : entities.processingErrors()) {
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

  private void analyzeLocation(Context ctx) {
    JsonNode body = json.body(ctx);
    if (!(body instanceof ObjectNode request) || !request.path("location").isObject()) {
      throw new InputException("Malformed request body, expected {location: {type, target}}");
    }
    // The OpenAPI text names it catalogFileName, the router reads catalogFilename: accept both.
    if (!request.has("catalogFilename") && request.has("catalogFileName")) {
      request.set("catalogFilename", request.get("catalogFileName"));
    }
    json.write(ctx, 200, entities.analyzeLocation(request));
  }

  private void validateEntity(Context ctx) {
    JsonNode body = json.body(ctx);
    CatalogBodies.checkValidateEntityShape(body);
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
