package org.meshportal.indexer.lucene;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.meshportal.indexer.lucene.TestEntities.component;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshportal.indexer.SearchRequest;
import org.meshportal.indexer.SearchResult;
import org.meshportal.model.errors.InputException;

class CatalogSearchTest {
  @TempDir Path dir;
  LuceneEntityIndex index;

  @BeforeEach
  void setUp() {
    index = LuceneEntityIndex.open(dir);
    ObjectNode payment = component("payment-service", "service", "team-pay", "billing");
    ((ObjectNode) payment.get("metadata")).put("description", "Handles card payments");
    ObjectNode v2 = component("payment-service-v2", "service", "team-pay");
    ObjectNode gateway = component("payments-gateway", "library", "team-pay");
    ObjectNode ui = component("checkout-ui", "website", "team-web");
    ((ObjectNode) ui.get("metadata")).put("description", "Front end that calls the payment service").put("title", "Checkout UI");
    ObjectNode user = TestEntities.entity("User", "jdoe");
    user.putObject("spec").putObject("profile").put("displayName", "Jane Doe").put("email", "jane@example.com");
    ObjectNode mesh = component("acme-account", "account", "team-mesh");
    ((ObjectNode) mesh.get("metadata")).putObject("annotations")
        .put("kcp.io/path", "root:orgs:acme")
        .put("core.platform-mesh.io/org", "wildwest");
    index.apply(List.of(payment, v2, gateway, ui, user, mesh), List.of(), 1);
  }

  @AfterEach
  void tearDown() {
    index.close();
  }

  private SearchResult search(String term) {
    return index.search(new SearchRequest(term, List.of("software-catalog"), Map.of(), null, 25, null));
  }

  private static List<String> titles(SearchResult r) {
    return r.results().stream().map(h -> h.document().path("title").asText()).toList();
  }

  @Test
  void repeatedSearchIsAnsweredOnceUntilTheNextWrite() {
    SearchResult first = search("payment");
    assertTrue(first == search("payment"), "the same question is answered from the generation's cache");
    index.apply(List.of(component("payment-batch", "service", "team-pay")), List.of(), 2);
    SearchResult after = search("payment");
    assertTrue(titles(after).contains("payment-batch"), "a write is visible to the next search");
    assertEquals(first.numberOfResults() + 1, after.numberOfResults());
  }

  @Test
  void exactNameRanksFirst() {
    List<String> titles = titles(search("payment-service"));
    assertEquals("payment-service", titles.get(0));
    assertTrue(titles.contains("payment-service-v2"));
  }

  @Test
  void lastTermMatchesAsPrefixAndTyposAreTolerated() {
    assertTrue(titles(search("paym")).containsAll(List.of("payment-service", "payments-gateway")));
    assertEquals("payments-gateway", titles(search("gatewya")).get(0));
    assertTrue(titles(search("paymnet")).contains("payment-service"));
    assertEquals(List.of("Checkout UI"), titles(search("checkout")));
  }

  @Test
  void typoAutomataSharedBetweenSearchesFindTheSameEntities() {
    List<String> first = titles(search("paymnt"));
    assertTrue(first.contains("payment-service"), first.toString());
    // other questions (not answered from the result cache) with the same term reuse its automata
    for (int limit = 1; limit <= 3; limit++) {
      SearchResult again = index.search(new SearchRequest("paymnt", List.of("software-catalog"), Map.of(), null, 25 + limit, null));
      assertEquals(first, titles(again));
    }
    SearchResult ui = index.search(new SearchRequest("paymnt", List.of("software-catalog"),
        Map.of("kind", List.of("component")), null, 25, null));
    assertEquals(first.stream().filter(t -> !t.equals("Jane Doe")).toList(), titles(ui));
  }

  @Test
  void longTermsMayCarryTwoTyposAndTheLongTextOneWhenNothingElseMatches() {
    assertEquals("payments-gateway", titles(search("pymentss")).get(0), "two edits from 'payments'");
    assertEquals(List.of(), titles(search("pymt")), "short terms carry one typo at most");
    assertEquals(List.of("acme-account"), titles(search("wildwset")), "a typo in an annotation value");
  }

  @Test
  void meshFactsWeighLikeTagsAndAnApiGroupTypedWholeRanksItsApiFirst() {
    ObjectNode api = TestEntities.entity("API", "redis-export");
    api.putObject("spec").put("type", "openapi").put("definition", "configmaps ".repeat(200));
    ((ObjectNode) api.get("metadata")).putObject("annotations")
        .put("platform-mesh.io/api-group", "redis.example.io")
        .put("platform-mesh.io/permission-claims", "secrets,configmaps(get|list)")
        .put("platform-mesh.io/bindings", "[{\"claims\":[\"configmaps\"]}]");
    ObjectNode consumer = component("redis-user", "service", "team-pay");
    ((ObjectNode) consumer.get("metadata")).put("description", "Uses redis.example.io for example");
    index.apply(List.of(api, consumer), List.of(), 2);
    assertEquals("redis-export", titles(search("redis.example.io")).get(0));
    assertEquals(List.of("redis-export"), titles(search("secrets")));
    assertEquals(List.of(), titles(search("claims")), "bindings JSON is not searchable text");
  }

  @Test
  void nameOutranksDescriptionAndTagsCount() {
    List<String> titles = titles(search("payment"));
    assertEquals("Checkout UI", titles.get(titles.size() - 1), "a description match ranks below name matches");
    assertEquals(List.of("payment-service"), titles(search("billing")));
  }

  @Test
  void documentsHaveTheCatalogShape() {
    SearchResult r = search("jane");
    assertEquals(1, r.numberOfResults());
    ObjectNode doc = r.results().get(0).document();
    assertEquals("jdoe", doc.path("title").asText());
    assertEquals(" : Jane Doe : jane@example.com", doc.path("text").asText());
    assertEquals("/catalog/default/user/jdoe", doc.path("location").asText());
    assertEquals("User", doc.path("kind").asText());
    assertEquals("other", doc.path("type").asText());
    assertEquals("", doc.path("owner").asText());
    assertEquals(1, r.results().get(0).rank());
    assertEquals("software-catalog", r.results().get(0).type());
  }

  @Test
  void platformMeshAnnotationsAreSearchableAndKcpPathFilters() {
    assertEquals(List.of("acme-account"), titles(search("wildwest")));
    assertEquals(List.of("acme-account"), titles(search("acme")));
    assertEquals(List.of("acme-account"), titles(index.search(new SearchRequest("", List.of(),
        Map.of("kcp.io/path", List.of("root:orgs:acme")), null, 25, null))));
  }

  @Test
  void filtersAreCaseInsensitiveEqualsOrAnyOf() {
    SearchResult users = index.search(new SearchRequest("", List.of(), Map.of("kind", List.of("user")), null, 25, null));
    assertEquals(List.of("jdoe"), titles(users));
    SearchResult types = index.search(new SearchRequest("", List.of(),
        Map.of("type", List.of("library", "website")), null, 25, null));
    assertEquals(List.of("checkout-ui", "payments-gateway").size(), types.numberOfResults());
  }

  @Test
  void emptyTermPagesThroughEverythingInAStableOrder() {
    SearchResult first = index.search(new SearchRequest("", List.of(), Map.of(), null, 4, null));
    assertEquals(6, first.numberOfResults());
    assertEquals(4, first.results().size());
    assertEquals("MQ==", first.nextPageCursor());
    assertNull(first.previousPageCursor());
    SearchResult second = index.search(new SearchRequest("", List.of(), Map.of(), "MQ==", 4, null));
    assertEquals(2, second.results().size());
    assertEquals(5, second.results().get(0).rank());
    assertNull(second.nextPageCursor());
    assertEquals("MA==", second.previousPageCursor());
    assertEquals(List.of("acme-account", "checkout-ui", "payment-service", "payment-service-v2"),
        first.results().stream().map(h -> h.document().path("location").asText().replace("/catalog/default/component/", "")).toList());
  }

  @Test
  void highlightsWrapMatchedWords() {
    SearchResult r = index.search(new SearchRequest("checkout", List.of(), Map.of(), null, 25,
        new SearchRequest.Highlight("<em>", "</em>", 100)));
    assertEquals("<em>Checkout</em> UI", r.results().get(0).highlightFields().get("title"));
    assertNull(search("checkout").results().get(0).highlightFields());
  }

  @Test
  void highlightsMarkWordsFoundThroughATypo() {
    SearchResult r = index.search(new SearchRequest("gatewya", List.of(), Map.of(), null, 25,
        new SearchRequest.Highlight("<em>", "</em>", 100)));
    assertEquals("payments-<em>gateway</em>", r.results().get(0).highlightFields().get("title"));
  }

  @Test
  void unknownTypesAndBadCursorsAreInputErrors() {
    assertThrows(InputException.class,
        () -> index.search(new SearchRequest("x", List.of("techdocs"), Map.of(), null, 25, null)));
    assertThrows(InputException.class,
        () -> index.search(new SearchRequest("x", List.of(), Map.of(), "not-a-page", 25, null)));
  }
}
