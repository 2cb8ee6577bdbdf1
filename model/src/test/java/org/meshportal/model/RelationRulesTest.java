package org.meshportal.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.meshportal.model.RelationRules.Edge;

class RelationRulesTest {

  private static List<Edge> edges(String kind, String spec) {
    return RelationRules.edges(Json.parse("{\"apiVersion\":\"backstage.io/v1alpha1\",\"kind\":\"" + kind
        + "\",\"metadata\":{\"name\":\"Self\",\"namespace\":\"Ns\"},\"spec\":" + spec + "}"));
  }

  private static Edge e(String source, String forward, String target, String reverse) {
    return new Edge(source, forward, target, reverse);
  }

  @Test
  void component() {
    String self = "component:ns/self";
    assertEquals(List.of(
            e(self, "ownedBy", "group:ns/team-a", "ownerOf"),
            e(self, "partOf", "component:ns/parent", "hasPart"),
            e(self, "providesApi", "api:ns/petstore", "apiProvidedBy"),
            e(self, "providesApi", "api:other/v2", "apiProvidedBy"),
            e(self, "consumesApi", "api:ns/orders", "apiConsumedBy"),
            e(self, "dependsOn", "resource:ns/db", "dependencyOf"),
            e(self, "dependencyOf", "component:x/web", "dependsOn"),
            e(self, "partOf", "system:ns/shop", "hasPart")),
        edges("Component", """
            {"type":"service","lifecycle":"l","owner":"Team-A","subcomponentOf":"parent",
             "providesApis":["petstore","other/V2"],"consumesApis":["orders"],
             "dependsOn":["Resource:db"],"dependencyOf":["component:x/web"],"system":"shop"}"""));
  }

  @Test
  void ownerMayNameAnyKind() {
    assertEquals(List.of(e("api:ns/self", "ownedBy", "user:ns/jdoe", "ownerOf")),
        edges("API", "{\"owner\":\"user:jdoe\"}"));
  }

  @Test
  void apiResourceSystemDomain() {
    assertEquals(List.of(
            e("api:ns/self", "ownedBy", "group:ns/o", "ownerOf"),
            e("api:ns/self", "partOf", "system:ns/s", "hasPart")),
        edges("API", "{\"owner\":\"o\",\"system\":\"s\",\"definition\":\"x\"}"));
    assertEquals(List.of(
            e("resource:ns/self", "ownedBy", "group:ns/o", "ownerOf"),
            e("resource:ns/self", "dependsOn", "component:ns/c", "dependencyOf"),
            e("resource:ns/self", "dependencyOf", "component:ns/d", "dependsOn"),
            e("resource:ns/self", "partOf", "system:ns/s", "hasPart")),
        edges("Resource", "{\"owner\":\"o\",\"dependsOn\":[\"component:c\"],\"dependencyOf\":[\"component:d\"],\"system\":\"s\"}"));
    assertEquals(List.of(
            e("system:ns/self", "ownedBy", "group:ns/o", "ownerOf"),
            e("system:ns/self", "partOf", "domain:ns/d", "hasPart")),
        edges("System", "{\"owner\":\"o\",\"domain\":\"d\"}"));
    assertEquals(List.of(
            e("domain:ns/self", "ownedBy", "group:ns/o", "ownerOf"),
            e("domain:ns/self", "partOf", "domain:ns/top", "hasPart")),
        edges("Domain", "{\"owner\":\"o\",\"subdomainOf\":\"top\"}"));
  }

  @Test
  void userAndGroup() {
    assertEquals(List.of(
            e("user:ns/self", "memberOf", "group:ns/a", "hasMember"),
            e("user:ns/self", "memberOf", "group:default/b", "hasMember")),
        edges("User", "{\"memberOf\":[\"a\",\"default/b\"]}"));
    assertEquals(List.of(
            e("group:ns/self", "childOf", "group:ns/root", "parentOf"),
            e("group:ns/self", "parentOf", "group:ns/kid", "childOf"),
            e("group:ns/self", "hasMember", "user:ns/jdoe", "memberOf")),
        edges("Group", "{\"type\":\"team\",\"parent\":\"root\",\"children\":[\"kid\"],\"members\":[\"jdoe\"]}"));
  }

  @Test
  void templateOwner() {
    assertEquals(List.of(e("template:ns/self", "ownedBy", "group:ns/o", "ownerOf")),
        edges("Template", "{\"owner\":\"o\",\"type\":\"service\",\"steps\":[]}"));
  }

  @Test
  void locationAndUnknownKindsHaveNoEdges() {
    assertEquals(List.of(), edges("Location", "{\"target\":\"./a.yaml\"}"));
    assertEquals(List.of(), edges("component", "{\"owner\":\"o\"}"), "kinds are case-sensitive");
    assertEquals(List.of(), edges("Widget", "{\"owner\":\"o\"}"));
  }

  @Test
  void defaultNamespaceIsDefaultWhenEntityHasNone() {
    assertEquals(List.of(e("system:default/s", "ownedBy", "group:default/o", "ownerOf")),
        RelationRules.edges(Json.parse("{\"kind\":\"System\",\"metadata\":{\"name\":\"s\"},\"spec\":{\"owner\":\"o\"}}")));
  }

  @Test
  void dependsOnWithoutKindFailsNamingTheField() {
    IllegalArgumentException ex = assertThrows(IllegalArgumentException.class,
        () -> edges("Component", "{\"owner\":\"o\",\"dependsOn\":[\"resource:ok\",\"db\"]}"));
    assertTrue(ex.getMessage().contains("spec.dependsOn[1]"), ex.getMessage());
    assertTrue(ex.getMessage().contains("\"db\""), ex.getMessage());
    ex = assertThrows(IllegalArgumentException.class, () -> edges("Resource", "{\"dependencyOf\":[\"x\"]}"));
    assertTrue(ex.getMessage().contains("spec.dependencyOf[0]"), ex.getMessage());
    ex = assertThrows(IllegalArgumentException.class, () -> edges("Component", "{\"owner\":\"a:\"}"));
    assertTrue(ex.getMessage().contains("spec.owner"), ex.getMessage());
    ex = assertThrows(IllegalArgumentException.class, () -> edges("Component", "{\"owner\":5}"));
    assertTrue(ex.getMessage().contains("spec.owner"), ex.getMessage());
  }

  @Test
  void reverseOfEveryType() {
    List<List<String>> pairs = List.of(List.of("ownedBy", "ownerOf"), List.of("partOf", "hasPart"),
        List.of("providesApi", "apiProvidedBy"), List.of("consumesApi", "apiConsumedBy"),
        List.of("dependsOn", "dependencyOf"), List.of("memberOf", "hasMember"), List.of("childOf", "parentOf"));
    for (List<String> p : pairs) {
      assertEquals(p.get(1), RelationRules.reverseOf(p.get(0)));
      assertEquals(p.get(0), RelationRules.reverseOf(p.get(1)));
    }
    assertThrows(IllegalArgumentException.class, () -> RelationRules.reverseOf("likes"));
  }
}
