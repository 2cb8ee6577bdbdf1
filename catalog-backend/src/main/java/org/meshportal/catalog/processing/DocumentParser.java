package org.meshportal.catalog.processing;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** Splits a file into YAML documents; a document either has a tree or an error. */
interface DocumentParser {
  /** @throws IllegalArgumentException when the file as a whole is unreadable (e.g. not UTF-8) */
  List<Document> parse(byte[] content);

  record Document(JsonNode tree, String error) {}
}
