package org.meshportal.catalog.processing;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** The Location entity that stands for a registered or configured location. */
public final class LocationEntities {
  private LocationEntities() {}

  public static String name(String type, String target) {
    return "generated-" + Hashes.sha1(type + ":" + target);
  }

  /** Canonical ref of the Location entity of {@code <type>:<target>}. */
  public static String ref(String type, String target) {
    return "location:default/" + name(type, target);
  }

  static ObjectNode entity(String type, String target, String presence) {
    ObjectNode e = JsonNodeFactory.instance.objectNode();
    e.put("apiVersion", "backstage.io/v1alpha1");
    e.put("kind", "Location");
    ObjectNode metadata = e.putObject("metadata");
    metadata.put("name", name(type, target));
    metadata.put("namespace", "default");
    ObjectNode annotations = metadata.putObject("annotations");
    annotations.put(Annotations.MANAGED_BY_LOCATION, type + ":" + target);
    annotations.put(Annotations.MANAGED_BY_ORIGIN_LOCATION, type + ":" + target);
    ObjectNode spec = e.putObject("spec");
    spec.put("type", type);
    spec.put("target", target);
    if (presence != null) {
      spec.put("presence", presence);
    }
    return e;
  }
}
