package org.meshportal.mesh;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.meshportal.testfixtures.MeshRepoGenerator;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** Reads repositories made by the test-fixtures generator and checks them against what the generator says it wrote. */
class GeneratedRepoReadTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path tmp;

  @ParameterizedTest(name = "seed {0}, scale {1}, bad files {2}")
  @CsvSource({"42, 1, false", "42, 1, true", "7, 1, true", "1234, 1, false", "5, 3, true"})
  void derives_every_expected_entity_and_reports_every_bad_kcp_file(int seed, double scale, boolean bad) throws Exception {
    GeneratedRepo repo = GeneratedRepo.generate(tmp.resolve("repo"), seed, scale, bad);
    MeshResult result = new MeshReader(MeshOptions.defaults()).read(repo.files(), null, List.of());
    Map<String, ObjectNode> byRef = new HashMap<>();
    result.entities().forEach(e -> byRef.put(ref(e), e));
    JsonNode expected = repo.manifest.path("derivedEntitiesExpected");

    // bad files: each kcp one is named by an error; no other file has an error
    Set<String> badKcp = new HashSet<>();
    repo.manifest.path("badFiles").forEach(b -> {
      if (b.path("path").asText().startsWith("kcp/")) {
        badKcp.add(b.path("path").asText());
      }
    });
    Set<String> erroneous = result.errors().stream().map(MeshProblem::file).collect(Collectors.toSet());
    assertEquals(badKcp, erroneous, () -> "errors: " + result.errors());

    // counts: one API per export, one System (derived or adopted) per provider, one Group per account
    assertEquals(expected.path("API (one per APIExport)").asInt(), ofKind(result, "API").size());
    long adoptedSystems = result.adoptions().stream().filter(a -> a.role().equals("provider-system")).count();
    assertEquals(expected.path("System (one per provider)").asInt(), ofKind(result, "System").size() + adoptedSystems);
    List<ObjectNode> accountGroups = ofKind(result, "Group").stream()
        .filter(g -> g.path("spec").path("type").asText().startsWith("platform-mesh-o")
            || g.path("spec").path("type").asText().equals("platform-mesh-account")).toList();
    assertEquals(expected.path("Group (one per org/account)").asInt(), accountGroups.size());
    assertEquals(repo.manifest.path("orgs").asInt(),
        accountGroups.stream().filter(g -> g.path("spec").path("type").asText().equals("platform-mesh-org")).count());

    // account group names follow the generator's naming rule exactly
    List<Path> accountFiles = find(repo.root.resolve("kcp/root/orgs"), "account-");
    List<String> accountPaths = accountFiles.stream().map(p -> workspaceOf(repo.root, p) + ":"
        + p.getFileName().toString().replaceAll("^account-|\\.yaml$", "")).toList();
    List<String> names = accountPaths.stream().map(MeshRepoGenerator::derivedAccountGroupName).toList();
    for (int i = 0; i < accountPaths.size(); i++) {
      ObjectNode g = byRef.get("group:platform-mesh/" + names.get(i));
      assertNotNull(g, "group for " + accountPaths.get(i));
      assertEquals(accountPaths.get(i), g.path("metadata").path("annotations").path("kcp.io/path").asText());
    }

    // bindings: one consumesApi per valid binding file, to the API named by the generator's rule, with its reverse
    List<MeshRelation> consumes = result.relations().stream().filter(r -> r.type().equals("consumesApi")).toList();
    assertEquals(expected.path("consumesApi relations (one per APIBinding)").asInt(), consumes.size());
    List<String[]> bindings = new ArrayList<>();
    for (Path f : find(repo.root.resolve("kcp/root/orgs"), "apibinding-")) {
      if (badKcp.contains(rel(repo.root, f))) {
        continue;
      }
      JsonNode b = JSON.valueToTree(new Load(LoadSettings.builder().build()).loadFromString(Files.readString(f)));
      String path = b.path("spec").path("reference").path("export").path("path").asText();
      bindings.add(new String[] {workspaceOf(repo.root, f), path.substring(path.lastIndexOf(':') + 1),
          b.path("spec").path("reference").path("export").path("name").asText()});
    }
    List<String> apiNames = bindings.stream().map(b -> MeshRepoGenerator.derivedApiName(b[1], b[2])).toList();
    List<String> groupNames = bindings.stream().map(b -> MeshRepoGenerator.derivedAccountGroupName(b[0])).toList();
    Set<MeshRelation> relations = new HashSet<>(result.relations());
    for (int i = 0; i < bindings.size(); i++) {
      String group = "group:platform-mesh/" + groupNames.get(i);
      String api = "api:platform-mesh/" + apiNames.get(i).toLowerCase(Locale.ROOT);
      assertTrue(relations.contains(new MeshRelation(group, "consumesApi", api)), group + " -> " + api);
      assertTrue(relations.contains(new MeshRelation(api, "apiConsumedBy", group)));
      assertTrue(byRef.containsKey(api), api);
    }

    // hand-written descriptors refer to derived APIs by the same names
    for (String apiRef : meshApiRefsInCatalogFiles(repo.root)) {
      assertTrue(byRef.containsKey(apiRef), () -> apiRef + " is referenced by a catalog file but not derived");
    }

    Map<String, List<JsonNode>> schemasByResource = schemasByResource(repo.root);
    for (ObjectNode e : result.entities()) {
      checkEnvelope(e);
    }
    for (ObjectNode api : ofKind(result, "API")) {
      checkApi(api, schemasByResource);
    }
  }

  private static void checkEnvelope(ObjectNode e) {
    assertEquals("backstage.io/v1alpha1", e.path("apiVersion").asText());
    JsonNode meta = e.path("metadata");
    assertEquals("platform-mesh", meta.path("namespace").asText());
    assertTrue(Names.isEntityName(meta.path("name").asText()), meta.path("name").asText());
    JsonNode ann = meta.path("annotations");
    for (String key : List.of("kcp.io/path", "platform-mesh.io/kind", "platform-mesh.io/name")) {
      assertFalse(ann.path(key).asText().isEmpty(), key + " on " + ref(e));
    }
    assertTrue(ann.path("platform-mesh.io/search-text").asText().length() <= 2048);
    if (!Set.of("Domain").contains(e.path("kind").asText()) && !"platform-owners".equals(meta.path("name").asText())) {
      assertTrue(ann.path("backstage.io/managed-by-location").asText().startsWith("file:kcp/"), ref(e));
    }
  }

  private static void checkApi(ObjectNode api, Map<String, List<JsonNode>> schemasByResource) {
    JsonNode ann = api.path("metadata").path("annotations");
    assertFalse(ann.path("platform-mesh.io/apiexport-name").asText().isEmpty());
    assertFalse(ann.path("platform-mesh.io/api-group").asText().isEmpty());
    assertEquals("openapi", api.path("spec").path("type").asText());
    assertFalse(api.path("spec").path("owner").asText().isEmpty());
    assertFalse(api.path("spec").path("system").asText().isEmpty());
    String definition = api.path("spec").path("definition").asText();
    SwaggerParseResult parsed = new OpenAPIV3Parser().readContents(definition, null, null);
    assertTrue(parsed.getMessages() == null || parsed.getMessages().isEmpty(), () -> ref(api) + ": " + parsed.getMessages());
    OpenAPI openApi = parsed.getOpenAPI();
    assertNotNull(openApi);
    for (String resource : ann.path("platform-mesh.io/resources").asText().split(",")) {
      List<JsonNode> schemas = schemasByResource.get(resource);
      assertNotNull(schemas, resource);
      for (JsonNode s : schemas) {
        String kind = s.path("spec").path("names").path("kind").asText();
        String group = s.path("spec").path("group").asText();
        for (JsonNode v : s.path("spec").path("versions")) {
          String version = v.path("name").asText();
          assertTrue(openApi.getComponents().getSchemas().containsKey(kind + "_" + version), kind + "_" + version);
          assertTrue(openApi.getPaths().keySet().stream().anyMatch(p -> p.startsWith("/apis/" + group + "/" + version + "/")),
              group + "/" + version);
        }
      }
    }
  }

  static String ref(JsonNode e) {
    return (e.path("kind").asText() + ":" + e.path("metadata").path("namespace").asText() + "/"
        + e.path("metadata").path("name").asText()).toLowerCase(Locale.ROOT);
  }

  static List<ObjectNode> ofKind(MeshResult r, String kind) {
    return r.entities().stream().filter(e -> e.path("kind").asText().equals(kind)).toList();
  }

  private static List<Path> find(Path dir, String prefix) throws Exception {
    try (Stream<Path> walk = Files.walk(dir)) {
      return walk.filter(p -> p.getFileName().toString().startsWith(prefix) && p.toString().endsWith(".yaml")).sorted().toList();
    }
  }

  private static String rel(Path root, Path p) {
    return root.relativize(p).toString().replace('\\', '/');
  }

  private static String workspaceOf(Path root, Path file) {
    return rel(root.resolve("kcp"), file.getParent()).replace('/', ':');
  }

  private static Set<String> meshApiRefsInCatalogFiles(Path root) throws Exception {
    Set<String> refs = new HashSet<>();
    List<Path> files;
    try (Stream<Path> walk = Files.walk(root)) {
      files = walk.filter(p -> p.getFileName().toString().equals("catalog-info.yaml") && !p.toString().contains("zz-")
          && !p.toString().contains("skeleton")).toList();
    }
    for (Path f : files) {
      for (Object doc : new Load(LoadSettings.builder().build()).loadAllFromString(Files.readString(f))) {
        JsonNode spec = JSON.valueToTree(doc).path("spec");
        for (String field : List.of("providesApis", "consumesApis")) {
          spec.path(field).forEach(r -> {
            if (r.asText().startsWith("api:platform-mesh/")) {
              refs.add(r.asText().toLowerCase(Locale.ROOT));
            }
          });
        }
      }
    }
    return refs;
  }

  private static Map<String, List<JsonNode>> schemasByResource(Path root) throws Exception {
    Map<String, List<JsonNode>> out = new HashMap<>();
    for (Path f : find(root.resolve("kcp"), "apiresourceschema")) {
      if (Files.size(f) > MeshOptions.DEFAULT_MAX_FILE_BYTES) {
        continue;
      }
      for (Object doc : new Load(LoadSettings.builder().build()).loadAllFromString(Files.readString(f))) {
        JsonNode s = JSON.valueToTree(doc);
        String key = s.path("spec").path("names").path("plural").asText() + "." + s.path("spec").path("group").asText();
        out.computeIfAbsent(key, k -> new ArrayList<>()).add(s);
      }
    }
    return out;
  }

  @org.junit.jupiter.api.Test
  void a_schema_edit_rederives_only_its_api_and_matches_a_full_derivation() throws Exception {
    GeneratedRepo repo = GeneratedRepo.generate(tmp.resolve("repo"), 7, 1, true);
    MeshReader reader = new MeshReader(MeshOptions.defaults());
    MeshResult before = reader.read(repo.files(), null, List.of());
    List<String> schemaFiles;
    try (var walk = java.nio.file.Files.walk(repo.root)) {
      schemaFiles = walk.filter(p -> p.toString().endsWith(".yaml")).map(p -> repo.root.relativize(p).toString().replace('\\', '/'))
          .filter(p -> p.startsWith("kcp/")).sorted()
          .filter(p -> readText(repo.root.resolve(p)).contains("kind: APIResourceSchema")
              && readText(repo.root.resolve(p)).contains("description:")
              && !readText(repo.root.resolve(p)).contains("kind: APIExport"))
          .toList();
    }
    String schemaFile = schemaFiles.get(0);
    Path file = repo.root.resolve(schemaFile);
    String text = readText(file);
    int at = text.indexOf("description:") + "description:".length();
    java.nio.file.Files.writeString(file, text.substring(0, at) + " zanzibarpelican" + text.substring(at));

    MeshResult patched = reader.read(repo.files(), Set.of(schemaFile), List.of());
    assertEquals(1, reader.lastApisDerived, "only the API built from " + schemaFile + " is derived again");
    assertNotEquals(before.entities(), patched.entities());
    assertTrue(patched.entities().stream().anyMatch(e -> e.toString().contains("zanzibarpelican")));

    MeshResult full = new MeshReader(MeshOptions.defaults()).read(repo.files(), null, List.of());
    assertEquals(full.entities(), patched.entities());
    assertEquals(full.relations(), patched.relations());
    assertEquals(full.problems(), patched.problems());
    assertEquals(full.sourceFiles(), patched.sourceFiles());
    assertEquals(full.documentCounts(), patched.documentCounts());
    assertEquals(full.skippedCounts(), patched.skippedCounts());
    assertEquals(full.adoptions(), patched.adoptions());

    // edits in a row, of the same file and of another one, are patched on the patched result; the
    // second one hands back the same list of paths, so the reader looks at the changed path only
    MeshFiles sameList = repo.files();
    for (String edited : List.of(schemaFile, schemaFiles.get(schemaFiles.size() - 1))) {
      Path f = repo.root.resolve(edited);
      String t = readText(f);
      int pos = t.indexOf("description:") + "description:".length();
      java.nio.file.Files.writeString(f, t.substring(0, pos) + " quokkalantern" + t.substring(pos));
      MeshResult again = reader.read(sameList, Set.of(edited), List.of());
      assertEquals(1, reader.lastApisDerived, "only the API built from " + edited + " is derived again");
      MeshResult fresh = new MeshReader(MeshOptions.defaults()).read(repo.files(), null, List.of());
      assertEquals(fresh.entities(), again.entities(), edited);
      assertEquals(fresh.relations(), again.relations());
      assertEquals(fresh.problems(), again.problems());
      assertEquals(fresh.sourceFiles(), again.sourceFiles());
    }

    // a structural edit (the schema's group) is not patched in place: everything is derived again
    java.nio.file.Files.writeString(file, readText(file).replaceFirst("\n  group: ", "\n  group: x"));
    MeshResult structural = reader.read(repo.files(), Set.of(schemaFile), List.of());
    assertEquals(ofKind(structural, "API").size(), reader.lastApisDerived);
    assertEquals(new MeshReader(MeshOptions.defaults()).read(repo.files(), null, List.of()).entities(), structural.entities());
  }

  private static String readText(Path p) {
    try {
      return java.nio.file.Files.readString(p);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @org.junit.jupiter.api.Test
  void parsing_in_parallel_gives_what_parsing_in_order_gives() throws Exception {
    GeneratedRepo repo = GeneratedRepo.generate(tmp.resolve("repo"), 7, 1, true);
    MeshFiles inOrder = repo.files();
    assertFalse(inOrder.concurrentReads());
    MeshFiles concurrent = new MeshFiles() {
      @Override
      public List<String> list() {
        return inOrder.list();
      }

      @Override
      public byte[] read(String path) throws java.io.IOException {
        return inOrder.read(path);
      }

      @Override
      public long size(String path) {
        return inOrder.size(path);
      }

      @Override
      public boolean concurrentReads() {
        return true;
      }
    };
    assertTrue(concurrent.list().size() > 64, "enough files for the parallel path");

    MeshResult serial = new MeshReader(MeshOptions.defaults()).read(inOrder, null, List.of());
    MeshResult parallel = new MeshReader(MeshOptions.defaults()).read(concurrent, null, List.of());

    assertFalse(serial.entities().isEmpty());
    assertFalse(serial.errors().isEmpty(), "the bad files are reported");
    assertEquals(serial, parallel);
  }
}
