package org.meshportal.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Validation and normalisation of entities read from files, per Backstage's catalog-model:
 * the envelope, metadata (name, namespace, labels, annotations, tags, links), the built-in kinds
 * and their required spec fields, and the Template kind.
 *
 * <p>Contract (implemented in this module):
 * <ul>
 *   <li>{@link #validate} returns problems as Backstage-style messages (empty list = valid); it
 *       never throws for bad input. Like Backstage it stops at the first problem, so the list has
 *       at most one element; the message is the full text Backstage stores in {@code status.items}
 *       (e.g. {@code Policy check failed; caused by Error: "metadata.name" is not valid; ...});
 *   <li>{@link #normalize} fills {@code metadata.namespace} with {@code default} when missing and
 *       sorts the string arrays Backstage sorts (providesApis, consumesApis, dependsOn,
 *       dependencyOf, memberOf, children, members).
 * </ul>
 *
 * <p>Immutable and thread-safe.
 */
public final class EntityPolicy {
  private static final String INPUT_ERROR = "InputError";
  private static final Set<String> ROOT_FIELDS = Set.of("apiVersion", "kind", "metadata", "spec");
  private static final Map<String, List<String>> SORTED_SPEC_ARRAYS = Map.of(
      "Component", List.of("providesApis", "consumesApis", "dependsOn", "dependencyOf"),
      "Resource", List.of("dependsOn", "dependencyOf"),
      "User", List.of("memberOf"),
      "Group", List.of("children", "members"));

  private final Set<String> allowedKinds;
  private final Set<String> allowedKindsLower;

  /** @param allowedKinds kinds accepted from locations ({@code catalog.rules}); empty = all built-in kinds */
  public EntityPolicy(Set<String> allowedKinds) {
    this.allowedKinds = Set.copyOf(allowedKinds);
    this.allowedKindsLower = this.allowedKinds.stream()
        .map(k -> k.toLowerCase(Locale.ROOT))
        .collect(Collectors.toUnmodifiableSet());
  }

  public Set<String> allowedKinds() {
    return allowedKinds;
  }

  /**
   * Whether {@code catalog.rules} let an entity of this kind in. Backstage compares kinds
   * case-insensitively here; an empty rule set allows every kind.
   */
  public boolean isAllowed(String kind) {
    return allowedKindsLower.isEmpty()
        || (kind != null && allowedKindsLower.contains(kind.toLowerCase(Locale.ROOT)));
  }

  /** One problem found in an entity: Backstage error name and message. */
  public record Problem(String name, String message) {}

  public List<Problem> validate(JsonNode entity) {
    if (entity == null) {
      return List.of(new Problem(INPUT_ERROR,
          "Entity envelope failed validation before processing; caused by TypeError: <root> must be object - type: object"));
    }
    try {
      checkEnvelope(entity);
    } catch (SchemaViolation v) {
      return List.of(new Problem(INPUT_ERROR,
          "Entity envelope failed validation before processing; caused by " + v.asCause()));
    }
    try {
      checkEntitySchema(entity);
      checkRootFields(entity);
      checkFieldFormats(entity);
    } catch (SchemaViolation v) {
      return List.of(new Problem(INPUT_ERROR, "Policy check failed; caused by " + v.asCause()));
    }
    String ref = stringifyRef(entity);
    KindSchemas.Schema schema =
        KindSchemas.find(entity.get("kind").asText(), entity.get("apiVersion").asText());
    if (schema == null) {
      return List.of(new Problem(INPUT_ERROR, "No processor recognized the entity " + ref
          + " as valid, possibly caused by a foreign kind or apiVersion"));
    }
    try {
      KindSchemas.check(schema, entity);
    } catch (SchemaViolation v) {
      return List.of(new Problem(INPUT_ERROR, "Processor " + schema.processor()
          + " threw an error while validating the entity " + ref + "; caused by " + v.asCause()));
    }
    return List.of();
  }

  public void normalize(ObjectNode entity) {
    ObjectNode metadata = Entities.metadata(entity);
    JsonNode namespace = metadata.get("namespace");
    if (namespace == null || namespace.isNull()) {
      metadata.put("namespace", EntityRef.DEFAULT_NAMESPACE);
    }
    List<String> sorted = SORTED_SPEC_ARRAYS.get(Entities.kind(entity));
    if (sorted == null || !(entity.get("spec") instanceof ObjectNode spec)) {
      return;
    }
    for (String field : sorted) {
      if (spec.get(field) instanceof ArrayNode array) {
        sortStrings(array);
      }
    }
  }

  /** Sorts in place by UTF-16 code units (JavaScript's default sort); leaves mixed arrays alone. */
  private static void sortStrings(ArrayNode array) {
    List<String> values = new ArrayList<>(array.size());
    for (JsonNode item : array) {
      if (!item.isTextual()) {
        return;
      }
      values.add(item.asText());
    }
    values.sort(null);
    array.removeAll();
    values.forEach(array::add);
  }

  /** Backstage's {@code stringifyEntityRef}: kind lowercased, namespace and name as written. */
  private static String stringifyRef(JsonNode entity) {
    return Entities.kind(entity).toLowerCase(Locale.ROOT) + ":" + Entities.namespace(entity) + "/"
        + Entities.name(entity);
  }

  /** The envelope schema: just enough to give the entity a ref. */
  private static void checkEnvelope(JsonNode entity) {
    SchemaCheck.object(entity, "");
    SchemaCheck.required(entity, "", "apiVersion", "kind", "metadata");
    SchemaCheck.nonEmptyString(entity.get("apiVersion"), "/apiVersion");
    SchemaCheck.nonEmptyString(entity.get("kind"), "/kind");
    JsonNode metadata = SchemaCheck.object(entity.get("metadata"), "/metadata");
    SchemaCheck.required(metadata, "/metadata", "name");
    SchemaCheck.nonEmptyString(metadata.get("name"), "/metadata/name");
    SchemaCheck.optionalString(metadata, "/metadata", "namespace");
  }

  /** The Entity schema's types for metadata and spec (SchemaValidEntityPolicy). */
  private static void checkEntitySchema(JsonNode entity) {
    JsonNode metadata = entity.get("metadata");
    String path = "/metadata";
    for (String field : List.of("uid", "etag", "title", "description")) {
      SchemaCheck.optionalString(metadata, path, field);
    }
    for (String field : List.of("labels", "annotations")) {
      JsonNode map = metadata.get(field);
      if (map == null) {
        continue;
      }
      String mapPath = SchemaCheck.child(path, field);
      SchemaCheck.object(map, mapPath);
      map.properties().forEach(e -> {
        if (!e.getValue().isTextual()) {
          throw SchemaCheck.fail(SchemaCheck.child(mapPath, e.getKey()), "must be string", "type", "string");
        }
      });
    }
    SchemaCheck.optionalStringArray(metadata, path, "tags");
    JsonNode links = metadata.get("links");
    if (links != null) {
      SchemaCheck.array(links, "/metadata/links");
      for (int i = 0; i < links.size(); i++) {
        String linkPath = SchemaCheck.child("/metadata/links", i);
        JsonNode link = SchemaCheck.object(links.get(i), linkPath);
        SchemaCheck.required(link, linkPath, "url");
        for (String field : List.of("url", "title", "icon", "type")) {
          SchemaCheck.optionalString(link, linkPath, field);
        }
      }
    }
    SchemaCheck.optionalObject(entity, "", "spec");
  }

  /** NoForeignRootFieldsEntityPolicy: files may only carry the four envelope keys. */
  private static void checkRootFields(JsonNode entity) {
    for (String key : (Iterable<String>) entity::fieldNames) {
      if (!ROOT_FIELDS.contains(key)) {
        throw SchemaViolation.error("Unknown field " + key);
      }
    }
  }

  /** FieldFormatEntityPolicy. Types were checked by the schema, so every value here is a string. */
  private static void checkFieldFormats(JsonNode entity) {
    String apiVersion = entity.get("apiVersion").asText();
    if (!FieldFormats.isValidApiVersion(apiVersion)) {
      throw FieldFormats.notValid("apiVersion", FieldFormats.EXPECT_PREFIX_SUFFIX, apiVersion);
    }
    String kind = entity.get("kind").asText();
    if (!FieldFormats.isValidKind(kind)) {
      throw FieldFormats.notValid("kind", FieldFormats.EXPECT_KIND, kind);
    }
    JsonNode metadata = entity.get("metadata");
    String name = metadata.get("name").asText();
    if (!FieldFormats.isValidObjectName(name)) {
      throw FieldFormats.notValid("metadata.name", FieldFormats.EXPECT_OBJECT_NAME, name);
    }
    JsonNode namespace = metadata.get("namespace");
    if (namespace != null && !FieldFormats.isValidDnsLabel(namespace.asText())) {
      throw FieldFormats.notValid("metadata.namespace", FieldFormats.EXPECT_DNS_LABEL, namespace.asText());
    }
    JsonNode labels = metadata.path("labels");
    for (var e : labels.properties()) {
      String field = "labels." + e.getKey();
      if (!FieldFormats.isValidPrefixedKey(e.getKey())) {
        throw FieldFormats.notValid(field, FieldFormats.EXPECT_PREFIX_SUFFIX, e.getKey());
      }
      if (!FieldFormats.isValidLabelValue(e.getValue().asText())) {
        throw FieldFormats.notValid(field, FieldFormats.EXPECT_OBJECT_NAME, e.getValue().asText());
      }
    }
    for (var e : metadata.path("annotations").properties()) {
      if (!FieldFormats.isValidPrefixedKey(e.getKey())) {
        throw FieldFormats.notValid("annotations." + e.getKey(), FieldFormats.EXPECT_PREFIX_SUFFIX, e.getKey());
      }
    }
    JsonNode tags = metadata.path("tags");
    for (int i = 0; i < tags.size(); i++) {
      String tag = tags.get(i).asText();
      if (!FieldFormats.isValidTag(tag)) {
        throw FieldFormats.notValid("tags." + i, FieldFormats.EXPECT_TAG, tag);
      }
    }
    JsonNode links = metadata.path("links");
    for (int i = 0; i < links.size(); i++) {
      JsonNode link = links.get(i);
      String url = link.get("url").asText();
      if (!FieldFormats.isValidUrl(url)) {
        throw FieldFormats.notValid("links." + i + ".url", FieldFormats.EXPECT_URL, url);
      }
      for (String field : List.of("title", "icon")) {
        JsonNode v = link.get(field);
        if (v != null && !FieldFormats.isNonEmptyString(v.asText())) {
          throw FieldFormats.notValid("links." + i + "." + field, FieldFormats.EXPECT_NON_EMPTY, v.asText());
        }
      }
    }
  }
}
