package org.meshportal.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class EntityHashTest {
  @Test
  void keyOrderDoesNotMatter() {
    assertEquals(EntityHash.sha1(Json.parse("{\"b\":1,\"a\":{\"y\":[1,\"x\"],\"x\":null}}")),
        EntityHash.sha1(Json.parse("{\"a\":{\"x\":null,\"y\":[1,\"x\"]},\"b\":1}")));
  }

  @Test
  void anyChangeChangesTheHash() {
    String base = EntityHash.sha1(Json.parse("{\"a\":[1,2]}"));
    assertNotEquals(base, EntityHash.sha1(Json.parse("{\"a\":[2,1]}")));
    assertNotEquals(base, EntityHash.sha1(Json.parse("{\"a\":[1,\"2\"]}")));
    assertNotEquals(base, EntityHash.sha1(Json.parse("{\"a\":[1,2],\"b\":null}")));
  }

  @Test
  void isSha1HexOfCanonicalJson() throws Exception {
    String canonical = "{\"a\":\"\u00e9\",\"b\":[true,1.5]}";
    byte[] expected = MessageDigest.getInstance("SHA-1").digest(canonical.getBytes(StandardCharsets.UTF_8));
    String hash = EntityHash.sha1(Json.parse("{\"b\":[true,1.5],\"a\":\"\u00e9\"}"));
    assertEquals(HexFormat.of().formatHex(expected), hash);
    assertTrue(hash.matches("[0-9a-f]{40}"));
  }
}
