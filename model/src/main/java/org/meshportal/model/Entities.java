package org.meshportal.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Accessors for the Backstage entity envelope, which travels as a Jackson tree. */
public final class Entities {
  private Entities() {}

  public static String kind(JsonNode entity) {
    return entity.path("kind").asText("");
  }

  public static String namespace(JsonNode entity) {
    JsonNode ns = entity.path("metadata").path("namespace");
    return ns.isTextual() && !ns.asText().isEmpty() ? ns.asText() : EntityRef.DEFAULT_NAMESPACE;
  }

  public static String name(JsonNode entity) {
    return entity.path("metadata").path("name").asText("");
  }

  public static EntityRef ref(JsonNode entity) {
    return new EntityRef(kind(entity), namespace(entity), name(entity));
  }

  public static String uid(JsonNode entity) {
    return entity.path("metadata").path("uid").asText(null);
  }

  public static String annotation(JsonNode entity, String key) {
    JsonNode v = entity.path("metadata").path("annotations").path(key);
    return v.isTextual() ? v.asText() : null;
  }

  /** The metadata object, created when absent. */
  public static ObjectNode metadata(ObjectNode entity) {
    JsonNode m = entity.get("metadata");
    if (m instanceof ObjectNode o) {
      return o;
    }
    return entity.putObject("metadata");
  }

  /** The annotations object, created when absent. */
  public static ObjectNode annotations(ObjectNode entity) {
    ObjectNode metadata = metadata(entity);
    JsonNode a = metadata.get("annotations");
    if (a instanceof ObjectNode o) {
      return o;
    }
    return metadata.putObject("annotations");
  }
}
