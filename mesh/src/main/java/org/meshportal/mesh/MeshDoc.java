package org.meshportal.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One Kubernetes-style document of a file, with the workspace it applies in. Group, name and count
 * key are taken once at parse time: every derivation looks them up many times.
 */
record MeshDoc(String file, int index, String apiVersion, String kind, ObjectNode node, String workspace, long fileSize,
    String group, String name, String countKey) {

  MeshDoc(String file, int index, String apiVersion, String kind, ObjectNode node, String workspace, long fileSize) {
    this(file, index, apiVersion, kind, node, workspace, fileSize, groupOf(apiVersion),
        text(node.path("metadata").path("name")), apiVersion + "|" + kind);
  }

  private static String groupOf(String apiVersion) {
    int slash = apiVersion.indexOf('/');
    return slash < 0 ? "" : apiVersion.substring(0, slash);
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
