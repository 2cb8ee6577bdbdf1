package org.meshportal.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * One resource kind an export serves, from an APIResourceSchema or a CRD, normalized.
 *
 * @param source the document the schema came from (file for provenance)
 */
record ResourceSchema(
    MeshDoc source, String group, String kind, String plural, String singular,
    List<String> shortNames, boolean namespaced, List<Version> versions) {

  record Version(String name, JsonNode schema, boolean deprecated) {}

  /** From an APIResourceSchema, whose versions carry the openAPIV3Schema directly under {@code schema}. */
  static ResourceSchema fromApiResourceSchema(MeshDoc doc) {
    return from(doc, doc.spec().path("group").asText(""), false);
  }

  /** From a CRD, optionally under the group an api-syncagent projection gives it. */
  static ResourceSchema fromCrd(MeshDoc doc, String projectedGroup, String projectedKind, String projectedPlural) {
    ResourceSchema base = from(doc, projectedGroup != null ? projectedGroup : doc.spec().path("group").asText(""), true);
    return new ResourceSchema(doc, base.group,
        projectedKind != null ? projectedKind : base.kind,
        projectedPlural != null ? projectedPlural : base.plural,
        base.singular, base.shortNames, base.namespaced, base.versions);
  }

  private static ResourceSchema from(MeshDoc doc, String group, boolean crd) {
    JsonNode spec = doc.spec();
    JsonNode names = spec.path("names");
    List<String> shortNames = new ArrayList<>();
    names.path("shortNames").forEach(n -> shortNames.add(n.asText()));
    List<Version> versions = new ArrayList<>();
    for (JsonNode v : spec.path("versions")) {
      JsonNode schema = crd ? v.path("schema").path("openAPIV3Schema") : v.path("schema");
      versions.add(new Version(v.path("name").asText(""), schema.isObject() ? schema : null,
          v.path("deprecated").asBoolean(false)));
    }
    return new ResourceSchema(doc, group, names.path("kind").asText(""), names.path("plural").asText(""),
        names.path("singular").asText(""), List.copyOf(shortNames),
        !"Cluster".equals(spec.path("scope").asText("Namespaced")), List.copyOf(versions));
  }
}
