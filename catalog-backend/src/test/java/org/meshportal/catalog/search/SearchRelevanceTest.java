package org.meshportal.catalog.search;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshportal.indexer.ListRequest;
import org.meshportal.indexer.SearchRequest;
import org.meshportal.indexer.SearchResult;
import org.meshportal.model.Entities;
import org.meshportal.model.FieldProjection;

/**
 * Relevance over a generated Platform Mesh repository: each judged query of
 * {@code search/judged-queries.json} runs through {@code EntityIndex.search}; the test prints the
 * mean reciprocal rank and precision at 3 and fails when either falls below the level reached when
 * the scoring was tuned. See {@code docs/search.md} for the method.
 */
class SearchRelevanceTest {
  /** Just under the figures measured when the scoring was last tuned; raise them when it improves. */
  private static final double MIN_MRR = 0.98;
  private static final double MIN_PRECISION_AT_3 = 0.95;
  private static final int DEPTH = 10;
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  static Path dir;
  private static MeshCorpus corpus;

  @BeforeAll
  static void build() throws Exception {
    corpus = MeshCorpus.build(dir, 42, 1);
  }

  @AfterAll
  static void close() {
    corpus.close();
  }

  @Test
  void judgedQueriesReachTheRecordedRelevance() throws Exception {
    JsonNode judged = judged();
    assertEquals(judged.path("seed").asInt(), 42, "judged set is for seed 42");
    double rrSum = 0;
    double precisionSum = 0;
    int n = 0;
    StringBuilder report = new StringBuilder();
    for (JsonNode q : judged.path("queries")) {
      List<String> expected = new ArrayList<>();
      q.path("expected").forEach(e -> expected.add(e.asText()));
      List<String> top = topRefs(q.path("query").asText(), filters(q.path("filters")));
      double rr = reciprocalRank(top, expected);
      double p3 = precisionAt3(top, expected);
      rrSum += rr;
      precisionSum += p3;
      n++;
      report.append(String.format("%-40s rr=%.2f p@3=%.2f top=%s%n", '"' + q.path("query").asText() + '"', rr, p3,
          top.subList(0, Math.min(3, top.size()))));
    }
    double mrr = rrSum / n;
    double precision = precisionSum / n;
    System.out.print(report);
    System.out.printf("search relevance over %d judged queries: MRR=%.3f P@3=%.3f%n", n, mrr, precision);
    assertTrue(mrr >= MIN_MRR, String.format("MRR %.3f below %.3f%n%s", mrr, MIN_MRR, report));
    assertTrue(precision >= MIN_PRECISION_AT_3,
        String.format("P@3 %.3f below %.3f%n%s", precision, MIN_PRECISION_AT_3, report));
  }

  @Test
  void judgedSetNamesOnlyEntitiesThatExist() throws Exception {
    for (JsonNode q : judged().path("queries")) {
      for (JsonNode e : q.path("expected")) {
        assertTrue(corpus.index.byRef(e.asText()).isPresent(), "judged ref not in the corpus: " + e.asText());
      }
    }
  }

  @Test
  void aKcpPathSegmentFindsEverythingUnderIt() throws Exception {
    Set<String> under = new TreeSet<>();
    for (byte[] bytes : corpus.index.list(new ListRequest(null, List.of(), null, null, null,
        FieldProjection.of(List.of()))).items()) {
      JsonNode entity = JSON.readTree(bytes);
      String path = entity.path("metadata").path("annotations").path("kcp.io/path").asText("");
      if (path.equals("root:orgs:acme") || path.startsWith("root:orgs:acme:")) {
        under.add(Entities.ref(entity).canonical());
      }
    }
    assertTrue(under.size() >= 10, "the generated repository has an acme org with accounts: " + under);
    SearchResult result = corpus.index.search(new SearchRequest("acme", List.of(), Map.of(), null, 100, null));
    Set<String> found = new TreeSet<>();
    result.results().forEach(h -> found.add(refOfLocation(h.document().path("location").asText())));
    assertTrue(found.containsAll(under), "missing: " + difference(under, found));
  }

  @Test
  void theWholeKcpPathIsAnExactFilter() {
    SearchResult result = corpus.index.search(new SearchRequest("", List.of(),
        Map.of("kcp.io/path", List.of("root:orgs:acme:team-analytics")), null, 100, null));
    List<String> refs = result.results().stream()
        .map(h -> refOfLocation(h.document().path("location").asText())).sorted().toList();
    assertEquals(List.of("group:platform-mesh/acme.team-analytics",
        "resource:platform-mesh/acme.team-analytics-workspace"), refs, "no ancestors, no children");
    assertEquals(0, corpus.index.search(new SearchRequest("", List.of(),
        Map.of("kcp.io/path", List.of("acme")), null, 100, null)).numberOfResults(), "a segment is no path");
  }

  @Test
  void documentsLinkToTheEntityPageAndHighlightInTheStockShape() {
    SearchResult result = corpus.index.search(new SearchRequest("contoso redis", List.of(),
        Map.of("kind", List.of("API")), null, 10, new SearchRequest.Highlight("<em>", "</em>", 100)));
    SearchResult.Hit first = result.results().get(0);
    assertEquals("/catalog/platform-mesh/api/redis-provider_redis.platform-mesh.example.io",
        first.document().path("location").asText());
    assertEquals("<em>Contoso</em> Managed <em>Redis</em> cache", first.highlightFields().get("title"));
    assertTrue(first.highlightFields().get("text").contains("<em>Redis</em>"), first.highlightFields().toString());
    for (SearchResult.Hit hit : result.results()) {
      assertEquals("API", hit.document().path("kind").asText());
    }
  }

  private static Set<String> difference(Set<String> a, Set<String> b) {
    Set<String> d = new TreeSet<>(a);
    d.removeAll(b);
    return d;
  }

  /** 1 / rank of the first relevant result in the top {@link #DEPTH}, else 0. */
  static double reciprocalRank(List<String> top, List<String> expected) {
    for (int i = 0; i < top.size(); i++) {
      if (expected.contains(top.get(i))) {
        return 1.0 / (i + 1);
      }
    }
    return 0;
  }

  /**
   * Relevant results among the first three, over the most that could be relevant there (so a
   * query with one right answer scores 1 when it is in the top three).
   */
  static double precisionAt3(List<String> top, List<String> expected) {
    long hits = top.stream().limit(3).filter(expected::contains).count();
    return (double) hits / Math.min(3, expected.size());
  }

  private static List<String> topRefs(String term, Map<String, List<String>> filters) {
    SearchResult result = corpus.index.search(new SearchRequest(term, List.of(), filters, null, DEPTH, null));
    List<String> refs = new ArrayList<>();
    for (SearchResult.Hit hit : result.results()) {
      refs.add(refOfLocation(hit.document().path("location").asText()));
    }
    return refs;
  }

  /** {@code /catalog/<ns>/<kind>/<name>} → {@code kind:ns/name}. */
  static String refOfLocation(String location) {
    String[] parts = location.split("/");
    assertEquals(5, parts.length, "location " + location);
    String ns = URLDecoder.decode(parts[2], StandardCharsets.UTF_8);
    String kind = URLDecoder.decode(parts[3], StandardCharsets.UTF_8);
    String name = URLDecoder.decode(parts[4], StandardCharsets.UTF_8);
    return kind + ":" + ns + "/" + name;
  }

  private static Map<String, List<String>> filters(JsonNode node) {
    Map<String, List<String>> filters = new LinkedHashMap<>();
    node.fields().forEachRemaining(f -> {
      List<String> values = new ArrayList<>();
      f.getValue().forEach(v -> values.add(v.asText()));
      filters.put(f.getKey(), values);
    });
    return filters;
  }

  private static JsonNode judged() throws Exception {
    try (InputStream in = SearchRelevanceTest.class.getResourceAsStream("/search/judged-queries.json")) {
      return JSON.readTree(in);
    }
  }
}
