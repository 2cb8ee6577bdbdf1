package org.meshportal.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class EntityPolicyTest {
  private static final String DOC = "To learn more about catalog file format, visit: "
      + "https://github.com/backstage/backstage/blob/master/docs/architecture-decisions/adr002-default-catalog-file-format.md";

  private final EntityPolicy policy = new EntityPolicy(Set.of());

  static ObjectNode component() {
    return Json.object("""
        {"apiVersion":"backstage.io/v1alpha1","kind":"Component",
         "metadata":{"name":"petstore","description":"Pets",
           "labels":{"team":"a_b","example.com/tier":""},
           "annotations":{"backstage.io/techdocs-ref":"dir:.","x":"any text at all!"},
           "tags":["java","c++","c#","lang:go"],
           "links":[{"url":"https://example.com/x","title":"Admin","icon":"dashboard","type":"admin"}]},
         "spec":{"type":"service","lifecycle":"production","owner":"team-a"}}""");
  }

  private String onlyMessage(JsonNode entity) {
    List<EntityPolicy.Problem> problems = policy.validate(entity);
    assertEquals(1, problems.size(), () -> "problems: " + problems);
    assertEquals("InputError", problems.get(0).name());
    return problems.get(0).message();
  }

  private static ObjectNode meta(ObjectNode entity) {
    return (ObjectNode) entity.get("metadata");
  }

  @Test
  void validComponentHasNoProblems() {
    assertEquals(List.of(), policy.validate(component()));
  }

  @ParameterizedTest
  @ValueSource(strings = {"a", "A1", "my-service", "my_service.v2", "Mixed.Case_Name-1", "double--separator", "a._-b",
      "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghij123"})
  void validNames(String name) {
    ObjectNode e = component();
    meta(e).put("name", name);
    assertEquals(List.of(), policy.validate(e));
  }

  @ParameterizedTest
  @ValueSource(strings = {"-a", "a-", "a b", "a/b", "_a", "a.", "ä",
      "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghij1234"})
  void invalidNamesGiveBackstagesMessage(String name) {
    ObjectNode e = component();
    meta(e).put("name", name);
    assertEquals("Policy check failed; caused by Error: \"metadata.name\" is not valid; expected a string that is"
        + " sequences of [a-zA-Z0-9] separated by any of [-_.], at most 63 characters in total but found \""
        + name + "\". " + DOC, onlyMessage(e));
  }

  @Test
  void missingOrEmptyOrNonStringName() {
    ObjectNode e = component();
    meta(e).remove("name");
    assertEquals("Entity envelope failed validation before processing; caused by TypeError: /metadata must have"
        + " required property 'name' - missingProperty: name", onlyMessage(e));
    meta(e).put("name", "");
    assertEquals("Entity envelope failed validation before processing; caused by TypeError: /metadata/name must NOT"
        + " have fewer than 1 characters - limit: 1", onlyMessage(e));
    meta(e).put("name", 12);
    assertTrue(onlyMessage(e).endsWith("/metadata/name must be string - type: string"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"default", "ns1", "team-a", "a--b", "x"})
  void validNamespaces(String ns) {
    ObjectNode e = component();
    meta(e).put("namespace", ns);
    assertEquals(List.of(), policy.validate(e));
  }

  @ParameterizedTest
  @ValueSource(strings = {"Default", "team_a", "-a", "a-", "a.b",
      "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghij1234"})
  void invalidNamespaces(String ns) {
    ObjectNode e = component();
    meta(e).put("namespace", ns);
    assertEquals("Policy check failed; caused by Error: \"metadata.namespace\" is not valid; expected a string that"
        + " is sequences of [a-z0-9] separated by [-], at most 63 characters in total but found \"" + ns + "\". "
        + DOC, onlyMessage(e));
  }

  @Test
  void labels() {
    ObjectNode e = component();
    ObjectNode labels = (ObjectNode) meta(e).get("labels");
    labels.put("a.b/c-d", "X.y_z");
    assertEquals(List.of(), policy.validate(e));

    labels.removeAll().put("a/b/c", "v");
    assertEquals("Policy check failed; caused by Error: \"labels.a/b/c\" is not valid; expected a valid prefix"
        + " and/or suffix but found \"a/b/c\". " + DOC, onlyMessage(e));
    labels.removeAll().put("Bad_Prefix/x", "v");
    assertTrue(onlyMessage(e).contains("\"labels.Bad_Prefix/x\" is not valid; expected a valid prefix and/or suffix"));
    labels.removeAll().put("key", "bad value");
    assertEquals("Policy check failed; caused by Error: \"labels.key\" is not valid; expected a string that is"
        + " sequences of [a-zA-Z0-9] separated by any of [-_.], at most 63 characters in total but found"
        + " \"bad value\". " + DOC, onlyMessage(e));
    labels.removeAll().put("key", 5);
    assertEquals("Policy check failed; caused by TypeError: /metadata/labels/key must be string - type: string",
        onlyMessage(e));
    meta(e).put("labels", "nope");
    assertTrue(onlyMessage(e).endsWith("/metadata/labels must be object - type: object"));
  }

  @Test
  void annotations() {
    ObjectNode e = component();
    ObjectNode annotations = (ObjectNode) meta(e).get("annotations");
    annotations.put("k", "");
    assertEquals(List.of(), policy.validate(e), "any string value, even empty, is allowed");

    annotations.removeAll().put("bad key", "v");
    assertEquals("Policy check failed; caused by Error: \"annotations.bad key\" is not valid; expected a valid"
        + " prefix and/or suffix but found \"bad key\". " + DOC, onlyMessage(e));
    annotations.removeAll().put("backstage.io/x", true);
    assertEquals("Policy check failed; caused by TypeError: /metadata/annotations/backstage.io~1x must be string"
        + " - type: string", onlyMessage(e));
  }

  @ParameterizedTest
  @ValueSource(strings = {"Java", "a b", "-a", "a-", "a_b", "a--b",
      "abcdefghijabcdefghijabcdefghijabcdefghijabcdefghijabcdefghij1234"})
  void invalidTags(String tag) {
    ObjectNode e = component();
    meta(e).putArray("tags").add("ok").add(tag);
    assertEquals("Policy check failed; caused by Error: \"tags.1\" is not valid; expected a string that is"
        + " sequences of [a-z0-9+#] separated by [-], at most 63 characters in total but found \"" + tag + "\". "
        + DOC, onlyMessage(e));
  }

  @Test
  void tagTypes() {
    ObjectNode e = component();
    meta(e).putArray("tags").add("");
    assertTrue(onlyMessage(e).endsWith("/metadata/tags/0 must NOT have fewer than 1 characters - limit: 1"));
    meta(e).putArray("tags").add(1);
    assertTrue(onlyMessage(e).endsWith("/metadata/tags/0 must be string - type: string"));
    meta(e).put("tags", "java");
    assertTrue(onlyMessage(e).endsWith("/metadata/tags must be array - type: array"));
  }

  @Test
  void links() {
    ObjectNode e = component();
    meta(e).putArray("links").addObject().put("url", "mailto:someone@example.com");
    assertEquals(List.of(), policy.validate(e));

    meta(e).putArray("links").addObject().put("url", "not a url");
    assertEquals("Policy check failed; caused by Error: \"links.0.url\" is not valid; expected a string that is a"
        + " valid url but found \"not a url\". " + DOC, onlyMessage(e));
    meta(e).putArray("links").addObject().put("url", "https://");
    assertTrue(onlyMessage(e).contains("\"links.0.url\" is not valid"));
    meta(e).putArray("links").addObject().put("url", "https://ok.example.com").put("title", "  ");
    assertEquals("Policy check failed; caused by Error: \"links.0.title\" is not valid; expected a non empty string"
        + " but found \"  \". " + DOC, onlyMessage(e));
    meta(e).putArray("links").addObject().put("url", "https://ok.example.com").put("icon", " ");
    assertTrue(onlyMessage(e).contains("\"links.0.icon\" is not valid; expected a non empty string"));
    meta(e).putArray("links").addObject().put("title", "no url");
    assertTrue(onlyMessage(e).endsWith("/metadata/links/0 must have required property 'url' - missingProperty: url"));
    meta(e).putArray("links").add("https://example.com");
    assertTrue(onlyMessage(e).endsWith("/metadata/links/0 must be object - type: object"));
  }

  @Test
  void titleAndDescriptionMustBeNonEmptyStrings() {
    ObjectNode e = component();
    meta(e).put("title", "");
    assertTrue(onlyMessage(e).endsWith("/metadata/title must NOT have fewer than 1 characters - limit: 1"));
    meta(e).put("title", "T").put("description", 3);
    assertTrue(onlyMessage(e).endsWith("/metadata/description must be string - type: string"));
  }

  @Test
  void envelope() {
    assertEquals("Entity envelope failed validation before processing; caused by TypeError: <root> must be object"
        + " - type: object", onlyMessage(Json.parse("[1]")));
    ObjectNode e = component();
    e.remove("kind");
    assertEquals("Entity envelope failed validation before processing; caused by TypeError: <root> must have"
        + " required property 'kind' - missingProperty: kind", onlyMessage(e));
    e = component();
    e.remove("metadata");
    assertTrue(onlyMessage(e).endsWith("<root> must have required property 'metadata' - missingProperty: metadata"));
    e = component();
    e.put("apiVersion", 1);
    assertTrue(onlyMessage(e).endsWith("/apiVersion must be string - type: string"));
  }

  @Test
  void apiVersionAndKindFormats() {
    ObjectNode e = component();
    e.put("apiVersion", "Backstage.io/v1alpha1");
    assertEquals("Policy check failed; caused by Error: \"apiVersion\" is not valid; expected a valid prefix and/or"
        + " suffix but found \"Backstage.io/v1alpha1\". " + DOC, onlyMessage(e));
    e.put("apiVersion", "a/b/c");
    assertTrue(onlyMessage(e).contains("\"apiVersion\" is not valid"));
    e = component();
    e.put("kind", "Com-ponent");
    assertEquals("Policy check failed; caused by Error: \"kind\" is not valid; expected a string that is a sequence"
        + " of [a-zA-Z][a-z0-9A-Z], at most 63 characters in total but found \"Com-ponent\". " + DOC, onlyMessage(e));
  }

  @ParameterizedTest
  @ValueSource(strings = {"relations", "status", "extra"})
  void unknownRootFields(String key) {
    ObjectNode e = component();
    e.putArray(key);
    assertEquals("Policy check failed; caused by Error: Unknown field " + key, onlyMessage(e));
  }

  @Test
  void foreignKindOrApiVersionIsNotRecognised() {
    ObjectNode e = component();
    e.put("kind", "component");
    assertEquals("No processor recognized the entity component:default/petstore as valid, possibly caused by a"
        + " foreign kind or apiVersion", onlyMessage(e));
    e = component();
    e.put("apiVersion", "backstage.io/v2");
    meta(e).put("namespace", "ns");
    assertEquals("No processor recognized the entity component:ns/petstore as valid, possibly caused by a foreign"
        + " kind or apiVersion", onlyMessage(e));
    e = component();
    e.put("kind", "Widget");
    assertTrue(onlyMessage(e).startsWith("No processor recognized the entity widget:default/petstore"));
    e = component();
    e.put("apiVersion", "backstage.io/v1beta1");
    assertEquals(List.of(), policy.validate(e));
  }

  private static ObjectNode entity(String kind, String apiVersion, String spec) {
    return Json.object("{\"apiVersion\":\"" + apiVersion + "\",\"kind\":\"" + kind
        + "\",\"metadata\":{\"name\":\"x\"},\"spec\":" + spec + "}");
  }

  private static final String V1 = "backstage.io/v1alpha1";
  private static final String V3 = "scaffolder.backstage.io/v1beta3";

  @Test
  void everyKindAcceptsItsMinimalSpec() {
    EntityPolicy p = policy;
    assertEquals(List.of(), p.validate(entity("Component", V1, "{'type':'s','lifecycle':'l','owner':'o'}")));
    assertEquals(List.of(), p.validate(entity("API", V1, "{'type':'openapi','lifecycle':'l','owner':'o','definition':'x'}")));
    assertEquals(List.of(), p.validate(entity("API", V1, "{'type':'mcp-server','lifecycle':'l','owner':'o','remotes':[]}")));
    assertEquals(List.of(), p.validate(entity("Resource", V1, "{'type':'db','owner':'o'}")));
    assertEquals(List.of(), p.validate(entity("System", V1, "{'owner':'o'}")));
    assertEquals(List.of(), p.validate(entity("Domain", V1, "{'owner':'o'}")));
    assertEquals(List.of(), p.validate(entity("Group", V1, "{'type':'team','children':[]}")));
    assertEquals(List.of(), p.validate(entity("User", V1, "{'memberOf':[]}")));
    assertEquals(List.of(), p.validate(entity("Location", V1, "{}")));
    assertEquals(List.of(), p.validate(entity("Template", V3, "{'type':'service','steps':[]}")));
  }

  private String kindProblem(String kind, String apiVersion, String spec) {
    return onlyMessage(entity(kind, apiVersion, spec));
  }

  private static String builtin(String kind, String cause) {
    return "Processor BuiltinKindsEntityProcessor threw an error while validating the entity "
        + kind + ":default/x; caused by TypeError: " + cause;
  }

  @Test
  void everyKindReportsItsMissingRequiredFields() {
    assertEquals(builtin("component", "/spec must have required property 'type' - missingProperty: type"),
        kindProblem("Component", V1, "{'lifecycle':'l','owner':'o'}"));
    assertEquals(builtin("component", "/spec must have required property 'lifecycle' - missingProperty: lifecycle"),
        kindProblem("Component", V1, "{'type':'t','owner':'o'}"));
    assertEquals(builtin("component", "/spec must have required property 'owner' - missingProperty: owner"),
        kindProblem("Component", V1, "{'type':'t','lifecycle':'l'}"));
    assertEquals(builtin("api", "/spec must have required property 'definition' - missingProperty: definition"),
        kindProblem("API", V1, "{'type':'openapi','lifecycle':'l','owner':'o'}"));
    assertEquals(builtin("resource", "/spec must have required property 'owner' - missingProperty: owner"),
        kindProblem("Resource", V1, "{'type':'db'}"));
    assertEquals(builtin("system", "/spec must have required property 'owner' - missingProperty: owner"),
        kindProblem("System", V1, "{}"));
    assertEquals(builtin("domain", "/spec must have required property 'owner' - missingProperty: owner"),
        kindProblem("Domain", V1, "{}"));
    assertEquals(builtin("group", "/spec must have required property 'children' - missingProperty: children"),
        kindProblem("Group", V1, "{'type':'team'}"));
    assertEquals(builtin("user", "/spec must have required property 'memberOf' - missingProperty: memberOf"),
        kindProblem("User", V1, "{}"));
    assertEquals("Processor ScaffolderEntitiesProcessor threw an error while validating the entity"
            + " template:default/x; caused by TypeError: /spec must have required property 'steps' - missingProperty: steps",
        kindProblem("Template", V3, "{'type':'service'}"));
    assertEquals("Processor BuiltinKindsEntityProcessor threw an error while validating the entity"
            + " component:default/x; caused by TypeError: <root> must have required property 'spec' - missingProperty: spec",
        onlyMessage(Json.parse("{'apiVersion':'backstage.io/v1alpha1','kind':'Component','metadata':{'name':'x'}}")));
  }

  @Test
  void kindFieldTypes() {
    assertTrue(kindProblem("Component", V1, "{'type':'s','lifecycle':'l','owner':'o','providesApis':'a'}")
        .endsWith("/spec/providesApis must be array - type: array"));
    assertTrue(kindProblem("Component", V1, "{'type':'s','lifecycle':'l','owner':''}")
        .endsWith("/spec/owner must NOT have fewer than 1 characters - limit: 1"));
    assertTrue(kindProblem("Component", V1, "{'type':'s','lifecycle':'l','owner':'o','dependsOn':[1]}")
        .endsWith("/spec/dependsOn/0 must be string - type: string"));
    assertTrue(kindProblem("API", V1, "{'type':'openapi','lifecycle':'l','owner':'o','definition':{'$text':'x'}}")
        .endsWith("/spec/definition must be string - type: string"));
    assertTrue(kindProblem("Group", V1, "{'type':'team','children':[],'profile':{'email':''}}")
        .endsWith("/spec/profile/email must NOT have fewer than 1 characters - limit: 1"));
    assertTrue(kindProblem("Location", V1, "{'presence':'sometimes'}")
        .endsWith("/spec/presence must be equal to one of the allowed values - allowedValues: required,optional"));
    assertTrue(kindProblem("Location", V1, "{'targets':'a'}").endsWith("/spec/targets must be array - type: array"));
    assertTrue(kindProblem("Template", V3, "{'type':'t','steps':[{'id':'a'}]}")
        .endsWith("/spec/steps/0 must have required property 'action' - missingProperty: action"));
    assertTrue(kindProblem("Template", V3, "{'type':'t','steps':[{'action':'x','if':3}]}")
        .endsWith("/spec/steps/0/if must be string,boolean - type: string,boolean"));
    assertTrue(kindProblem("Template", V3, "{'type':'t','steps':[],'parameters':[1]}")
        .endsWith("/spec/parameters/0 must be object - type: object"));
    assertTrue(onlyMessage(entity("Component", V1, "[]")).endsWith("/spec must be object - type: object"));
  }

  @Test
  void templateNeedsItsOwnApiVersion() {
    assertTrue(kindProblem("Template", V1, "{'type':'t','steps':[]}").startsWith("No processor recognized"));
    assertTrue(kindProblem("Template", "scaffolder.backstage.io/v1beta2", "{'type':'t','steps':[]}")
        .startsWith("No processor recognized"));
    assertTrue(kindProblem("Component", V3, "{'type':'s','lifecycle':'l','owner':'o'}")
        .startsWith("No processor recognized"));
  }

  @Test
  void validateNeverThrows() {
    for (String json : List.of("null", "1", "\"s\"", "{}", "{'metadata':null,'kind':'A','apiVersion':'v'}",
        "{'apiVersion':'v1','kind':'Component','metadata':{'name':'n','namespace':null}}",
        "{'apiVersion':'v1','kind':'Component','metadata':{'name':'n','links':[null]}}")) {
      assertFalse(policy.validate(Json.parse(json)).isEmpty(), json);
    }
    assertFalse(policy.validate(null).isEmpty());
  }

  @Test
  void normalizeFillsNamespaceAndSortsArrays() {
    ObjectNode e = Json.object("""
        {"apiVersion":"backstage.io/v1alpha1","kind":"Component","metadata":{"name":"x"},
         "spec":{"type":"s","lifecycle":"l","owner":"o","providesApis":["b","a","B"],"consumesApis":["z","y"],
           "dependsOn":["resource:b","component:a"],"dependencyOf":["c:2","c:1"],"tags":["b","a"]}}""");
    policy.normalize(e);
    assertEquals("default", e.at("/metadata/namespace").asText());
    assertEquals(Json.parse("[\"B\",\"a\",\"b\"]"), e.at("/spec/providesApis"));
    assertEquals(Json.parse("[\"y\",\"z\"]"), e.at("/spec/consumesApis"));
    assertEquals(Json.parse("[\"component:a\",\"resource:b\"]"), e.at("/spec/dependsOn"));
    assertEquals(Json.parse("[\"c:1\",\"c:2\"]"), e.at("/spec/dependencyOf"));
    assertEquals(Json.parse("[\"b\",\"a\"]"), e.at("/spec/tags"), "other arrays keep their order");

    ObjectNode g = Json.object("{'kind':'Group','metadata':{'name':'g','namespace':'ns'},"
        + "'spec':{'children':['b','a'],'members':['u2','u1'],'memberOf':['q','p']}}");
    policy.normalize(g);
    assertEquals("ns", g.at("/metadata/namespace").asText());
    assertEquals(Json.parse("[\"a\",\"b\"]"), g.at("/spec/children"));
    assertEquals(Json.parse("[\"u1\",\"u2\"]"), g.at("/spec/members"));
    ObjectNode u = Json.object("{'kind':'User','metadata':{'name':'u'},'spec':{'memberOf':['q','p']}}");
    policy.normalize(u);
    assertEquals(Json.parse("[\"p\",\"q\"]"), u.at("/spec/memberOf"));
    ObjectNode mixed = Json.object("{'kind':'User','metadata':{'name':'u'},'spec':{'memberOf':['q',1]}}");
    policy.normalize(mixed);
    assertEquals(Json.parse("[\"q\",1]"), mixed.at("/spec/memberOf"));
  }

  @Test
  void catalogRules() {
    assertTrue(policy.isAllowed("Anything"));
    EntityPolicy rules = new EntityPolicy(Set.of("Component", "API", "Location"));
    assertTrue(rules.isAllowed("Component"));
    assertTrue(rules.isAllowed("api"), "catalog rules compare kinds case-insensitively");
    assertFalse(rules.isAllowed("Group"));
    assertFalse(rules.isAllowed(null));
    assertEquals(Set.of("Component", "API", "Location"), rules.allowedKinds());
  }
}
