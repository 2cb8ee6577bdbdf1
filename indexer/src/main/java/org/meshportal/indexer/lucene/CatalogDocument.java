package org.meshportal.indexer.lucene;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.meshportal.model.Entities;

/**
 * The {@code software-catalog} search document of one entity (Backstage's CatalogEntityDocument),
 * plus the extra text we make searchable (tags, Platform Mesh annotations, kcp path).
 */
record CatalogDocument(
    ObjectNode document,
    List<String> names,
    List<String> tags,
    List<String> descriptions,
    List<String> otherText,
    List<String> exactIdentifiers,
    String kcpPath) {

  static final String TYPE = "software-catalog";
  static final List<String> FILTER_FIELDS =
      List.of("title", "text", "location", "kind", "namespace", "type", "componentType", "lifecycle", "owner");
  /** How much of an API definition is searchable: enough for its title and intro, not the whole spec. */
  private static final int DEFINITION_TEXT_LIMIT = 4096;
  private static final String KCP_PATH = "kcp.io/path";
  /** Platform Mesh annotations whose values (comma-separated lists) are searched like tags. */
  private static final Set<String> MESH_FACTS = Set.of(
      "platform-mesh.io/name", "platform-mesh.io/apiexport-name", "platform-mesh.io/api-group",
      "platform-mesh.io/resources", "platform-mesh.io/permission-claims");
  /** Of those, the ones a user may type whole (an API group, an export name) for the exact boost. */
  private static final Set<String> MESH_IDENTIFIERS = Set.of(
      "platform-mesh.io/name", "platform-mesh.io/apiexport-name", "platform-mesh.io/api-group");
  /** Machine data that would only add noise words (JSON of bindings, counts). */
  private static final Set<String> MESH_NOISE = Set.of(
      "platform-mesh.io/bindings", "platform-mesh.io/binding-count");

  static CatalogDocument of(JsonNode entity) {
    JsonNode metadata = entity.path("metadata");
    JsonNode spec = entity.path("spec");
    JsonNode profile = spec.path("profile");
    String kind = Entities.kind(entity);
    String namespace = Entities.namespace(entity);
    String name = Entities.name(entity);
    String title = text(metadata.path("title"));
    String description = text(metadata.path("description"));
    String displayName = text(profile.path("displayName"));
    String email = text(profile.path("email"));
    boolean user = kind.equalsIgnoreCase("user");
    boolean group = kind.equalsIgnoreCase("group");

    List<String> texts = new ArrayList<>();
    texts.add(description == null ? "" : description);
    if ((user || group) && displayName != null) {
      texts.add(displayName);
    }
    if (user && email != null) {
      texts.add(email);
    }
    String type = scalar(spec.path("type"));

    ObjectNode doc = JsonNodeFactory.instance.objectNode();
    doc.put("title", title != null ? title : name);
    doc.put("text", String.join(" : ", texts));
    doc.put("location", ("/catalog/" + uriComponent(namespace) + "/" + uriComponent(kind) + "/" + uriComponent(name))
        .toLowerCase(Locale.ROOT));
    doc.put("kind", kind);
    doc.put("namespace", namespace);
    doc.put("type", type == null || type.isEmpty() ? "other" : type);
    doc.put("componentType", type == null || type.isEmpty() ? "other" : type);
    String lifecycle = text(spec.path("lifecycle"));
    doc.put("lifecycle", lifecycle == null ? "" : lifecycle);
    String owner = text(spec.path("owner"));
    doc.put("owner", owner == null ? "" : owner);

    List<String> names = new ArrayList<>();
    names.add(name);
    addIfPresent(names, title);
    addIfPresent(names, displayName);

    List<String> tags = new ArrayList<>();
    for (JsonNode tag : metadata.path("tags")) {
      addIfPresent(tags, text(tag));
    }

    List<String> descriptions = new ArrayList<>();
    addIfPresent(descriptions, description);

    List<String> other = new ArrayList<>();
    other.add(kind);
    other.add(namespace);
    addIfPresent(other, type);
    addIfPresent(other, lifecycle);
    addIfPresent(other, owner);
    addIfPresent(other, email);
    String definition = text(spec.path("definition"));
    if (definition != null) {
      other.add(definition.length() > DEFINITION_TEXT_LIMIT ? definition.substring(0, DEFINITION_TEXT_LIMIT) : definition);
    }

    List<String> exact = new ArrayList<>();
    String kcpPath = null;
    Iterator<Map.Entry<String, JsonNode>> annotations = metadata.path("annotations").fields();
    while (annotations.hasNext()) {
      Map.Entry<String, JsonNode> a = annotations.next();
      String value = scalar(a.getValue());
      if (value == null || value.isEmpty()) {
        continue;
      }
      String key = a.getKey();
      if (key.equals(KCP_PATH)) {
        kcpPath = value;
        other.add(value);
        exact.add(value.toLowerCase(Locale.ROOT));
        for (String segment : value.split(":")) {
          if (!segment.isEmpty()) {
            exact.add(segment.toLowerCase(Locale.ROOT));
          }
        }
      } else if (MESH_FACTS.contains(key)) {
        // short identifying facts weigh like tags: in the long text they drown in the API definition
        for (String item : value.split(",")) {
          addIfPresent(tags, item.strip());
        }
        if (MESH_IDENTIFIERS.contains(key)) {
          for (String item : value.split(",")) {
            addIfPresent(exact, item.strip().toLowerCase(Locale.ROOT));
          }
        }
      } else if (key.contains("platform-mesh.io/") && !MESH_NOISE.contains(key)) {
        other.add(value);
      }
    }
    return new CatalogDocument(doc, names, tags, descriptions, other, exact, kcpPath);
  }

  byte[] documentBytes() {
    return document.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static void addIfPresent(List<String> list, String value) {
    if (value != null && !value.isEmpty()) {
      list.add(value);
    }
  }

  private static String text(JsonNode node) {
    return node.isTextual() ? node.asText() : null;
  }

  private static String scalar(JsonNode node) {
    return node.isValueNode() && !node.isNull() ? node.asText() : null;
  }

  /** JavaScript's encodeURIComponent, which the Backstage collator uses for the location. */
  static String uriComponent(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-_.!~*'()".indexOf(c) >= 0) {
        out.append((char) c);
      } else {
        out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
            .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
      }
    }
    return out.toString();
  }
}
