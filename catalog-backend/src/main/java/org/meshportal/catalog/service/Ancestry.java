package org.meshportal.catalog.service;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** {@code GET .../ancestry}: the entity first, then every transitive parent. */
public record Ancestry(String rootEntityRef, List<Item> items) {
  public record Item(JsonNode entity, List<String> parentEntityRefs) {}
}
