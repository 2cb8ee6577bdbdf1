package org.meshportal.mesh;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Builds an OpenAPI 3.0 document for an export: one component schema per kind and version (the
 * openAPIV3Schema as written) and Kubernetes-style list/get/create/update/delete paths under
 * {@code /apis/<group>/<version>/[namespaces/{namespace}/]<plural>[/{name}]}.
 */
final class OpenApiBuilder {

  private static final java.util.regex.Pattern NOT_KEY_CHARS = java.util.regex.Pattern.compile("[^A-Za-z0-9._-]");
  private final ObjectMapper json;

  OpenApiBuilder(ObjectMapper json) {
    this.json = json;
  }

  /** Component schema key of a kind and version, unique within one document. */
  static String componentName(ResourceSchema r, ResourceSchema.Version v, Set<String> taken) {
    String base = r.kind() + "_" + v.name();
    String key = NOT_KEY_CHARS.matcher(base).replaceAll("_");
    if (!taken.add(key)) {
      key = NOT_KEY_CHARS.matcher(r.group().replace('.', '_') + "_" + base).replaceAll("_");
      taken.add(key);
    }
    return key;
  }

  /**
   * @param virtual {@code <plural>.<group>} of resources with v1alpha2 {@code storage.virtual}, to what
   *     serves them; they are marked {@code x-kcp-storage: virtual} and named in the description
   */
  String build(String title, String description, String kcpPath, List<ResourceSchema> resources, List<String> missing,
      Map<String, String> virtual) {
    ObjectNode doc = json.createObjectNode();
    doc.put("openapi", "3.0.3");
    ObjectNode info = doc.putObject("info");
    info.put("title", title);
    info.put("version", firstVersion(resources));
    StringBuilder desc = new StringBuilder(description == null ? "" : description.strip());
    desc.append(desc.isEmpty() ? "" : "\n\n").append("Served by kcp workspace `").append(kcpPath).append("`.");
    if (!missing.isEmpty()) {
      desc.append("\n\nResource schemas not found in the repository (api-syncagent publishes them at runtime): ")
          .append(String.join(", ", missing)).append('.');
    }
    if (!virtual.isEmpty()) {
      List<String> served = new java.util.ArrayList<>();
      virtual.forEach((resource, by) -> served.add(resource + (by.isEmpty() ? "" : " (served by " + by + ")")));
      desc.append("\n\nVirtual resources, not stored by kcp but served by the provider's virtual workspace: ")
          .append(String.join(", ", served)).append('.');
    }
    info.put("description", desc.toString());
    if (!missing.isEmpty()) {
      // machine-readable as well: a definition without paths then says which schemas it lacks
      ArrayNode names = info.putArray("x-kcp-missing-schemas");
      missing.forEach(names::add);
    }
    ArrayNode tags = doc.putArray("tags");
    ObjectNode paths = doc.putObject("paths");
    ObjectNode schemas = doc.putObject("components").putObject("schemas");
    Set<String> taken = new HashSet<>();
    Set<String> operationIds = new HashSet<>();
    for (ResourceSchema r : resources) {
      String by = virtual.get(r.plural() + "." + r.group());
      ObjectNode tag = tags.addObject().put("name", r.kind())
          .put("description", r.plural() + "." + r.group() + (by == null ? "" : " (virtual storage)"));
      if (by != null) {
        tag.put("x-kcp-storage", "virtual");
      }
      for (ResourceSchema.Version v : r.versions()) {
        String component = componentName(r, v, taken);
        ObjectNode schema = v.schema() != null ? (ObjectNode) v.schema() : json.createObjectNode().put("type", "object");
        // shared, not copied: the tree is only serialized here and never changed
        schemas.set(component, schema);
        ObjectNode list = schemas.putObject(component + "_List");
        list.put("type", "object");
        ObjectNode props = list.putObject("properties");
        props.putObject("apiVersion").put("type", "string");
        props.putObject("kind").put("type", "string");
        props.putObject("metadata").put("type", "object");
        props.putObject("items").put("type", "array").putObject("items").put("$ref", ref(component));
        addPaths(paths, r, v, component, operationIds, by);
      }
    }
    try {
      return json.writerWithDefaultPrettyPrinter().writeValueAsString(doc);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a Jackson tree always serializes", e);
    }
  }

  private static String firstVersion(List<ResourceSchema> resources) {
    for (ResourceSchema r : resources) {
      if (!r.versions().isEmpty()) {
        return r.versions().get(r.versions().size() - 1).name();
      }
    }
    return "v1";
  }

  private void addPaths(ObjectNode paths, ResourceSchema r, ResourceSchema.Version v, String component, Set<String> ids,
      String virtualBy) {
    String base = "/apis/" + r.group() + "/" + v.name();
    String collection = base + (r.namespaced() ? "/namespaces/{namespace}/" : "/") + r.plural();
    String suffix = r.kind() + capitalize(v.name());
    ObjectNode coll = paths.putObject(collection);
    if (r.namespaced()) {
      coll.putArray("parameters").add(pathParam("namespace"));
    }
    operation(coll, "get", "list" + suffix, r, v, "List " + r.plural(), null, "200", component + "_List", ids);
    operation(coll, "post", "create" + suffix, r, v, "Create a " + r.kind(), component, "201", component, ids);
    ObjectNode item = paths.putObject(collection + "/{name}");
    ArrayNode params = item.putArray("parameters");
    if (r.namespaced()) {
      params.add(pathParam("namespace"));
    }
    params.add(pathParam("name"));
    operation(item, "get", "read" + suffix, r, v, "Read a " + r.kind(), null, "200", component, ids);
    operation(item, "put", "replace" + suffix, r, v, "Replace a " + r.kind(), component, "200", component, ids);
    operation(item, "delete", "delete" + suffix, r, v, "Delete a " + r.kind(), null, "200", null, ids);
    ObjectNode all = null;
    if (r.namespaced()) {
      all = paths.putObject(base + "/" + r.plural());
      operation(all, "get", "list" + suffix + "ForAllNamespaces", r, v,
          "List " + r.plural() + " across namespaces", null, "200", component + "_List", ids);
    }
    if (virtualBy != null) {
      // path items take extensions: a client sees these paths are served virtually, not from stored objects
      for (ObjectNode pathItem : java.util.Arrays.asList(coll, item, all)) {
        if (pathItem != null) {
          pathItem.put("x-kcp-storage", "virtual");
          if (!virtualBy.isEmpty()) {
            pathItem.put("x-kcp-virtual-source", virtualBy);
          }
        }
      }
    }
  }

  private void operation(ObjectNode pathItem, String method, String operationId, ResourceSchema r,
      ResourceSchema.Version v, String summary, String requestSchema, String status, String responseSchema, Set<String> ids) {
    ObjectNode op = pathItem.putObject(method);
    String id = operationId;
    for (int i = 2; !ids.add(id); i++) {
      id = operationId + i;
    }
    op.put("operationId", id);
    op.put("summary", summary);
    op.putArray("tags").add(r.kind());
    if (v.deprecated()) {
      op.put("deprecated", true);
    }
    if (requestSchema != null) {
      op.putObject("requestBody").put("required", true).putObject("content")
          .putObject("application/json").putObject("schema").put("$ref", ref(requestSchema));
    }
    ObjectNode responses = op.putObject("responses");
    ObjectNode ok = responses.putObject(status).put("description", "OK");
    if (responseSchema != null) {
      ok.putObject("content").putObject("application/json").putObject("schema").put("$ref", ref(responseSchema));
    }
    if (summary.endsWith(" a " + r.kind()) && !"post".equals(method)) {
      responses.putObject("404").put("description", "Not found");
    }
  }

  private ObjectNode pathParam(String name) {
    ObjectNode p = json.createObjectNode();
    p.put("name", name).put("in", "path").put("required", true);
    p.putObject("schema").put("type", "string");
    return p;
  }

  private static String ref(String component) {
    return "#/components/schemas/" + component;
  }

  private static String capitalize(String s) {
    return s.isEmpty() ? s : s.substring(0, 1).toUpperCase(Locale.ROOT) + s.substring(1);
  }
}
