package org.meshportal.templates;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/** Serves {@code POST /v2/autocomplete/{provider}/{resource}}; results are {@code {id, title?}}. */
public interface AutocompleteProvider {
  String id();

  List<ObjectNode> complete(String resource, String token, Map<String, String> context);
}
