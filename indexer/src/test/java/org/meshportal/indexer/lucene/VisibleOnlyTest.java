package org.meshportal.indexer.lucene;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.meshportal.indexer.lucene.TestEntities.component;
import static org.meshportal.indexer.lucene.TestEntities.names;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshportal.indexer.EntityIndex;
import org.meshportal.indexer.FacetCount;
import org.meshportal.indexer.OrderField;
import org.meshportal.indexer.QueryRequest;
import org.meshportal.indexer.QueryResult;
import org.meshportal.indexer.SearchRequest;
import org.meshportal.model.FieldProjection;
import org.meshportal.model.query.EntityPredicate;

/** A visibility view restricts every read before counting and paging, and keeps cursors to the caller's filter. */
class VisibleOnlyTest {
  private static final FieldProjection ALL_FIELDS = FieldProjection.of(List.of());
  private static final EntityPredicate TEAM_A =
      new EntityPredicate.ValueIn("relations.ownedBy", List.of("group:default/team-a"));

  @TempDir Path dir;
  LuceneEntityIndex index;

  @BeforeEach
  void setUp() {
    index = LuceneEntityIndex.open(dir);
    List<com.fasterxml.jackson.databind.JsonNode> all = new ArrayList<>();
    for (int i = 0; i < 9; i++) {
      all.add(component("a" + i, i % 3 == 0 ? "website" : "service", "team-a", "java"));
    }
    for (int i = 0; i < 20; i++) {
      all.add(component("b" + i, "service", "team-b", "java"));
    }
    index.apply(all, List.of(), 1);
  }

  @AfterEach
  void tearDown() {
    index.close();
  }

  private static QueryRequest page(String cursor) {
    return new QueryRequest(new EntityPredicate.ValueIn("spec.type", List.of("service")),
        List.of(new OrderField("metadata.name", false)), null, 2, 0, true, cursor, ALL_FIELDS);
  }

  @Test
  void totals_pages_and_cursors_cover_exactly_the_visible_part() {
    EntityIndex visible = index.visibleOnly(TEAM_A);
    List<String> seen = new ArrayList<>();
    QueryResult r = visible.query(page(null));
    assertEquals(6, r.totalItems());
    while (true) {
      seen.addAll(names(r.items()));
      if (r.nextCursor() == null) {
        break;
      }
      r = visible.query(page(r.nextCursor()));
      assertEquals(6, r.totalItems());
    }
    assertEquals(List.of("a1", "a2", "a4", "a5", "a7", "a8"), seen);
    assertEquals(26, index.query(page(null)).totalItems());
    assertEquals(9, visible.size());
  }

  @Test
  void facets_search_and_lookups_see_only_the_visible_part() {
    EntityIndex visible = index.visibleOnly(TEAM_A);
    Map<String, List<FacetCount>> facets = visible.facets(new EntityPredicate.MatchAll(), List.of("spec.type"));
    assertEquals(List.of(new FacetCount("service", 6), new FacetCount("website", 3)), facets.get("spec.type"));
    assertEquals(9, visible.search(new SearchRequest("java", List.of(), Map.of(), null, 0, null)).numberOfResults());
    assertEquals(29, index.search(new SearchRequest("java", List.of(), Map.of(), null, 0, null)).numberOfResults());
    assertTrue(visible.byRef("component:default/a1").isPresent());
    assertTrue(visible.byRef("component:default/b1").isEmpty());
    List<byte[]> refs = visible.byRefs(List.of("component:default/a1", "component:default/b1"), null, ALL_FIELDS);
    assertEquals("a1", names(refs.subList(0, 1)).get(0));
    assertNull(refs.get(1));
    assertEquals(0, index.visibleOnly(new EntityPredicate.MatchNone()).query(page(null)).totalItems());
    assertThrows(UnsupportedOperationException.class, () -> visible.apply(List.of(), List.of(), 2));
  }
}
