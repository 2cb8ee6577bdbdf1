package org.meshportal.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Where an APIBinding points, read from either reference shape kcp has used:
 * {@code spec.reference.export.{path,name}} (v1alpha1 and v1alpha2) and the older v1alpha1
 * {@code spec.reference.workspace.{path,exportName}}. Real repositories hold both.
 *
 * @param path provider workspace path, or null when the export is in the binding's own workspace
 * @param name export name, or null when missing
 * @param field the field prefix the values came from, for messages
 * @param reasons why the reference is unusable; empty when it is usable
 */
record BindingReference(String path, String name, String field, List<String> reasons) {

  static BindingReference of(MeshDoc binding) {
    JsonNode reference = binding.spec().path("reference");
    JsonNode export = reference.path("export");
    JsonNode workspace = reference.path("workspace");
    String field;
    String name;
    String path;
    if (!export.isObject() && workspace.isObject()) {
      // kcp's older v1alpha1 shape: the export is named by exportName under a workspace reference
      field = "spec.reference.workspace";
      name = MeshDoc.text(workspace.path("exportName"));
      path = MeshDoc.text(workspace.path("path"));
    } else {
      field = "spec.reference.export";
      name = MeshDoc.text(export.path("name"));
      path = MeshDoc.text(export.path("path"));
    }
    List<String> reasons = new ArrayList<>();
    if (!Names.isKubeName(binding.name())) {
      reasons.add("name '" + binding.name() + "' is not a valid Kubernetes object name");
    }
    if (export.isObject() && workspace.isObject()) {
      reasons.add("spec.reference has both export and workspace; only one may be set");
    }
    if (name == null || name.isEmpty()) {
      reasons.add(field + (field.endsWith("workspace") ? ".exportName" : ".name") + " is missing");
    }
    if (path != null && !path.isEmpty() && !Names.isPath(path)) {
      reasons.add(field + ".path '" + path + "' is not a valid logical cluster path");
    }
    return new BindingReference(path == null || path.isEmpty() ? null : path, name, field, List.copyOf(reasons));
  }
}
