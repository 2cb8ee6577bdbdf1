package org.meshportal.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Maps the indexed kcp documents of one repository to Backstage entities (research note §6).
 * One instance per derivation; not thread-safe.
 */
final class MeshDeriver {

  static final String ANN_PATH = "kcp.io/path";
  static final String ANN_KIND = "platform-mesh.io/kind";
  static final String ANN_NAME = "platform-mesh.io/name";
  static final String ANN_SEARCH = "platform-mesh.io/search-text";
  static final String LABEL_PROVIDER = "platform-mesh.io/provider";
  static final String LABEL_ORG = "platform-mesh.io/org";
  static final String LABEL_ACCOUNT_TYPE = "platform-mesh.io/account-type";
  static final String ORGS = "root:orgs";

  final MeshOptions options;
  final ObjectMapper json;
  final MeshIndex index;
  final String ns;
  final List<MeshProblem> problems;
  private final ExportReader exportReader;
  private final Map<String, ObjectNode> entities = new TreeMap<>();
  private final Map<String, Set<String>> sources = new TreeMap<>();
  final Set<MeshRelation> relations = new TreeSet<>(
      Comparator.comparing(MeshRelation::sourceRef).thenComparing(MeshRelation::type).thenComparing(MeshRelation::targetRef));
  final List<MeshAdoption> adoptions = new ArrayList<>();
  private final Map<String, Integer> skipped = new TreeMap<>();


  record Provider(String path, String name, String systemRef, String ownerRef, List<MeshDoc> metadata) {}

  record Account(MeshDoc doc, String path, String parentPath, String type, String groupName) {}

  /** Memo of API definitions keyed by the identity of their inputs; documents of unchanged files keep their identity. */
  private final Map<List<Object>, String> previousDefinitions;
  final Map<List<Object>, String> definitions = new HashMap<>();

  private record Identity(Object ref) {
    @Override
    public boolean equals(Object o) {
      return o instanceof Identity other && other.ref == ref;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(ref);
    }
  }

  MeshDeriver(MeshOptions options, ObjectMapper json, List<ParsedFile> files, Map<List<Object>, String> previousDefinitions) {
    this.previousDefinitions = previousDefinitions;
    this.options = options;
    this.json = json;
    this.index = new MeshIndex(files);
    this.ns = options.namespace();
    this.problems = new ArrayList<>(index.problems);
    this.exportReader = new ExportReader(options, json, index, used, problems);
    this.basis = null;
  }

  /**
   * A deriver for an APIResourceSchema content edit on top of the one that derived the previous
   * result: it takes over that one's index, with the edited documents swapped in (old document →
   * new one, by identity), and its exports, providers and policies, so {@link #rederiveApis}
   * normalizes only the exports built from the edited documents. The previous deriver must not be
   * used afterwards.
   */
  MeshDeriver(MeshDeriver previous, Map<MeshDoc, MeshDoc> swapped, Map<List<Object>, String> previousDefinitions) {
    this.previousDefinitions = previousDefinitions;
    this.options = previous.options;
    this.json = previous.json;
    this.index = previous.index;
    this.ns = previous.ns;
    index.swapSchemas(swapped);
    this.problems = new ArrayList<>(index.problems);
    this.exportReader = new ExportReader(options, json, index, used, problems);
    this.basis = previous;
    this.swapped = swapped;
  }

  /** The deriver whose exports, providers and policies {@link #rederiveApis} takes over; null for a fresh one. */
  private MeshDeriver basis;
  private Map<MeshDoc, MeshDoc> swapped = Map.of();
  /** What this derivation built, for a later patching deriver. */
  private Map<String, Export> exports;
  private Map<String, Provider> providers;
  private Map<String, List<String>> allowed;

  /** Drops memoized definitions built from documents that an edit replaced: they are never asked for again. */
  static void dropDefinitionsOf(Map<List<Object>, String> definitions, Set<MeshDoc> replaced) {
    definitions.keySet().removeIf(key -> key.stream().anyMatch(o -> o instanceof Identity id && replaced.contains(id.ref())));
  }

  /** Whether {@link #rederiveApis} can take over this deriver's structures. */
  boolean reusable() {
    return exports != null;
  }

  MeshResult derive(List<? extends JsonNode> knownEntities) {
    Known known = new Known(knownEntities, index.backstage);
    Map<String, Export> exports = exportReader.exports();
    ProviderDeriver providerDeriver = new ProviderDeriver(this);
    String domainRef = providerDeriver.domain(known);
    Map<String, Provider> providers = providerDeriver.providers(exports, known, domainRef);
    Map<String, List<String>> allowed = providerDeriver.policies(exports);
    this.exports = exports;
    this.providers = providers;
    this.allowed = allowed;
    AccountDeriver accountDeriver = new AccountDeriver(this);
    Map<String, Account> accounts = accountDeriver.accounts();
    Map<String, Set<String>> boundGroups = accountDeriver.bindings(accounts, exports, providers, consumers);
    for (Export e : exports.values()) {
      // reported here, where the API's ref is known; a schema-edit patch keeps the previous result's problems
      reportMissing(e, apiRef(e, providers.get(e.ws())));
      api(e, providers.get(e.ws()), allowed.getOrDefault(key(e.ws(), e.name()), List.of()),
          consumers.getOrDefault(apiRef(e, providers.get(e.ws())), List.of()));
    }
    apisDerived = exports.size();
    accountDeriver.instances(accounts, boundGroups, exports, providers);
    tally(exports.values());
    Map<String, List<String>> files = new TreeMap<>();
    sources.forEach((ref, set) -> {
      if (entities.containsKey(ref)) {
        files.put(ref, List.copyOf(set));
      }
    });
    problems.sort(Comparator.comparing(MeshProblem::file).thenComparingInt(MeshProblem::document));
    return new MeshResult(List.copyOf(entities.values()), List.copyOf(relations), List.copyOf(problems),
        java.util.Collections.unmodifiableMap(new TreeMap<>(index.counts)),
        java.util.Collections.unmodifiableMap(skipped), java.util.Collections.unmodifiableMap(files),
        List.copyOf(adoptions), List.copyOf(descriptors));
  }

  final Set<MeshDoc> used = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
  /** What became of each document ({@code file#index} → entity, problem or skipped), from the last full derivation. */
  final Map<String, String> outcomes = new TreeMap<>();

  /**
   * Accounts for every document: one that fed no entity and has no problem of its own gets a warning
   * saying why it maps to nothing (kinds the mapping does not use, and mapped ones that led nowhere,
   * e.g. a schema no export names), and is counted in the skipped counts. Backstage descriptors are
   * the catalog's: they are listed apart, for the caller to report when no catalog location reads them.
   */
  private void tally(java.util.Collection<Export> exports) {
    Set<String> reported = new java.util.HashSet<>();
    problems.forEach(p -> reported.add(p.file() + "#" + p.document()));
    Set<String> exportedGroups = new java.util.HashSet<>();
    for (Export e : exports) {
      e.resources().forEach(r -> {
        if (r.group() != null) {
          exportedGroups.add(r.group());
        }
      });
      e.schemas().forEach(s -> exportedGroups.add(s.group()));
    }
    List<MeshProblem> unmapped = new ArrayList<>();
    for (MeshDoc d : index.all) {
      String at = d.file() + "#" + d.index();
      if (used.contains(d)) {
        outcomes.put(at, "entity");
      } else if (reported.contains(at)) {
        outcomes.put(at, "problem");
      } else if (MeshIndex.isBackstage(d)) {
        outcomes.put(at, "descriptor");
        descriptors.add(warning(d, "Backstage " + describe(d) + " is in the kcp tree, where the Platform Mesh"
            + " mapping only adopts a System, the Domain platform-mesh or the Group platform-owners from it;"
            + " no catalog location reads this file, so it is not an entity"));
      } else {
        outcomes.put(at, "unmapped");
        skipped.merge(d.countKey(), 1, Integer::sum);
        unmapped.add(warning(d, describe(d) + " " + whyUnmapped(d, exportedGroups)));
      }
    }
    problems.addAll(unmapped);
    // documents that never became documents (unreadable, or without apiVersion/kind) have their own problem
    problems.forEach(p -> {
      if (p.document() >= 0) {
        outcomes.putIfAbsent(p.file() + "#" + p.document(), "problem");
      }
    });
  }

  /** Backstage descriptors in the kcp tree that fed no derived entity (see {@link MeshResult#descriptors()}). */
  final List<MeshProblem> descriptors = new ArrayList<>();

  /** {@code <apiVersion> <Kind> '<name>'}, the way every unmapped-document warning starts. */
  private static String describe(MeshDoc d) {
    return d.apiVersion() + " " + d.kind() + (d.name() != null ? " '" + d.name() + "'" : " without metadata.name");
  }

  /** Why a document that fed no entity maps to nothing; stable wording, one sentence per case. */
  private static String whyUnmapped(MeshDoc d, Set<String> exportedGroups) {
    String ws = d.workspace();
    return switch (d.group() + "/" + d.kind()) {
      case "apis.kcp.io/APIResourceSchema" ->
          "is not named by any APIExport in workspace " + ws + ", so it is part of no API";
      case "apiextensions.k8s.io/CustomResourceDefinition" ->
          "serves no resource of an APIExport or PublishedResource in workspace " + ws + ", so it is part of no API";
      case "syncagent.kcp.io/PublishedResource" ->
          "matches no APIExport in workspace " + ws + " (by projected group, schema or CRD), so it is part of no API";
      case "ui.platform-mesh.io/ContentConfiguration" ->
          "names no APIExport of workspace " + ws + " in its label ui.platform-mesh.io/content-for";
      case "tenancy.kcp.io/Workspace" ->
          "is not a provider workspace (spec.type.name: provider); other workspaces are mapped through their Accounts";
      default -> MeshIndex.isMapped(d.group() + "/" + d.kind())
          ? "in workspace " + ws + " feeds no entity of the Platform Mesh mapping"
          : exportedGroups.contains(d.group())
              ? "is not part of the Platform Mesh mapping: instances of " + d.group()
                  + " become Resources only in a workspace whose own Account binds that API"
              : "is not part of the Platform Mesh mapping";
    };
  }

  /** Consumer groups per API ref, as the bindings gave them; kept by the reader for {@link #rederiveApis}. */
  final Map<String, List<String>> consumers = new HashMap<>();
  /** How many API entities this deriver built (tests check that a schema change rebuilds only its API). */
  int apisDerived;

  /**
   * Re-derives only the APIs whose schemas come from {@code changedFiles}, on top of the previous
   * result. Valid only when the changed files hold APIResourceSchemas whose names, groups, kinds and
   * plurals are unchanged (the caller checks): such a change alters nothing but those APIs. Returns
   * null when it finds anything it cannot patch in place; the caller then derives everything.
   */
  MeshResult rederiveApis(MeshResult previous, List<? extends JsonNode> knownEntities,
      Map<String, List<String>> previousConsumers, Set<String> changedFiles) {
    Map<String, Export> exports;
    Map<String, Provider> providers;
    Map<String, List<String>> allowed;
    if (basis != null) {
      // the edit changed only schema contents: exports not built from an edited document stay as they were
      exports = new LinkedHashMap<>();
      for (Map.Entry<String, Export> e : basis.exports.entrySet()) {
        Export before = e.getValue();
        boolean edited = before.schemas().stream().anyMatch(x -> swapped.containsKey(x.source()));
        exports.put(e.getKey(), edited ? exportReader.normalize(before.doc()) : before);
        if (!edited) {
          String ref = basis.apiRefs.get(before);
          if (ref != null) {
            apiRefs.put(before, ref);
          }
        }
      }
      providers = basis.providers;
      allowed = basis.allowed;
      basis.policyFiles.forEach(policyFiles::putIfAbsent);
      basis = null; // keep no chain of earlier derivers alive
    } else {
      Known known = new Known(knownEntities, index.backstage);
      exports = exportReader.exports();
      ProviderDeriver providerDeriver = new ProviderDeriver(this);
      String domainRef = providerDeriver.domain(known);
      providers = providerDeriver.providers(exports, known, domainRef);
      allowed = providerDeriver.policies(exports);
    }
    this.exports = exports;
    this.providers = providers;
    this.allowed = allowed;
    // the domain and provider entities just built are unchanged; only the APIs below are new
    entities.clear();
    sources.clear();
    Set<String> refs = new java.util.HashSet<>();
    for (Export e : exports.values()) {
      if (!refs.add(apiRef(e, providers.get(e.ws())))) {
        return null; // two exports clash on one API ref: which one wins depends on the whole run
      }
    }
    int problemsBefore = problems.size();
    for (Export e : exports.values()) {
      if (e.schemas().stream().anyMatch(s -> changedFiles.contains(s.source().file()))) {
        Provider p = providers.get(e.ws());
        String ref = apiRef(e, p);
        List<String> apiConsumers = previousConsumers.getOrDefault(ref, List.of());
        consumers.put(ref, apiConsumers);
        api(e, p, allowed.getOrDefault(key(e.ws(), e.name()), List.of()), apiConsumers);
        apisDerived++;
      }
    }
    if (problems.size() != problemsBefore) {
      return null;
    }
    List<ObjectNode> patched = new ArrayList<>(previous.entities());
    Map<String, List<String>> files = new TreeMap<>(previous.sourceFiles());
    for (Map.Entry<String, ObjectNode> e : entities.entrySet()) {
      int at = indexOfRef(patched, e.getKey());
      if (at < 0) {
        return null; // the API was not in the previous result (it clashed or was invalid there)
      }
      patched.set(at, e.getValue());
      files.put(e.getKey(), List.copyOf(sources.getOrDefault(e.getKey(), Set.of())));
    }
    previousConsumers.forEach(consumers::putIfAbsent);
    return new MeshResult(List.copyOf(patched), previous.relations(), previous.problems(),
        previous.documentCounts(), previous.skippedCounts(), java.util.Collections.unmodifiableMap(files),
        previous.adoptions(), previous.descriptors());
  }

  /** Position of the entity with this ref in a result's entities, which are sorted by ref; -1 when absent. */
  private int indexOfRef(List<ObjectNode> sorted, String ref) {
    int lo = 0;
    int hi = sorted.size() - 1;
    while (lo <= hi) {
      int mid = (lo + hi) >>> 1;
      ObjectNode e = sorted.get(mid);
      int c = ref(e.path("kind").asText().toLowerCase(Locale.ROOT), e.path("metadata").path("name").asText()).compareTo(ref);
      if (c < 0) {
        lo = mid + 1;
      } else if (c > 0) {
        hi = mid - 1;
      } else {
        return mid;
      }
    }
    return -1;
  }

  // ---- exports and schemas ------------------------------------------------------------------

  /** One warning per schema the export names that is not in the repository, shown on the API it became. */
  private void reportMissing(Export e, String apiRef) {
    for (String name : e.missing()) {
      problems.add(new MeshProblem(MeshProblem.Severity.WARNING, e.doc().file(), e.doc().index(),
          "APIExport '" + e.name() + "' references APIResourceSchema '" + name + "', which is not in the repository"
              + " (normal for api-syncagent); the API's definition has no paths or component schema for it", apiRef));
    }
  }

  /** Documents of policies per export key, for the API that names them as sources. */
  final Map<String, List<String>> policyFiles = new HashMap<>();

  // ---- APIs ----------------------------------------------------------------------------------

  String apiRef(Export e, Provider p) {
    // asked once per binding: naming runs regexes, so each export's ref is built once
    return apiRefs.computeIfAbsent(e, x -> ref("api", Names.apiName(p.name(), e.name())));
  }

  private final Map<Export, String> apiRefs = new java.util.IdentityHashMap<>();

  private void api(Export e, Provider p, List<String> allowed, List<String> consumers) {
    used.add(e.doc());
    String raw = p.name() + "_" + e.name();
    String name = Names.apiName(p.name(), e.name());
    MeshDoc pm = p.metadata().stream().filter(m -> e.name().equals(m.name())).findFirst().orElse(null);
    String display = pm != null ? MeshDoc.text(pm.spec().path("displayName")) : null;
    String description = pm != null ? MeshDoc.text(pm.spec().path("description")) : null;
    ObjectNode api = envelope("API", name, display != null ? display : raw, description);
    String lifecycle = e.doc().annotation("platform-mesh.io/lifecycle");
    if (lifecycle == null) {
      lifecycle = e.doc().annotation("backstage.io/lifecycle");
    }
    List<String> missing = e.missing();
    if (e.resources().isEmpty() && e.schemas().isEmpty()) {
      problems.add(new MeshProblem(MeshProblem.Severity.WARNING, e.doc().file(), e.doc().index(), "APIExport '"
          + e.name() + "' lists no resources (normal for api-syncagent); the API gets a placeholder definition",
          apiRef(e, p)));
    }
    List<Object> defKey = new ArrayList<>(List.of(new Identity(e.doc()), p.name(), String.valueOf(description)));
    e.schemas().forEach(s -> defKey.addAll(List.of(new Identity(s.source()), s.group(), s.kind(), s.plural())));
    defKey.addAll(missing);
    Map<String, String> virtual = ExportReader.virtualResources(e);
    defKey.add(virtual);
    String definition = previousDefinitions.get(defKey);
    if (definition == null) {
      definition = new OpenApiBuilder(json).build(e.name() + " (" + p.name() + ")", description, e.ws(), e.schemas(), missing,
          virtual);
    }
    definitions.put(defKey, definition);
    ObjectNode spec = api.with("spec");
    spec.put("type", "openapi").put("lifecycle", lifecycle != null ? lifecycle : "production")
        .put("owner", p.ownerRef()).put("system", p.systemRef()).put("definition", definition);

    Set<String> groups = new LinkedHashSet<>();
    Set<String> resources = new LinkedHashSet<>();
    Set<String> tags = new LinkedHashSet<>();
    SearchText search = new SearchText(options.maxSearchTextChars()).add(e.name()).add(p.name());
    if (display != null) {
      search.add(display);
    }
    for (ExportResource r : e.resources()) {
      if (r.group() != null) {
        groups.add(r.group());
      }
      if (r.plural() != null && r.group() != null) {
        resources.add(r.plural() + "." + r.group());
      }
    }
    List<String> files = new ArrayList<>();
    for (ResourceSchema s : e.schemas()) {
      groups.add(s.group());
      resources.add(s.plural() + "." + s.group());
      addTag(tags, s.kind());
      addTag(tags, s.plural());
      search.add(s.kind()).add(s.plural()).add(s.singular()).add(s.namespaced() ? "Namespaced" : "Cluster");
      s.shortNames().forEach(search::add);
      s.versions().forEach(v -> search.add(v.name() + (v.deprecated() ? " deprecated" : "")));
      files.add(s.source().file());
    }
    groups.forEach(search::add);
    e.claims().forEach(search::add);
    allowed.forEach(search::add);
    if (pm != null) {
      ArrayNode links = json.createArrayNode();
      ProviderDeriver.metadataFacts(pm, links, search);
      MeshIndex.texts(pm.spec().path("tags")).forEach(t -> addTag(tags, t));
      if (!links.isEmpty()) {
        api.with("metadata").set("links", links);
      }
      files.add(pm.file());
    }
    for (MeshDoc cc : index.contentConfigurations.getOrDefault(e.ws(), List.of())) {
      if (e.name().equals(cc.label("ui.platform-mesh.io/content-for"))) {
        used.add(cc);
        search.add(cc.name());
        files.add(cc.file());
      }
    }
    boolean syncagent = false;
    for (MeshDoc pr : index.publishedResources.getOrDefault(e.ws(), List.of())) {
      String schemaName = MeshDoc.text(pr.node().path("status").path("resourceSchemaName"));
      boolean linked = groups.contains(ExportReader.projectedGroup(pr))
          || schemaName != null && e.resources().stream().anyMatch(r -> schemaName.equals(r.schemaName()))
          || e.resources().isEmpty() && (e.name().equals(ExportReader.projectedGroup(pr)) || "api-syncagent".equals(e.name()));
      if (linked) {
        syncagent = true;
        used.add(pr);
        files.add(pr.file());
      }
    }
    for (ResourceSchema s : e.schemas()) {
      for (ResourceSchema.Version v : s.versions()) {
        schemaFacts(v.schema(), search, 0);
        if (search.full()) {
          break;
        }
      }
    }
    putTags(api, tags);
    decorate(api, e.ws(), "APIExport", e.name(), e.doc().file(), Map.of(LABEL_PROVIDER, p.name()), search.toString());
    ObjectNode ann = api.with("metadata").with("annotations");
    ann.put("platform-mesh.io/apiexport-name", e.name());
    putIfNotEmpty(ann, "platform-mesh.io/api-group", String.join(",", groups));
    putIfNotEmpty(ann, "platform-mesh.io/resources", String.join(",", resources));
    putIfNotEmpty(ann, "platform-mesh.io/permission-claims", String.join(",", e.claims()));
    putIfNotEmpty(ann, "platform-mesh.io/allowed-paths", String.join(",", allowed));
    if (syncagent) {
      ann.put("platform-mesh.io/integration", "api-syncagent");
    }
    ann.put("platform-mesh.io/binding-count", Integer.toString(consumers.size()));
    files.addAll(policyFiles.getOrDefault(key(e.ws(), e.name()), List.of()));
    put(api, files);
  }

  /** Property names and short descriptions of a schema, a few levels deep, into the search text. */
  private static void schemaFacts(JsonNode schema, SearchText search, int depth) {
    if (schema == null || depth > 4 || search.full()) {
      return;
    }
    JsonNode props = schema.path("properties");
    if (props.isObject()) {
      props.fields().forEachRemaining(f -> {
        if (depth > 0 || !Set.of("apiVersion", "kind", "metadata").contains(f.getKey())) {
          search.add(f.getKey());
          search.add(MeshDoc.text(f.getValue().path("description")), 80);
          schemaFacts(f.getValue(), search, depth + 1);
        }
      });
    }
    if (schema.path("items").isObject()) {
      schemaFacts(schema.path("items"), search, depth + 1);
    }
  }

  // ---- envelope helpers ----------------------------------------------------------------------

  ObjectNode envelope(String kind, String name, String title, String description) {
    ObjectNode e = json.createObjectNode();
    e.put("apiVersion", "backstage.io/v1alpha1").put("kind", kind);
    ObjectNode meta = e.putObject("metadata");
    meta.put("name", name).put("namespace", ns);
    if (title != null && !title.isBlank()) {
      meta.put("title", title.strip());
    }
    if (description != null && !description.isBlank()) {
      meta.put("description", description.strip());
    }
    e.putObject("spec");
    return e;
  }

  void decorate(ObjectNode e, String path, String kind, String name, String primaryFile,
      Map<String, String> labels, String searchText) {
    ObjectNode meta = e.with("metadata");
    ObjectNode ann = meta.putObject("annotations");
    ann.put(ANN_PATH, path).put(ANN_KIND, kind).put(ANN_NAME, name);
    if (primaryFile != null) {
      SourceAnnotations s = options.sourceLocator().locate(primaryFile);
      putIfNotEmpty(ann, "backstage.io/managed-by-location", s.managedByLocation());
      putIfNotEmpty(ann, "backstage.io/managed-by-origin-location", s.managedByOriginLocation());
      putIfNotEmpty(ann, "backstage.io/source-location", s.sourceLocation());
      putIfNotEmpty(ann, "backstage.io/view-url", s.viewUrl());
      putIfNotEmpty(ann, "backstage.io/edit-url", s.editUrl());
    }
    putIfNotEmpty(ann, ANN_SEARCH, searchText);
    if (!labels.isEmpty()) {
      ObjectNode l = meta.putObject("labels");
      labels.forEach(l::put);
    }
    if (primaryFile != null) {
      sources.computeIfAbsent(ref(e.path("kind").asText().toLowerCase(Locale.ROOT), meta.path("name").asText()),
          k -> new TreeSet<>()).add(primaryFile);
    }
  }

  /** Adds a finished entity unless its shape is invalid or its ref is taken; returns its ref. */
  String put(ObjectNode e, List<String> files) {
    String kind = e.path("kind").asText().toLowerCase(Locale.ROOT);
    String name = e.path("metadata").path("name").asText();
    String r = ref(kind, name);
    String shape = shapeProblem(e);
    if (shape != null || entities.containsKey(r)) {
      String firstFile = files.isEmpty() ? index.firstFile.values().stream().findFirst().orElse("") : files.get(0);
      problems.add(new MeshProblem(MeshProblem.Severity.ERROR, firstFile, -1,
          shape != null ? "derived " + r + " is invalid: " + shape : "derived entity " + r + " clashes with another derived entity; the first one is kept"));
      return r;
    }
    entities.put(r, e);
    sources.computeIfAbsent(r, k -> new TreeSet<>()).addAll(files);
    return r;
  }

  private static String shapeProblem(ObjectNode e) {
    JsonNode meta = e.path("metadata");
    if (!Names.isEntityName(meta.path("name").asText(null))) {
      return "metadata.name '" + meta.path("name").asText() + "' is not a valid entity name";
    }
    for (JsonNode v : meta.path("annotations")) {
      if (!v.isTextual()) {
        return "annotation values must be strings";
      }
    }
    for (JsonNode v : meta.path("labels")) {
      if (!v.isTextual() || !Names.isLabelValue(v.asText())) {
        return "label value '" + v.asText() + "' is not valid";
      }
    }
    return e.path("spec").isObject() ? null : "spec must be an object";
  }

  String ref(String kind, String name) {
    return (kind + ":" + ns + "/" + name).toLowerCase(Locale.ROOT);
  }

  static void addTag(Set<String> tags, String raw) {
    String t = Names.tag(raw);
    if (t != null && tags.size() < 20) {
      tags.add(t);
    }
  }

  void putTags(ObjectNode e, Set<String> tags) {
    if (!tags.isEmpty()) {
      ArrayNode arr = e.with("metadata").putArray("tags");
      tags.forEach(arr::add);
    }
  }

  static void putIfNotEmpty(ObjectNode node, String key, String value) {
    if (value != null && !value.isEmpty()) {
      node.put(key, value);
    }
  }

  static String key(String ws, String name) {
    return ws + "|" + name;
  }

  static MeshProblem error(MeshDoc d, String message) {
    return new MeshProblem(MeshProblem.Severity.ERROR, d.file(), d.index(), message);
  }

  static MeshProblem warning(MeshDoc d, String message) {
    return new MeshProblem(MeshProblem.Severity.WARNING, d.file(), d.index(), message);
  }
}
