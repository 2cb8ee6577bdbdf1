package org.meshportal.catalog.processing;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;

/** Substitutes {@code $text}/{@code $json}/{@code $yaml} placeholders in a document. */
interface PlaceholderResolver {
  /** Reads a placeholder target, relative targets resolved against the document's file. */
  interface Reader {
    String read(String target) throws IOException;
  }

  /** @throws IllegalArgumentException naming the placeholder when it cannot be resolved */
  JsonNode resolve(JsonNode document, Reader reader);
}
