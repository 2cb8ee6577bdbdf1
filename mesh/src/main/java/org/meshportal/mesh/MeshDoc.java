package org.meshportal.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** One Kubernetes-style document of a file, with the workspace it applies in. */
record MeshDoc(String file, int index, String apiVersion, String kind, ObjectNode node, String workspace, long fileSize) {

  String group() {
    int slash = apiVersion.indexOf('/');
    return slash < 0 ? "" : apiVersion.substring(0, slash);
  }

  String countKey() {
    return apiVersion + "|" + kind;
  }

  String name() {
    return text(node.path("metadata").path("name"));
  }

  JsonNode spec() {
    return node.path("spec");
  }

  String label(String key) {
    return text(node.path("metadata").path("labels").path(key));
  }

  String annotation(String key) {
    return text(node.path("metadata").path("annotations").path(key));
  }

  static String text(JsonNode n) {
    return n != null && n.isValueNode() && !n.isNull() ? n.asText() : null;
  }
}
