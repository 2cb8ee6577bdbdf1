package org.meshportal.catalog.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The merged, validated configuration. Read once at the composition root, which turns it into
 * the typed settings each component takes; nothing else reads configuration.
 */
public final class AppConfig {
  private final JsonNode root;

  AppConfig(JsonNode root) {
    this.root = root;
  }

  /** The node at a dot path, or a missing node. Keys containing dots cannot be addressed. */
  public JsonNode at(String path) {
    JsonNode n = root;
    for (String part : path.split("\\.")) {
      n = n.path(part);
    }
    return n == null ? MissingNode.getInstance() : n;
  }

  public Optional<String> string(String path) {
    JsonNode n = at(path);
    return n.isMissingNode() || n.isNull() ? Optional.empty() : Optional.of(n.asText());
  }

  public String string(String path, String fallback) {
    return string(path).orElse(fallback);
  }

  public int integer(String path, int fallback) {
    JsonNode n = at(path);
    return n.isMissingNode() || n.isNull() ? fallback : Integer.parseInt(n.asText());
  }

  public double number(String path, double fallback) {
    JsonNode n = at(path);
    return n.isMissingNode() || n.isNull() ? fallback : Double.parseDouble(n.asText());
  }

  public boolean bool(String path, boolean fallback) {
    JsonNode n = at(path);
    return n.isMissingNode() || n.isNull() ? fallback : Boolean.parseBoolean(n.asText());
  }

  /** A string or list-of-strings value as a list (empty when absent). */
  public List<String> strings(String path) {
    JsonNode n = at(path);
    List<String> out = new ArrayList<>();
    if (n.isArray()) {
      n.forEach(v -> out.add(v.asText()));
    } else if (!n.isMissingNode() && !n.isNull()) {
      out.add(n.asText());
    }
    return out;
  }

  public JsonNode root() {
    return root;
  }
}
