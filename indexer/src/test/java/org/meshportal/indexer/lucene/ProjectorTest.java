package org.meshportal.indexer.lucene;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.meshportal.model.FieldProjection;

/** The streaming projector must give exactly what {@link FieldProjection} gives on a tree. */
class ProjectorTest {
  private static final List<List<String>> FIELD_LISTS = List.of(
      List.of("kind", "metadata.namespace", "metadata.name", "metadata.title", "spec.type", "spec.lifecycle"),
      List.of("metadata.name", "kind"),
      List.of("metadata.annotations.backstage.io/managed-by-location"),
      List.of("metadata.annotations.a.b.c", "metadata.annotations.a.b"),
      List.of("metadata", "metadata.name"),
      List.of("metadata.name", "metadata"),
      List.of("metadata.labels", "metadata.labels.tier"),
      List.of("spec.profile.displayName", "spec.nothing", "missing.deep.path"),
      List.of("spec.type.deeper", "kind.x"),
      List.of("relations", "spec.empty", "spec.nullValue", "spec.number"),
      List.of("spec.nested.a", "spec.nested.b.c", "spec.nested.b"),
      List.of("metadata.weird\"key", "metadata.unicode-ключ", "metadata.esc\\ape"),
      List.of("spec"));

  @Test
  void matchesFieldProjectionOnVariedEntities() throws Exception {
    ObjectNode e = TestEntities.component("svc", "service", "team-a", "java", "go");
    ObjectNode m = (ObjectNode) e.get("metadata");
    m.put("title", "Service \"quoted\" \u00e9\n");
    m.putObject("annotations")
        .put("backstage.io/managed-by-location", "url:http://x/y.yaml")
        .put("a.b", "glued")
        .put("a.b.c", "longer");
    m.putObject("labels").put("tier", "gold");
    m.put("weird\"key", 1).put("unicode-ключ", "v").put("esc\\ape", true);
    ObjectNode spec = (ObjectNode) e.get("spec");
    spec.putObject("empty");
    spec.putNull("nullValue");
    spec.put("number", 12.5e3);
    spec.putObject("nested").put("a", 1).putObject("b").put("c", List.of().size());
    spec.putObject("profile").put("displayName", "Svc");
    ObjectNode minimal = TestEntities.JSON.createObjectNode().put("kind", "X");
    for (ObjectNode entity : List.of(e, minimal)) {
      byte[] stored = TestEntities.JSON.writeValueAsBytes(entity);
      for (List<String> fields : FIELD_LISTS) {
        FieldProjection projection = FieldProjection.of(fields);
        JsonNode expected = projection.apply(TestEntities.JSON.readTree(stored));
        byte[] actual = new Projector(projection).apply(stored);
        assertEquals(TestEntities.JSON.writeValueAsString(expected), new String(actual, java.nio.charset.StandardCharsets.UTF_8),
            "fields " + fields);
      }
    }
  }

  @Test
  void unprojectedReadsReturnTheStoredBytes() {
    byte[] stored = "{\"kind\":\"X\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8);
    assertSame(stored, new Projector(FieldProjection.of(List.of())).apply(stored));
  }
}
