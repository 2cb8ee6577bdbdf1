package org.meshportal.indexer.lucene;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.meshportal.indexer.lucene.TestEntities.component;
import static org.meshportal.indexer.lucene.TestEntities.names;
import static org.meshportal.indexer.lucene.TestEntities.parse;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshportal.indexer.FacetCount;
import org.meshportal.indexer.FullTextFilter;
import org.meshportal.indexer.ListRequest;
import org.meshportal.indexer.ListResult;
import org.meshportal.indexer.OrderField;
import org.meshportal.indexer.QueryRequest;
import org.meshportal.indexer.QueryResult;
import org.meshportal.model.FieldProjection;
import org.meshportal.model.errors.InputException;
import org.meshportal.model.query.EntityPredicate;
import org.meshportal.model.query.EntityPredicate.All;
import org.meshportal.model.query.EntityPredicate.Any;
import org.meshportal.model.query.EntityPredicate.Exists;
import org.meshportal.model.query.EntityPredicate.HasPrefix;
import org.meshportal.model.query.EntityPredicate.MatchAll;
import org.meshportal.model.query.EntityPredicate.MatchNone;
import org.meshportal.model.query.EntityPredicate.Not;
import org.meshportal.model.query.EntityPredicate.ValueContains;
import org.meshportal.model.query.EntityPredicate.ValueIn;

class CatalogReadsTest {
  private static final FieldProjection ALL_FIELDS = FieldProjection.of(List.of());

  @TempDir Path dir;
  LuceneEntityIndex index;

  @BeforeEach
  void setUp() {
    index = LuceneEntityIndex.open(dir);
    ObjectNode api = TestEntities.entity("API", "echo-api");
    api.putObject("spec").put("type", "openapi").put("owner", "team-a").putNull("nothing");
    ((ObjectNode) api.get("metadata")).putObject("annotations").put("example.com/long", "x".repeat(201));
    index.apply(List.of(
        component("alpha", "service", "team-a", "java"),
        component("Bravo", "website", "team-b", "Java", "go"),
        component("charlie", null, "team-a"),
        component("delta", "service", "team-b", "rust"),
        api), List.of(), 1);
  }

  @AfterEach
  void tearDown() {
    index.close();
  }

  private List<String> matching(EntityPredicate filter) {
    return names(index.list(new ListRequest(filter, List.of(), null, null, null, ALL_FIELDS)).items());
  }

  @Test
  void everyFilterFormMatchesLowercasedRows() {
    assertEquals(List.of("alpha", "Bravo", "charlie", "delta"), matching(new ValueIn("KIND", List.of("Component"))));
    // unordered lists come in ref order: api:... before component:...
    assertEquals(List.of("echo-api", "alpha", "delta"), matching(new ValueIn("spec.type", List.of("service", "OPENAPI"))));
    assertEquals(List.of(), matching(new ValueIn("spec.type", List.of())));
    assertEquals(List.of("echo-api", "alpha", "Bravo", "delta"), matching(new Exists("spec.type")));
    assertEquals(List.of("echo-api"), matching(new Exists("spec.nothing")), "null-valued rows exist");
    assertEquals(List.of("echo-api"), matching(new Exists("metadata.annotations.example.com/long")));
    assertEquals(List.of(), matching(new ValueIn("metadata.annotations.example.com/long", List.of("x".repeat(201)))),
        "values over 200 characters never match");
    assertEquals(List.of("alpha"), matching(new HasPrefix("metadata.name", "AL")));
    assertEquals(List.of("Bravo"), matching(new ValueContains(List.of("metadata.name"), "RAV")));
    assertEquals(List.of("echo-api", "alpha", "charlie"),
        matching(new ValueContains(List.of("spec.owner", "metadata.name"), "-a")));
    assertEquals(List.of("alpha", "Bravo"), matching(new ValueIn("metadata.tags", List.of("java"))));
    assertEquals(List.of("Bravo"), matching(new ValueIn("metadata.tags.go", List.of("true"))));
    assertEquals(List.of("alpha", "charlie"), matching(new ValueIn("relations.ownedBy", List.of("group:default/team-a"))));
    assertEquals(List.of("delta"), matching(new All(List.of(
        new ValueIn("spec.type", List.of("service")), new ValueIn("spec.owner", List.of("team-b"))))));
    assertEquals(List.of("charlie", "delta"), matching(new Any(List.of(
        new ValueIn("metadata.name", List.of("charlie")), new ValueIn("metadata.tags", List.of("rust"))))));
    assertEquals(List.of("echo-api", "charlie"), matching(new Not(new ValueIn("metadata.tags", List.of("java", "rust")))));
    assertEquals(List.of("echo-api", "alpha", "Bravo", "charlie", "delta"), matching(new MatchAll()));
    assertEquals(List.of("echo-api", "alpha", "Bravo", "charlie", "delta"), matching(new All(List.of())));
    assertEquals(List.of(), matching(new MatchNone()));
    assertEquals(List.of(), matching(new Any(List.of())));
    assertEquals(5, matching(new ValueIn("metadata.namespace", List.of("default"))).size());
  }

  @Test
  void unpaginatedListOrdersByFirstFieldOnlyAndDropsEntitiesLackingIt() {
    List<OrderField> order = List.of(new OrderField("spec.type", true), new OrderField("metadata.name", false));
    ListResult r = index.list(new ListRequest(new MatchAll(), order, null, null, null, ALL_FIELDS));
    // desc by type, ties by ref descending: delta before alpha
    assertEquals(List.of("Bravo", "delta", "alpha", "echo-api"), names(r.items()));
    assertNull(r.nextAfter());
  }

  @Test
  void paginatedListUsesAllOrderFieldsKeepsMissingLastAndLinksNextPage() {
    List<OrderField> order = List.of(new OrderField("spec.type", false), new OrderField("metadata.name", true));
    ListResult first = index.list(new ListRequest(new MatchAll(), order, 2, null, null, ALL_FIELDS));
    assertEquals(List.of("echo-api", "delta"), names(first.items()));
    assertNotNull(first.nextAfter());
    JsonNode after = parse(Base64.getDecoder().decode(first.nextAfter()));
    assertEquals(2, after.get("limit").asInt());
    assertEquals(2, after.get("offset").asInt());
    ListResult second = index.list(new ListRequest(new MatchAll(), order, null, null, first.nextAfter(), ALL_FIELDS));
    assertEquals(List.of("alpha", "Bravo"), names(second.items()));
    ListResult third = index.list(new ListRequest(new MatchAll(), order, null, null, second.nextAfter(), ALL_FIELDS));
    assertEquals(List.of("charlie"), names(third.items()), "missing order value sorts last");
    assertNull(third.nextAfter());

    ListResult offsetOnly = index.list(new ListRequest(new MatchAll(), List.of(), null, 3, null, ALL_FIELDS));
    assertEquals(List.of("charlie", "delta"), names(offsetOnly.items()).subList(0, 2));

    InputException e = assertThrows(InputException.class,
        () -> index.list(new ListRequest(new MatchAll(), order, null, null, "%%%not-base64", ALL_FIELDS)));
    assertEquals("Malformed after cursor, could not be parsed", e.getMessage());
  }

  @Test
  void listProjectsFields() {
    ListResult r = index.list(new ListRequest(new ValueIn("metadata.name", List.of("alpha")), List.of(), null, null, null,
        FieldProjection.of(List.of("kind", "metadata.name", "spec.nope"))));
    assertEquals("{\"kind\":\"Component\",\"metadata\":{\"name\":\"alpha\"}}", new String(r.items().get(0), StandardCharsets.UTF_8));
  }

  private QueryRequest query(EntityPredicate filter, List<OrderField> order, FullTextFilter text, int limit, boolean count) {
    return new QueryRequest(filter, order, text, limit, 0, count, null, ALL_FIELDS);
  }

  private QueryRequest follow(String cursor, int limit) {
    return new QueryRequest(null, List.of(), null, limit, 0, true, cursor, ALL_FIELDS);
  }

  @Test
  void limitZeroReturnsOnlyTheTotalAndOrderFieldExcludesMissingRows() {
    QueryResult r = index.query(query(new ValueIn("kind", List.of("component")), List.of(), null, 0, true));
    assertEquals(List.of(), r.items());
    assertEquals(4, r.totalItems());
    assertNull(r.nextCursor());
    QueryResult ordered = index.query(query(new ValueIn("kind", List.of("component")),
        List.of(new OrderField("spec.type", false)), null, 10, true));
    assertEquals(3, ordered.totalItems());
    assertEquals(List.of("alpha", "delta", "Bravo"), names(ordered.items()));
    QueryResult uncounted = index.query(query(new MatchAll(), List.of(), null, 10, false));
    assertEquals(0, uncounted.totalItems());
    assertEquals(5, uncounted.items().size());
  }

  @Test
  void fullTextFilterUsesExplicitFieldsOrTheDefaultField() {
    FullTextFilter explicit = new FullTextFilter("  RAV ", List.of("metadata.name"));
    assertEquals(List.of("Bravo"), names(index.query(query(new MatchAll(), List.of(), explicit, 10, true)).items()));
    FullTextFilter defaulted = new FullTextFilter("production", List.of());
    assertEquals(List.of(), names(index.query(query(new MatchAll(), List.of(), defaulted, 10, true)).items()),
        "without order the default field is metadata.uid");
    assertEquals(List.of("alpha", "Bravo", "charlie", "delta"),
        names(index.query(query(new MatchAll(), List.of(), new FullTextFilter("uid-component", List.of()), 10, true)).items()));
    assertEquals(List.of("alpha", "delta"), names(index.query(query(new MatchAll(),
        List.of(new OrderField("spec.type", false)), new FullTextFilter("serv", List.of()), 10, true)).items()),
        "with an order field the default field is that field");
  }

  @Test
  void keysetCursorsWalkForwardAndBackDescendingAcrossManyPages() {
    List<ObjectNode> many = new ArrayList<>();
    for (int i = 0; i < 23; i++) {
      ObjectNode c = component(String.format("svc-%02d", i), "service", "team-" + (i % 4));
      // several equal order values so ties by ref matter
      ((ObjectNode) c.get("spec")).put("rank", Integer.toString(i / 3));
      many.add(c);
    }
    index.replaceAll(many, 2);
    List<OrderField> order = List.of(new OrderField("spec.rank", true));
    QueryResult page = index.query(new QueryRequest(new ValueIn("kind", List.of("component")), order, null, 5, 0, true, null, ALL_FIELDS));
    assertNull(page.prevCursor());
    List<List<String>> pages = new ArrayList<>();
    List<String> cursors = new ArrayList<>();
    pages.add(names(page.items()));
    while (page.nextCursor() != null) {
      String cursor = page.nextCursor();
      JsonNode decoded = parse(Base64.getDecoder().decode(cursor));
      assertFalse(decoded.has("query"), "a cursor with a top-level query key makes the client POST");
      page = index.query(follow(cursor, 5));
      assertEquals(23, page.totalItems(), "total is carried in the cursor");
      assertNotNull(page.prevCursor());
      pages.add(names(page.items()));
      cursors.add(page.prevCursor());
    }
    List<String> all = pages.stream().flatMap(List::stream).toList();
    List<String> expected = new ArrayList<>();
    for (int i = 22; i >= 0; i--) {
      expected.add(String.format("svc-%02d", i));
    }
    assertEquals(expected, all);
    assertEquals(5, pages.size());
    // every prev cursor returns exactly the previous page, in the same order
    for (int p = pages.size() - 1; p >= 1; p--) {
      QueryResult back = index.query(follow(cursors.get(p - 1), 5));
      assertEquals(pages.get(p - 1), names(back.items()));
      assertNotNull(back.nextCursor(), "a page fetched backwards always links forward");
      assertEquals(p - 1 == 0, back.prevCursor() == null, "no prev cursor only on the first page");
      assertEquals(pages.get(p), names(index.query(follow(back.nextCursor(), 5)).items()));
    }
  }

  @Test
  void unorderedQueryPagesByRefAndMalformedCursorIsAnInputError() {
    QueryResult first = index.query(query(new MatchAll(), List.of(), null, 2, true));
    assertEquals(List.of("echo-api", "alpha"), names(first.items()));
    QueryResult second = index.query(follow(first.nextCursor(), 2));
    assertEquals(List.of("Bravo", "charlie"), names(second.items()));
    QueryResult third = index.query(follow(second.nextCursor(), 2));
    assertEquals(List.of("delta"), names(third.items()));
    assertNull(third.nextCursor());
    assertEquals(List.of("Bravo", "charlie"), names(index.query(follow(third.prevCursor(), 2)).items()));

    InputException e = assertThrows(InputException.class, () -> index.query(follow("bm90IGpzb24=", 2)));
    assertTrue(e.getMessage().startsWith("Malformed cursor: "), e.getMessage());
    assertThrows(InputException.class, () -> index.query(follow("!!!", 2)));
  }

  @Test
  void byRefsKeepsOrderFiltersAndProjects() {
    List<byte[]> items = index.byRefs(
        List.of("component:default/delta", "Component:default/Bravo", "component:default/missing", "api:default/echo-api"),
        new ValueIn("kind", List.of("component")), FieldProjection.of(List.of("metadata.name")));
    assertEquals("{\"metadata\":{\"name\":\"delta\"}}", new String(items.get(0), StandardCharsets.UTF_8));
    assertEquals("{\"metadata\":{\"name\":\"Bravo\"}}", new String(items.get(1), StandardCharsets.UTF_8));
    assertNull(items.get(2));
    assertNull(items.get(3), "filtered out");
    assertEquals("Bravo", parse(index.byRef("component:default/bravo")).path("metadata").path("name").asText());
    assertEquals("delta", parse(index.byUid("uid-component-delta")).path("metadata").path("name").asText());
    assertTrue(index.byRef("component:default/nope").isEmpty());
  }

  @Test
  void refLookupsAgreeBeforeAndAfterAListBuiltTheRefsTableAndAcrossWrites() {
    List<String> refs = List.of("component:default/delta", "Component:default/Bravo", "component:default/missing",
        "api:default/echo-api", "component:default/aaa", "component:default/zzz");
    List<String> before = names(index.byRefs(refs, null, ALL_FIELDS));
    assertEquals(java.util.Arrays.asList("delta", "Bravo", null, "echo-api", null, null), before);
    matching(new MatchAll()); // builds the refs table of this reader
    assertEquals(before.reversed(), names(index.byRefs(refs.reversed(), null, ALL_FIELDS)));
    assertEquals("Bravo", parse(index.byRef("component:default/BRAVO")).path("metadata").path("name").asText());
    assertTrue(index.byRef("component:default/bravo2").isEmpty());

    index.apply(List.of(component("delta", "library", "team-c")), List.of("component:default/bravo"), 2);
    List<String> expected = java.util.Arrays.asList("delta", null, null, "echo-api", null, null);
    assertEquals(expected, names(index.byRefs(refs, null, ALL_FIELDS)), "term seeks across segments, deletes honoured");
    matching(new MatchAll());
    // another question, so the result cache does not answer it
    assertEquals(expected.reversed(), names(index.byRefs(refs.reversed(), null, ALL_FIELDS)), "the same from the refs table");
    assertTrue(index.byRef("component:default/bravo").isEmpty(), "deleted");
    assertEquals("library", parse(index.byRef("component:default/delta")).path("spec").path("type").asText());
  }

  @Test
  void facetsCountOriginalCaseValuesPerEntity() {
    Map<String, List<FacetCount>> facets = index.facets(new MatchAll(),
        List.of("kind", "metadata.tags", "relations.ownedBy", "spec.nothing", "metadata.annotations.example.com/long"));
    assertEquals(List.of(new FacetCount("API", 1), new FacetCount("Component", 4)), facets.get("kind"));
    assertEquals(List.of(new FacetCount("Java", 1), new FacetCount("go", 1), new FacetCount("java", 1),
        new FacetCount("rust", 1)), facets.get("metadata.tags"));
    assertEquals(List.of(new FacetCount("group:default/team-a", 2), new FacetCount("group:default/team-b", 2)),
        facets.get("relations.ownedBy"));
    assertEquals(List.of(), facets.get("spec.nothing"));
    assertEquals(List.of(), facets.get("metadata.annotations.example.com/long"));
    assertEquals(List.of(new FacetCount("service", 1)),
        index.facets(new ValueIn("spec.owner", List.of("team-b")), List.of("spec.type")).get("spec.type").subList(0, 1));
  }

  @Test
  void facetsTellCaseVariantsApartWithinOneEntity() {
    index.apply(List.of(component("delta", "service", "team-c", "Kotlin", "kotlin", "KOTLIN", "scala"),
        component("echo", "service", "team-c", "kotlin")), List.of(), 2);
    assertEquals(List.of(new FacetCount("KOTLIN", 1), new FacetCount("Kotlin", 1), new FacetCount("kotlin", 2),
            new FacetCount("scala", 1)),
        index.facets(new ValueIn("spec.owner", List.of("team-c")), List.of("metadata.tags")).get("metadata.tags"));
    assertEquals(List.of(new FacetCount("kotlin", 1)),
        index.facets(new ValueIn("metadata.name", List.of("echo")), List.of("metadata.tags")).get("metadata.tags"));
  }

  @Test
  void largeBatchBuiltOnWorkerThreadsBecomesVisibleOnlyWithTheStoreCommit() {
    List<org.meshportal.indexer.EntityUpsert> upserts = new ArrayList<>();
    for (int i = 0; i < 1200; i++) {
      ObjectNode e = component("bulk-" + i, "service", "team-bulk");
      upserts.add(new org.meshportal.indexer.EntityUpsert(e, e.toString().getBytes(StandardCharsets.UTF_8)));
    }
    int before = index.size();
    IllegalStateException refused = assertThrows(IllegalStateException.class,
        () -> index.applyAfterStore(upserts, List.of(), () -> {
          throw new IllegalStateException("store refused");
        }));
    assertEquals("store refused", refused.getMessage());
    assertEquals(before, index.size(), "a refused generation leaves nothing behind");

    long[] sizeDuringStoreCommit = {-1};
    index.applyAfterStore(upserts, List.of("component:default/alpha"), () -> {
      sizeDuringStoreCommit[0] = index.size();
      return 7;
    });
    assertEquals(before, sizeDuringStoreCommit[0], "nothing is visible before the store committed");
    assertEquals(before + 1200 - 1, index.size());
    assertEquals(7, index.storeGeneration());
    assertTrue(index.byRef("component:default/bulk-1199").isPresent());
    assertEquals(List.of(new FacetCount("team-bulk", 1200)),
        index.facets(new MatchAll(), List.of("spec.owner")).get("spec.owner").stream()
            .filter(f -> f.value().equals("team-bulk")).toList());
  }
}
