package org.meshportal.indexer.lucene;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.meshportal.indexer.OrderField;
import org.meshportal.model.errors.InputException;
import org.meshportal.model.query.EntityPredicate;

/**
 * The whole state of a by-query page sequence. Encoded as base64 JSON WITHOUT a top-level
 * {@code query} key, so the official client follows it with a GET (both GET and POST accept it).
 *
 * @param filter the complete filter, full-text condition included
 * @param order the one order field, or null for ref order
 * @param after the row the page continues from (exclusive), or null on the initial request
 * @param previous whether to fetch the rows before {@code after}
 * @param first the first row of the initial page, to know when a page starts the result set
 */
record QueryCursor(
    EntityPredicate filter, OrderField order, RowPosition after, boolean previous, RowPosition first, int totalItems) {

  /** A row's sort value (lowercased, null when unordered) and its ref. */
  record RowPosition(String value, String ref) {}

  private static final int VERSION = 1;

  QueryCursor continuing(RowPosition from, boolean backwards) {
    return new QueryCursor(filter, order, from, backwards, first, totalItems);
  }

  String encode(ObjectMapper json) {
    ObjectNode o = json.createObjectNode();
    o.put("v", VERSION);
    o.set("filter", PredicateJson.write(filter));
    if (order != null) {
      o.putObject("order").put("field", order.field()).put("desc", order.descending());
    }
    if (after != null) {
      o.set("after", position(json, after));
    }
    o.put("previous", previous);
    if (first != null) {
      o.set("first", position(json, first));
    }
    o.put("totalItems", totalItems);
    return Base64.getEncoder().encodeToString(o.toString().getBytes(StandardCharsets.UTF_8));
  }

  static QueryCursor decode(String cursor, ObjectMapper json) {
    try {
      JsonNode o = json.readTree(Base64.getDecoder().decode(cursor));
      if (o == null || !o.isObject() || o.path("v").asInt(-1) != VERSION) {
        throw new IllegalArgumentException("not a cursor of this server");
      }
      EntityPredicate filter = PredicateJson.read(o.get("filter"));
      OrderField order = null;
      if (o.has("order")) {
        JsonNode of = o.get("order");
        order = new OrderField(PredicateJson.text(of, "field"), of.path("desc").asBoolean(false));
      }
      return new QueryCursor(
          filter, order, position(o.get("after")), o.path("previous").asBoolean(false),
          position(o.get("first")), o.path("totalItems").asInt(0));
    } catch (IllegalArgumentException | IOException e) {
      throw new InputException("Malformed cursor: " + e.getMessage());
    }
  }

  private static ObjectNode position(ObjectMapper json, RowPosition p) {
    ObjectNode n = json.createObjectNode();
    if (p.value() != null) {
      n.put("value", p.value());
    }
    return n.put("ref", p.ref());
  }

  private static RowPosition position(JsonNode n) {
    if (n == null || n.isNull()) {
      return null;
    }
    JsonNode value = n.get("value");
    return new RowPosition(value == null || value.isNull() ? null : value.asText(), PredicateJson.text(n, "ref"));
  }
}
