package org.meshportal.catalog.processing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.meshportal.model.EntityPolicy;

class ProviderCopyTest {
  private static final ObjectMapper JSON = new ObjectMapper();

  @Test
  void processing_a_copy_leaves_the_providers_tree_as_it_was() throws Exception {
    ObjectNode provided = (ObjectNode) JSON.readTree("""
        {"apiVersion":"backstage.io/v1alpha1","kind":"Group",
         "metadata":{"name":"team-a","annotations":{"a":"1"},"labels":{"l":"x"},"tags":["z","a"]},
         "spec":{"type":"team","children":["zeta","alpha"],"profile":{"displayName":"A"}},
         "relations":[{"type":"ownerOf","targetRef":"component:default/x"}]}""");
    ObjectNode before = provided.deepCopy();

    ObjectNode copy = CatalogEngine.copyForProcessing(provided);
    assertEquals(before, copy, "the copy starts equal");
    ProviderRelations.take(copy);
    new EntityPolicy(Set.of()).normalize(copy);
    ObjectNode metadata = (ObjectNode) copy.get("metadata");
    metadata.put("uid", "u-1").put("etag", "e-1");
    ((ObjectNode) metadata.get("annotations")).put("backstage.io/orphan", "true");
    ((ObjectNode) metadata.get("labels")).put("m", "y");
    copy.putArray("relations").addObject().put("type", "childOf").put("targetRef", "group:default/b");
    copy.putObject("status").putArray("items");

    assertEquals(before, provided);
    assertNotEquals(before, copy);
    assertEquals(List.of("alpha", "zeta"),
        JSON.convertValue(copy.path("spec").path("children"), List.class), "normalisation sorted the copy's array");
  }
}
