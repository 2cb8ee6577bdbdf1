package org.meshportal.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The exports-and-schemas part of a derivation: normalizes APIExports (both versions) and finds the
 * schema of each resource (APIResourceSchema, CRD, or an api-syncagent projection of a CRD).
 * Split out of {@link MeshDeriver}; shares its index, its set of used documents and its problems.
 */
final class ExportReader {
  private final MeshOptions options;
  private final ObjectMapper json;
  private final MeshIndex index;
  private final Set<MeshDoc> used;
  private final List<MeshProblem> problems;

  ExportReader(MeshOptions options, ObjectMapper json, MeshIndex index, Set<MeshDoc> used, List<MeshProblem> problems) {
    this.options = options;
    this.json = json;
    this.index = index;
    this.used = used;
    this.problems = problems;
  }

  Map<String, Export> exports() {
    Map<String, List<Export>> byKey = new LinkedHashMap<>();
    index.exports.forEach((ws, docs) -> docs.forEach(doc ->
        byKey.computeIfAbsent(MeshDeriver.key(ws, doc.name()), k -> new ArrayList<>()).add(normalize(doc))));
    Map<String, Export> winners = new LinkedHashMap<>();
    byKey.forEach((k, list) -> {
      Export winner = list.stream().min(Comparator.comparingInt((Export e) -> e.missing().size())).orElseThrow();
      winners.put(k, winner);
      for (Export loser : list) {
        if (loser != winner) {
          problems.add(MeshDeriver.error(loser.doc(), "duplicate APIExport name '" + loser.name() + "' in workspace "
              + loser.ws() + " (also defined in " + winner.doc().file() + "); this document is ignored"));
        }
      }
    });
    return winners;
  }

  Export normalize(MeshDoc doc) {
    JsonNode spec = doc.spec();
    List<ExportResource> resources = new ArrayList<>();
    for (String schemaName : MeshIndex.texts(spec.path("latestResourceSchemas"))) {
      String[] parts = schemaName.split("\\.", 3);
      resources.add(new ExportResource(parts.length == 3 ? parts[2] : null, parts.length == 3 ? parts[1] : null, schemaName, null));
    }
    for (JsonNode r : spec.path("resources")) {
      resources.add(new ExportResource(MeshDoc.text(r.path("group")), MeshDoc.text(r.path("name")),
          MeshDoc.text(r.path("schema")), virtualStorage(r.path("storage"))));
    }
    List<String> claims = new ArrayList<>();
    for (JsonNode c : spec.path("permissionClaims")) {
      String group = c.path("group").asText("");
      String claim = c.path("resource").asText("") + (group.isEmpty() ? "" : "." + group);
      List<String> verbs = MeshIndex.texts(c.path("verbs"));
      claims.add(verbs.isEmpty() ? claim : claim + "(" + String.join("|", verbs) + ")");
    }
    List<ResourceSchema> schemas = new ArrayList<>();
    List<String> missing = new ArrayList<>();
    for (ExportResource r : resources) {
      ResourceSchema s = resolveSchema(doc.workspace(), r);
      if (s != null) {
        schemas.add(s);
      } else {
        missing.add(r.schemaName() != null ? r.schemaName() : r.plural() + "." + r.group());
      }
    }
    if (resources.isEmpty()) {
      schemas.addAll(publishedSchemas(doc));
    }
    return new Export(doc, doc.workspace(), doc.name(), resources, claims, schemas, missing);
  }

  /**
   * What serves a v1alpha2 resource with {@code storage.virtual} ({@code <kind>.<apiGroup>/<name>} of
   * its reference, or "" when it names none); null for any other storage.
   */
  private static String virtualStorage(JsonNode storage) {
    JsonNode virtual = storage.path("virtual");
    if (!virtual.isObject()) {
      return null;
    }
    JsonNode ref = virtual.path("reference");
    String kind = MeshDoc.text(ref.path("kind"));
    String group = MeshDoc.text(ref.path("apiGroup"));
    String name = MeshDoc.text(ref.path("name"));
    if (kind == null && name == null) {
      return "";
    }
    return (kind == null ? "" : kind) + (group == null || group.isEmpty() ? "" : "." + group) + (name == null ? "" : "/" + name);
  }

  /** Virtual resources of an export, {@code <plural>.<group>} to what serves them, for the definition. */
  static Map<String, String> virtualResources(Export e) {
    Map<String, String> out = new TreeMap<>();
    for (ExportResource r : e.resources()) {
      if (r.virtual() != null && r.plural() != null && r.group() != null) {
        out.put(r.plural() + "." + r.group(), r.virtual());
      }
    }
    return out;
  }

  private ResourceSchema resolveSchema(String ws, ExportResource r) {
    MeshDoc ars = r.schemaName() == null ? null : index.schemas.getOrDefault(ws, Map.of()).get(r.schemaName());
    if (ars != null) {
      used.add(ars);
      return oversized(ars) ? null : ResourceSchema.fromApiResourceSchema(ars);
    }
    if (r.plural() == null || r.group() == null) {
      return null;
    }
    for (MeshDoc crd : index.crds.getOrDefault(ws, List.of())) {
      JsonNode spec = crd.spec();
      if (r.group().equals(spec.path("group").asText()) && r.plural().equals(spec.path("names").path("plural").asText())) {
        used.add(crd);
        return oversized(crd) ? null : ResourceSchema.fromCrd(crd, null, null, null);
      }
    }
    for (MeshDoc pr : index.publishedResources.getOrDefault(ws, List.of())) {
      MeshDoc crd = crdFor(pr);
      if (crd != null && r.group().equals(projectedGroup(pr))) {
        ResourceSchema s = projected(pr, crd);
        if (r.plural().equals(s.plural())) {
          used.add(pr);
          used.add(crd);
          return oversized(crd) ? null : s;
        }
      }
    }
    return null;
  }

  /** Schemas of an export checked in empty (api-syncagent fills it at runtime), from its PublishedResources' CRDs. */
  private List<ResourceSchema> publishedSchemas(MeshDoc export) {
    List<ResourceSchema> out = new ArrayList<>();
    for (MeshDoc pr : index.publishedResources.getOrDefault(export.workspace(), List.of())) {
      MeshDoc crd = crdFor(pr);
      if (crd != null && (export.name().equals(projectedGroup(pr)) || "api-syncagent".equals(export.name()))
          && !oversized(crd)) {
        out.add(projected(pr, crd));
        used.add(pr);
        used.add(crd);
      }
    }
    return out;
  }

  private static ResourceSchema projected(MeshDoc pr, MeshDoc crd) {
    JsonNode projection = pr.spec().path("projection");
    return ResourceSchema.fromCrd(crd, projectedGroup(pr), MeshDoc.text(projection.path("kind")),
        MeshDoc.text(projection.path("plural")));
  }

  private MeshDoc crdFor(MeshDoc pr) {
    JsonNode resource = pr.spec().path("resource");
    String group = resource.path("apiGroup").asText();
    String kind = resource.path("kind").asText();
    for (MeshDoc crd : index.crds.getOrDefault(pr.workspace(), List.of())) {
      if (group.equals(crd.spec().path("group").asText()) && kind.equals(crd.spec().path("names").path("kind").asText())) {
        return crd;
      }
    }
    return null;
  }

  static String projectedGroup(MeshDoc pr) {
    String group = MeshDoc.text(pr.spec().path("projection").path("group"));
    return group != null ? group : pr.spec().path("resource").path("apiGroup").asText();
  }

  private boolean oversized(MeshDoc schemaDoc) {
    if (schemaDoc.fileSize() <= options.maxSchemaBytes()) {
      return false; // a schema cannot be larger than the file holding it; skips serializing
    }
    long size = serializedSize(schemaDoc.spec());
    if (size > options.maxSchemaBytes()) {
      problems.add(MeshDeriver.warning(schemaDoc, "schema is " + size + " bytes, over the limit of " + options.maxSchemaBytes()
          + " bytes; left out of the API definition"));
      return true;
    }
    return false;
  }

  private long serializedSize(JsonNode node) {
    long[] count = {0};
    OutputStream counter = new OutputStream() {
      @Override
      public void write(int b) {
        count[0]++;
      }

      @Override
      public void write(byte[] b, int off, int len) {
        count[0] += len;
      }
    };
    try {
      json.writeValue(counter, node);
    } catch (IOException e) {
      throw new IllegalStateException("counting stream cannot fail", e);
    }
    return count[0];
  }
}
