package org.meshportal.catalog.http;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.meshportal.indexer.FullTextFilter;
import org.meshportal.indexer.OrderField;
import org.meshportal.indexer.QueryRequest;
import org.meshportal.model.FieldProjection;
import org.meshportal.model.errors.InputException;
import org.meshportal.model.query.EntityPredicate;

/** Parse functions for the JSON bodies of the catalog's POST/PUT endpoints (one per shape). */
final class CatalogBodies {
  static final int DEFAULT_LOCATION_LIMIT = 1000;
  static final Set<String> LOCATION_KEYS = Set.of("id", "type", "target", "entityref");

  private CatalogBodies() {}

  record ByRefs(List<String> entityRefs, EntityPredicate filter, FieldProjection fields) {}

  record Facets(List<String> facets, EntityPredicate filter) {}

  record LocationInput(String type, String target) {}

  record LocationQuery(EntityPredicate filter, int limit, String cursor) {}

  /** {@code POST /entities/by-query}. */
  static QueryRequest parseQuery(JsonNode body) {
    JsonNode b = objectOrEmpty(body);
    int limit = optionalInt(b, "limit", CatalogParams.DEFAULT_QUERY_LIMIT);
    FieldProjection fields = CatalogParams.fieldsOf(stringList(b, "fields"));
    String cursor = optionalString(b, "cursor");
    if (cursor != null && !cursor.isEmpty()) {
      return new QueryRequest(new EntityPredicate.MatchAll(), List.of(), null, limit, 0, false, cursor, fields);
    }
    int offset = optionalInt(b, "offset", 0);
    List<OrderField> order = new ArrayList<>();
    JsonNode orderBy = b.get("orderBy");
    if (orderBy != null && !orderBy.isNull()) {
      if (!orderBy.isArray()) {
        throw new InputException("Invalid orderBy, expected an array of {field, order}");
      }
      for (JsonNode item : orderBy) {
        JsonNode field = item.get("field");
        if (field == null || !field.isTextual() || field.textValue().isEmpty()) {
          throw new InputException("Invalid orderBy, each item needs a string field");
        }
        JsonNode direction = item.get("order");
        order.add(new OrderField(field.textValue(),
            direction != null && !direction.isNull() && CatalogParams.parseDirection(direction.asText())));
      }
    }
    FullTextFilter fullText = null;
    JsonNode ft = b.get("fullTextFilter");
    if (ft != null && !ft.isNull()) {
      if (!ft.isObject()) {
        throw new InputException("Invalid fullTextFilter, expected an object {term, fields}");
      }
      fullText = CatalogParams.parseFullText(optionalString(ft, "term"), stringList(ft, "fields"));
    }
    return new QueryRequest(
        PredicateParser.parse(b.get("query")),
        order,
        fullText,
        limit,
        offset,
        CatalogParams.parseTotalItems(optionalString(b, "totalItems")),
        null,
        fields);
  }

  /**
   * {@code POST /entities/by-refs}: body refs, query-string filter AND body query, fields union.
   *
   * @param maxRefs the most refs one request may ask for; each costs an index lookup
   */
  static ByRefs parseByRefs(JsonNode body, Map<String, List<String>> params, int maxRefs) {
    if (body == null || !body.isObject()) {
      throw new InputException("Malformed request body, expected an object with entityRefs");
    }
    JsonNode refs = body.get("entityRefs");
    if (refs == null || !refs.isArray()) {
      throw new InputException("Malformed request body, entityRefs must be an array of strings");
    }
    if (refs.size() > maxRefs) {
      throw new InputException("Too many entityRefs: " + refs.size() + " exceeds the limit of " + maxRefs
          + " per request (catalog.maxRefsPerRequest)");
    }
    List<String> entityRefs = new ArrayList<>(refs.size());
    for (JsonNode ref : refs) {
      if (!ref.isTextual()) {
        throw new InputException("Malformed request body, entityRefs must be an array of strings");
      }
      entityRefs.add(ref.textValue());
    }
    List<String> fields = new ArrayList<>(CatalogParams.splitCommas(params.get("fields")));
    fields.addAll(stringList(body, "fields"));
    EntityPredicate queryFilter = FilterParams.parse(params.get("filter"));
    EntityPredicate bodyFilter = PredicateParser.parse(body.get("query"));
    return new ByRefs(entityRefs, and(queryFilter, bodyFilter), CatalogParams.fieldsOf(fields));
  }

  /** {@code GET /entity-facets}. */
  static Facets parseFacetParams(Map<String, List<String>> params) {
    List<String> facets = new ArrayList<>();
    for (String f : params.getOrDefault("facet", List.of())) {
      if (!f.trim().isEmpty()) {
        facets.add(f.trim());
      }
    }
    if (facets.isEmpty()) {
      throw new InputException("Missing facet parameter");
    }
    return new Facets(facets, FilterParams.parse(params.get("filter")));
  }

  /** {@code POST /entity-facets}. */
  static Facets parseFacetBody(JsonNode body) {
    JsonNode b = objectOrEmpty(body);
    List<String> facets = stringList(b, "facets").stream().map(String::trim).filter(f -> !f.isEmpty()).toList();
    if (facets.isEmpty()) {
      throw new InputException("Missing facet parameter");
    }
    return new Facets(facets, PredicateParser.parse(b.get("query")));
  }

  /** {@code POST /locations} (strict: only type, target, presence) and {@code PUT /locations/{id}}. */
  static LocationInput parseLocationInput(JsonNode body) {
    if (body == null || !body.isObject() || body.isEmpty()) {
      throw new InputException("Malformed request body, expected an object with type and target");
    }
    for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
      String name = names.next();
      if (!Set.of("type", "target", "presence").contains(name)) {
        throw new InputException("Malformed request body, unknown property '" + name + "'");
      }
    }
    String type = optionalString(body, "type");
    String target = optionalString(body, "target");
    if (type == null || target == null) {
      throw new InputException("Malformed request body, type and target must be strings");
    }
    String presence = optionalString(body, "presence");
    if (presence != null && !presence.equals("required") && !presence.equals("optional")) {
      throw new InputException("Malformed request body, presence must be required or optional");
    }
    return new LocationInput(type, target);
  }

  /** {@code POST /locations/by-query}. */
  static LocationQuery parseLocationQuery(JsonNode body) {
    JsonNode b = objectOrEmpty(body);
    int limit = optionalInt(b, "limit", DEFAULT_LOCATION_LIMIT);
    if (limit < 1) {
      throw new InputException("Invalid limit, must be at least 1");
    }
    return new LocationQuery(PredicateParser.parse(b.get("query"), LOCATION_KEYS), limit, optionalString(b, "cursor"));
  }

  static EntityPredicate and(EntityPredicate a, EntityPredicate b) {
    if (a instanceof EntityPredicate.MatchAll) {
      return b;
    }
    if (b instanceof EntityPredicate.MatchAll) {
      return a;
    }
    return new EntityPredicate.All(List.of(a, b));
  }

  private static JsonNode objectOrEmpty(JsonNode body) {
    if (body == null || body.isNull() || body.isMissingNode()) {
      return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
    }
    if (!body.isObject()) {
      throw new InputException("Malformed request body, expected a JSON object");
    }
    return body;
  }

  static String optionalString(JsonNode obj, String name) {
    JsonNode v = obj.get(name);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw new InputException("Invalid " + name + ", expected a string");
    }
    return v.textValue();
  }

  private static int optionalInt(JsonNode obj, String name, int fallback) {
    JsonNode v = obj.get(name);
    if (v == null || v.isNull()) {
      return fallback;
    }
    if (!v.isIntegralNumber() || !v.canConvertToInt() || v.intValue() < 0) {
      throw new InputException("Invalid " + name + ", expected a non-negative integer");
    }
    return v.intValue();
  }

  private static List<String> stringList(JsonNode obj, String name) {
    JsonNode v = obj.get(name);
    if (v == null || v.isNull()) {
      return List.of();
    }
    if (!v.isArray()) {
      throw new InputException("Invalid " + name + ", expected an array of strings");
    }
    List<String> out = new ArrayList<>(v.size());
    for (JsonNode item : v) {
      if (!item.isTextual()) {
        throw new InputException("Invalid " + name + ", expected an array of strings");
      }
      out.add(item.textValue());
    }
    return out;
  }

  /**
   * The request shape of {@code POST /validate-entity}, checked as Backstage's OpenAPI validator
   * does ({@code location} string and {@code entity} object, both required, in that order) and
   * answered with its messages in the standard error body; only what passes the shape is
   * answered with {@code {errors}}.
   */
  static void checkValidateEntityShape(JsonNode body) {
    if (body == null || !body.isObject()) {
      throw new InputException("request/body must be object");
    }
    for (String required : new String[] {"location", "entity"}) {
      if (!body.has(required)) {
        throw new InputException("request/body must have required property '" + required + "'");
      }
    }
    if (!body.get("location").isTextual()) {
      throw new InputException("request/body/location must be string");
    }
    if (!body.get("entity").isObject()) {
      throw new InputException("request/body/entity must be object");
    }
  }
}
