package org.meshportal.indexer.lucene;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashSet;
import java.util.Set;
import org.meshportal.model.FieldProjection;

/**
 * Applies a {@code fields=} projection to stored entity bytes. Unprojected reads return the stored
 * bytes untouched; projected reads only build trees for the top-level keys a field path can reach
 * (skipping e.g. a large {@code spec}), then apply {@link FieldProjection} to that partial tree,
 * which gives exactly the result of projecting the whole entity.
 */
final class Projector {
  private final ObjectMapper json;
  private final FieldProjection projection;
  /** Top-level keys a path can start with: each dot-joined prefix of each path. */
  private final Set<String> topLevelKeys = new HashSet<>();

  Projector(ObjectMapper json, FieldProjection projection) {
    this.json = json;
    this.projection = projection == null ? FieldProjection.of(java.util.List.of()) : projection;
    for (String field : this.projection.fields()) {
      String[] parts = field.split("\\.");
      StringBuilder key = new StringBuilder();
      for (String part : parts) {
        if (key.length() > 0) {
          key.append('.');
        }
        key.append(part);
        topLevelKeys.add(key.toString());
      }
    }
  }

  byte[] apply(byte[] entity) {
    if (projection.isAll() || entity == null) {
      return entity;
    }
    try (JsonParser p = json.createParser(entity)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        return entity;
      }
      ObjectNode partial = json.createObjectNode();
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        p.nextToken();
        if (topLevelKeys.contains(name)) {
          JsonNode value = p.readValueAsTree();
          partial.set(name, value);
        } else {
          p.skipChildren();
        }
      }
      return json.writeValueAsBytes(projection.apply(partial));
    } catch (IOException e) {
      throw new UncheckedIOException("Stored entity JSON is unreadable", e);
    }
  }
}
