package org.meshportal.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.IntStream;
import org.meshportal.model.Parallel;

/**
 * Reads the Platform Mesh (kcp) manifests of one repository and derives Backstage entities from
 * them. Parsed files are cached, so after a change only the changed files are parsed again. The
 * mapping is recomputed over everything, except for the common edit of an APIResourceSchema's
 * content (same name, group, kind and plural): then only the APIs built from it are derived again,
 * on the previous derivation's document index, exports, providers and policies, and the rest of
 * the previous result is kept.
 *
 * <p>One instance per repository. Not thread-safe: the caller serializes calls (one sync at a time).
 * Never throws for bad repository content; every problem is reported in {@link MeshResult#problems()}.
 *
 * <pre>{@code
 * MeshReader reader = new MeshReader(MeshOptions.defaults()
 *     .withSourceLocator(SourceLocator.blobUrls("https://github.com/acme/mesh", "main")));
 * MeshResult full = reader.read(files, null, List.of());              // first run: parse everything
 * MeshResult next = reader.read(files, Set.of("kcp/root/x.yaml"), known); // later: re-parse only changes
 * }</pre>
 */
public final class MeshReader {

  private final MeshOptions options;
  private final WorkspaceLocator locator;
  private final FileParser parser;
  private final ObjectMapper json = new ObjectMapper();
  private final Map<String, ParsedFile> cache = new HashMap<>();
  /** The cached paths, sorted: derivation sees files in path order. Null when paths came or went. */
  private List<String> order;
  private Map<List<Object>, String> definitions = Map.of();
  /** The previous result and what it was derived with, for patching it after a schema edit. */
  private MeshResult previous;
  private List<JsonNode> previousKnown = List.of();
  private Map<String, List<String>> previousConsumers = Map.of();
  /** The list of paths of the last read: the same instance again means no path came or went. */
  private List<String> lastList;
  /** The deriver of the previous result, whose index and exports a schema edit takes over. */
  private MeshDeriver previousDeriver;
  /** API entities built by the last {@link #read}; lets tests see that an edit was not a full derivation. */
  int lastApisDerived;
  /** What became of each document in the last full derivation ({@code file#index} → entity, problem, skipped). */
  Map<String, String> lastOutcomes = Map.of();

  public MeshReader(MeshOptions options) {
    this.options = Objects.requireNonNull(options, "options");
    this.locator = new WorkspaceLocator(options.kcpRoot(), options.folderOverrides());
    this.parser = new FileParser(options.maxFileBytes());
  }

  /**
   * Reads the repository and derives entities.
   *
   * @param files the repository's files as they are now. Handing back the same {@link MeshFiles#list()}
   *     instance as in the previous call (unmodified) tells the reader that no path came or went, so it
   *     looks only at {@code changedPaths}
   * @param changedPaths files whose content changed since the previous call; null re-parses every file.
   *     Files no longer listed are dropped; files not seen before are always parsed.
   * @param knownEntities hand-written entities the catalog knows (may be empty), for adoption
   */
  public MeshResult read(MeshFiles files, Collection<String> changedPaths, List<? extends JsonNode> knownEntities) {
    Objects.requireNonNull(files, "files");
    if (changedPaths == null) {
      cache.clear();
      order = null;
      lastList = null;
    }
    Set<String> changed = changedPaths == null ? Set.of() : new HashSet<>(changedPaths);
    boolean schemaEditsOnly = changedPaths != null && previous != null && !changed.isEmpty();
    Map<MeshDoc, MeshDoc> swapped = new java.util.IdentityHashMap<>();
    List<String> paths = files.list();
    if (changedPaths != null && paths == lastList) {
      // the very list of the last read: no path came or went, so only changed paths the cache holds
      // are parsed again (a path it does not hold is not a mesh file)
      for (String path : changed) {
        ParsedFile old = cache.get(path);
        if (old != null) {
          ParsedFile fresh = parse(files, path, locator.locate(path));
          cache.put(path, fresh);
          schemaEditsOnly = schemaEditsOnly && schemaEditOnly(old, fresh);
          if (schemaEditsOnly) {
            swap(old, fresh, swapped);
          }
        }
      }
    } else {
      Set<String> listed = new HashSet<>();
      List<String> toParse = new ArrayList<>();
      List<WorkspaceLocator.Location> places = new ArrayList<>();
      for (String path : paths) {
        if (cache.containsKey(path) && !changed.contains(path)) {
          listed.add(path); // located when it was parsed; a path's location never changes
          continue;
        }
        WorkspaceLocator.Location where = locator.locate(path);
        if (where == null) {
          continue;
        }
        listed.add(path);
        toParse.add(path);
        places.add(where);
      }
      List<ParsedFile> parsedNow = parseAll(files, toParse, places);
      for (int i = 0; i < toParse.size(); i++) {
        String path = toParse.get(i);
        ParsedFile fresh = parsedNow.get(i);
        ParsedFile old = cache.put(path, fresh);
        if (old == null) {
          order = null;
        }
        schemaEditsOnly = schemaEditsOnly && old != null && schemaEditOnly(old, fresh);
        if (schemaEditsOnly) {
          swap(old, fresh, swapped);
        }
      }
      if (cache.size() != listed.size()) {
        cache.keySet().retainAll(listed);
        order = null;
      }
    }
    lastList = paths;
    // a path that came or went resets the order; changed paths outside the mesh are not listed and do not matter
    schemaEditsOnly = schemaEditsOnly && order != null;
    if (order == null) {
      order = cache.keySet().stream().sorted().toList();
    }
    List<JsonNode> known = knownEntities == null ? List.of() : List.copyOf(knownEntities);
    if (schemaEditsOnly && known.equals(previousKnown)) {
      // the previous deriver's index and exports with the edited documents swapped in; a fresh index otherwise
      MeshDeriver deriver = previousDeriver != null && previousDeriver.reusable()
          ? new MeshDeriver(previousDeriver, swapped, definitions)
          : new MeshDeriver(options, json, parsedInOrder(), definitions);
      previousDeriver = null; // its index may now hold the edited documents
      MeshResult patched = deriver.rederiveApis(previous, known, previousConsumers, changed);
      if (patched != null) {
        Map<List<Object>, String> merged = new java.util.HashMap<>(definitions);
        MeshDeriver.dropDefinitionsOf(merged, swapped.keySet());
        merged.putAll(deriver.definitions);
        return remember(patched, deriver, known, merged);
      }
    }
    MeshDeriver deriver = new MeshDeriver(options, json, parsedInOrder(), changedPaths == null ? Map.of() : definitions);
    MeshResult result = deriver.derive(known);
    return remember(result, deriver, known, deriver.definitions);
  }

  private List<ParsedFile> parsedInOrder() {
    List<ParsedFile> parsed = new ArrayList<>(order.size());
    order.forEach(path -> parsed.add(cache.get(path)));
    return parsed;
  }

  private static void swap(ParsedFile old, ParsedFile fresh, Map<MeshDoc, MeshDoc> swapped) {
    for (int i = 0; i < old.documents().size(); i++) {
      swapped.put(old.documents().get(i), fresh.documents().get(i));
    }
  }

  private MeshResult remember(MeshResult result, MeshDeriver deriver, List<JsonNode> known,
      Map<List<Object>, String> defs) {
    previous = result;
    previousKnown = known;
    previousConsumers = deriver.consumers;
    previousDeriver = deriver;
    definitions = defs;
    lastApisDerived = deriver.apisDerived;
    lastOutcomes = deriver.outcomes;
    return result;
  }

  /**
   * Whether a re-parsed file differs from its previous version only inside APIResourceSchemas, in a
   * way that changes nothing but the APIs built from them: the same documents by kind and name, the
   * same group, kind and plural, no problems, and small enough that no size warning can appear.
   */
  private boolean schemaEditOnly(ParsedFile old, ParsedFile fresh) {
    if (!old.problems().isEmpty() || !fresh.problems().isEmpty() || old.workspace() == null
        || !old.workspace().equals(fresh.workspace()) || old.documents().size() != fresh.documents().size()) {
      return false;
    }
    for (int i = 0; i < old.documents().size(); i++) {
      MeshDoc a = old.documents().get(i);
      MeshDoc b = fresh.documents().get(i);
      if (!"APIResourceSchema".equals(b.kind()) || !"apis.kcp.io".equals(b.group())
          || !a.countKey().equals(b.countKey()) || !Objects.equals(a.name(), b.name())
          || !Objects.equals(a.workspace(), b.workspace()) || a.index() != b.index()
          || a.fileSize() > options.maxSchemaBytes() || b.fileSize() > options.maxSchemaBytes()) {
        return false;
      }
      ResourceSchema x = ResourceSchema.fromApiResourceSchema(a);
      ResourceSchema y = ResourceSchema.fromApiResourceSchema(b);
      if (!x.group().equals(y.group()) || !Objects.equals(x.kind(), y.kind()) || !Objects.equals(x.plural(), y.plural())) {
        return false;
      }
    }
    return true;
  }

  /**
   * Whether a hand-written catalog entity can change what {@link #read} derives (it may be adopted in
   * place of a derived one). A change to the catalog that touches no such entity and no mesh file
   * leaves the result as it was.
   */
  public static boolean mayAdopt(JsonNode entity) {
    return Known.mayAdopt(entity);
  }

  /** Parses in list order, or in parallel when the files allow it (many files: a first read). */
  private List<ParsedFile> parseAll(MeshFiles files, List<String> paths, List<WorkspaceLocator.Location> places) {
    List<Integer> indexes = IntStream.range(0, paths.size()).boxed().toList();
    if (!files.concurrentReads()) {
      List<ParsedFile> out = new ArrayList<>(paths.size());
      indexes.forEach(i -> out.add(parse(files, paths.get(i), places.get(i))));
      return out;
    }
    return Parallel.map(indexes, i -> parse(files, paths.get(i), places.get(i)));
  }

  private ParsedFile parse(MeshFiles files, String path, WorkspaceLocator.Location where) {
    if (where.workspace() == null) {
      return new ParsedFile(path, null, List.of(), List.of(new MeshProblem(
          MeshProblem.Severity.ERROR, where.badFolder(), -1, where.problem() + "; " + path + " is skipped")));
    }
    long size = files.size(path);
    if (size > options.maxFileBytes()) {
      return FileParser.failed(path, where.workspace(),
          "file is " + size + " bytes, over the limit of " + options.maxFileBytes() + " bytes");
    }
    byte[] bytes;
    try {
      bytes = files.read(path);
    } catch (IOException | UncheckedIOException e) {
      return FileParser.failed(path, where.workspace(), "file could not be read");
    }
    return parser.parse(path, where.workspace(), bytes);
  }
}
