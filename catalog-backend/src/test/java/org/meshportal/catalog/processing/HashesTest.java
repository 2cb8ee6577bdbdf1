package org.meshportal.catalog.processing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class HashesTest {
  private final ObjectMapper json = new ObjectMapper();

  private ObjectNode entity(String description) throws Exception {
    return (ObjectNode) json.readTree(
        "{\"kind\":\"API\",\"metadata\":{\"name\":\"a\",\"description\":\"" + description + "\"},\"spec\":{\"definition\":\""
            + "x".repeat(100_000) + "\"}}");
  }

  @Test
  void theChangeHashFollowsTheEntityAndTheSuffix() throws Exception {
    String hash = Hashes.changeHash(json, entity("one"), "\nfile:/a.yaml");
    assertEquals(hash, Hashes.changeHash(json, entity("one"), "\nfile:/a.yaml"));
    assertNotEquals(hash, Hashes.changeHash(json, entity("two"), "\nfile:/a.yaml"));
    assertNotEquals(hash, Hashes.changeHash(json, entity("one"), "\nfile:/b.yaml"));
    // same length, one character apart deep inside a large value
    ObjectNode edited = entity("one");
    edited.with("spec").put("definition", "x".repeat(50_000) + "y" + "x".repeat(49_999));
    assertNotEquals(hash, Hashes.changeHash(json, edited, "\nfile:/a.yaml"));
  }

  @Test
  void etagsAndLocationNamesStaySha1() {
    assertEquals("a9993e364706816aba3e25717850c26c9cd0d89d", Hashes.sha1("abc"));
  }
}
