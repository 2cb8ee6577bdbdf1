package org.meshportal.templates.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;

/** Writes JSON trees as block-style YAML documents. */
final class Yaml {
  private Yaml() {}

  static String write(JsonNode node) {
    Object plain = BaseAction.JSON.convertValue(node, Object.class);
    return new Dump(DumpSettings.builder().setDefaultFlowStyle(FlowStyle.BLOCK).build()).dumpToString(plain);
  }
}
