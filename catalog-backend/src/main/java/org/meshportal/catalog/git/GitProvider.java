package org.meshportal.catalog.git;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import org.meshportal.catalog.processing.CatalogEngine;
import org.meshportal.catalog.service.ProcessingError;
import org.meshportal.gitsync.ChangeKind;
import org.meshportal.gitsync.ChangeSet;
import org.meshportal.gitsync.CommitReader;
import org.meshportal.gitsync.FileChange;
import org.meshportal.gitsync.SourceUrls;
import org.meshportal.mesh.MeshFiles;
import org.meshportal.mesh.MeshOptions;
import org.meshportal.mesh.MeshProblem;
import org.meshportal.mesh.MeshReader;
import org.meshportal.mesh.MeshRelation;
import org.meshportal.mesh.MeshResult;
import org.meshportal.mesh.SourceAnnotations;
import org.meshportal.model.Parallel;
import org.meshportal.model.RelationRules;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the change sets of one provider's mirror into catalog generations: Backstage descriptor
 * files reached from the entry globs, and the Platform Mesh tree, applied together as one
 * generation per commit (a snapshot on a full resync, a delta otherwise).
 *
 * <p>Keeps what every file produced, so a commit re-reads only the files it changed (and the
 * files whose placeholders read them). Caches change only after the engine accepted the
 * generation; any failure makes the next change a full re-read. Called by git-sync one change set
 * at a time; status reads come from other threads.
 */
final class GitProvider {
  private static final Logger LOG = LoggerFactory.getLogger(GitProvider.class);
  private static final int SAMPLE = 10;

  private final GitProviderConfig config;
  private final CatalogEngine engine;
  private final Clock clock;
  private final String source;
  private final RepoSource repo;
  private final CatalogFileReader fileReader;
  private final List<Predicate<String>> entryMatchers;
  private final List<String> meshRoots;
  private final MeshReader meshReader;

  // processing state, touched by the git-sync thread only
  private boolean primed;
  private Map<String, CatalogFileReader.Output> files = Map.of();
  private Set<String> entries = Set.of();
  private Set<String> meshPaths = Set.of();
  /** The list of {@link #meshPaths} last handed to the mesh reader. */
  private List<String> meshPathList;
  /** Last derived mesh entities (with relations) by ref, to tell which changed without serializing them. */
  private Map<String, ObjectNode> meshEntities = Map.of();
  private Map<String, List<ProcessingError>> meshErrors = Map.of();
  /** The last derivation's errors without descriptor warnings, and its descriptor warnings (see {@link Pass#reportDescriptors}). */
  private Map<String, List<ProcessingError>> meshOwnErrors = Map.of();
  private List<MeshProblem> meshDescriptors = List.of();
  /**
   * What the last mesh read gave, to skip per-entity work on what a patched read hands back
   * unchanged (the same instances): the ref of each entity instance, the relations list and the
   * forward edges taken from it.
   */
  private Map<ObjectNode, String> meshRefs = new IdentityHashMap<>();
  private List<MeshRelation> meshRelations;
  private Map<String, List<RelationRules.Edge>> meshEdges = Map.of();
  /** Entities of each file output the mesh reader may adopt; outputs keep their identity while unchanged. */
  private Map<CatalogFileReader.Output, List<JsonNode>> adoptable = new IdentityHashMap<>();
  /** How many file outputs hold each ref (a ref may come from two files); updated per change. */
  private Map<String, Integer> refCounts = new HashMap<>();
  /** The engine's refs of this source after the last applied change; null when not known. */
  private Set<String> appliedRefs;
  /** Location refs and mesh source annotations per path: building them runs several regexes. */
  private final Map<String, String> locations = new HashMap<>();
  private final Map<String, SourceAnnotations> annotations = new HashMap<>();

  /** Keys of the provider's state in the store, written with each generation it applies. */
  static final String COMMIT_STATE = "commit";
  static final String MIRROR_STATE = "mirror";
  static final String HELD_STATE = "held";

  /** Names the repository and branch a recorded commit belongs to; another one makes it meaningless. */
  static String mirrorKey(org.meshportal.gitsync.MirrorSpec spec) {
    return org.meshportal.gitsync.RepoUrls.repoKey(spec.url()) + "#" + spec.branch();
  }

  // status, read by other threads
  private volatile HeldDeletions held;
  private volatile String confirmedCommit;
  private volatile String appliedCommit;
  private volatile Instant appliedAt;
  private volatile long applyMillis = -1;
  private volatile long filesRead = -1;
  private volatile int entityCount;
  private volatile String lastError;

  GitProvider(GitProviderConfig config, CatalogEngine engine, org.meshportal.gitsync.Integrations integrations,
      long maxFileBytes, Clock clock) {
    this.config = config;
    this.engine = engine;
    this.clock = clock;
    this.source = "provider:" + config.providerId();
    this.repo = RepoSource.of(config.url(), config.branch(), integrations);
    this.fileReader = new CatalogFileReader(repo, source, maxFileBytes);
    this.entryMatchers = config.catalogPaths().stream().map(RepoGlobs::matcher).toList();
    List<String> roots = new ArrayList<>();
    if (config.kcpRoot() != null) {
      roots.add(trim(config.kcpRoot()));
    }
    config.kcpPathOverrides().keySet().forEach(f -> roots.add(trim(f)));
    this.meshRoots = List.copyOf(roots);
    this.meshReader = meshRoots.isEmpty() ? null : new MeshReader(MeshOptions.defaults()
        .withKcpRoot(config.kcpRoot() == null ? MeshOptions.defaults().kcpRoot() : config.kcpRoot())
        .withFolderOverrides(config.kcpPathOverrides())
        .withNamespace(config.namespace())
        .withSourceLocator(this::sourceAnnotations));
    this.entityCount = engine.refsOfSource(source).size();
  }

  GitProviderConfig config() {
    return config;
  }

  String source() {
    return source;
  }

  private String location(String path) {
    bound(locations);
    return locations.computeIfAbsent(path, repo::location);
  }

  private SourceAnnotations sourceAnnotations(String path) {
    bound(annotations);
    return annotations.computeIfAbsent(path, p -> {
      SourceUrls u = repo.urls(p);
      return new SourceAnnotations(u.managedByLocation(), u.managedByLocation(), u.sourceLocation(), u.viewUrl(),
          u.editUrl());
    });
  }

  /** Paths of deleted files stay in the memo; a repository churning through many names resets it. */
  private static void bound(Map<String, ?> memo) {
    if (memo.size() > 1_000_000) {
      memo.clear();
    }
  }

  // ---------------------------------------------------------------- status

  HeldDeletions held() {
    return held;
  }

  String appliedCommit() {
    return appliedCommit;
  }

  Instant appliedAt() {
    return appliedAt;
  }

  long applyMillis() {
    return applyMillis;
  }

  /** Files read from the commit for the last applied change (-1 before the first). */
  long filesRead() {
    return filesRead;
  }

  int entityCount() {
    return entityCount;
  }

  String lastError() {
    return lastError;
  }

  /**
   * Lets the held change through on its redelivery.
   *
   * @return the confirmed commit, or null when nothing is held
   */
  String confirmDeletions() {
    HeldDeletions h = held;
    if (h == null) {
      return null;
    }
    confirmedCommit = h.commit();
    return h.commit();
  }

  /** A confirmation made on another replica, for the commit it saw held. */
  void confirmDeletions(String commit) {
    confirmedCommit = commit;
  }

  // ---------------------------------------------------------------- processing

  /**
   * Rebuilds the per-file caches for the commit the catalog took last before this process started,
   * by processing it as a full resync (the engine writes only what differs, normally nothing). Runs
   * before the first change set, so the first commit after a restart is read incrementally instead
   * of as a full re-read.
   */
  void onResume(CommitReader processed) throws Exception {
    if (primed) {
      return;
    }
    onChange(new ChangeSet(config.id(), config.branch(), null, processed.commit(), true, List.of()), processed);
  }

  void onChange(ChangeSet change, CommitReader commit) throws Exception {
    long t0 = System.nanoTime();
    boolean full = change.fullResync() || !primed;
    PrefetchedCommitReader ahead = new PrefetchedCommitReader(commit);
    CountingCommitReader reader = new CountingCommitReader(ahead);
    try {
      Pass pass = new Pass(change, reader, ahead, full);
      pass.readCatalogFiles();
      long t1 = System.nanoTime();
      pass.readMesh();
      long t2 = System.nanoTime();
      pass.apply();
      long t3 = System.nanoTime();
      pass.commit();
      long t4 = System.nanoTime();
      filesRead = reader.reads();
      applyMillis = (t4 - t0) / 1_000_000;
      appliedCommit = change.toCommit();
      appliedAt = clock.instant();
      lastError = null;
      LOG.info("Git provider {}: applied {} ({}) in {} ms (catalog files {} ms, mesh {} ms, engine {} ms, after {} ms),"
          + " {} files read, {} entities", config.id(), shortId(change.toCommit()),
          full ? "full" : change.changes().size() + " changed paths", applyMillis, millis(t0, t1), millis(t1, t2),
          millis(t2, t3), millis(t3, t4), filesRead, entityCount);
    } catch (DeletionsHeldException e) {
      primed = false;
      lastError = e.getMessage();
      throw e;
    } catch (Exception | Error e) {
      primed = false;
      appliedRefs = null; // the mesh parse cache may be ahead of the catalog now
      lastError = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      throw e;
    }
  }

  /** One change set's work; nothing is kept unless {@link #commit()} runs. */
  private final class Pass {
    final ChangeSet change;
    /** Reads files for the parsers (thread-safe); {@link #ahead} fills it in bulk beforehand. */
    final CommitReader reader;
    final PrefetchedCommitReader ahead;
    final boolean full;
    final Set<String> dirty = new HashSet<>();
    final boolean structural;
    final Map<String, CatalogFileReader.Output> next = new LinkedHashMap<>();
    final Set<String> reread = new HashSet<>();
    final Map<String, List<String>> globs = new HashMap<>();
    Set<String> nextEntries;
    Set<String> nextMeshPaths = Set.of();
    Map<String, ObjectNode> nextMeshEntities = Map.of();
    Map<String, List<ProcessingError>> nextMeshErrors = Map.of();
    Map<String, List<ProcessingError>> nextMeshOwnErrors = Map.of();
    List<MeshProblem> nextMeshDescriptors = List.of();
    Map<ObjectNode, String> nextMeshRefs;
    List<String> nextMeshPathList;
    List<MeshRelation> nextMeshRelations;
    Map<String, List<RelationRules.Edge>> nextMeshEdges;
    final Map<CatalogFileReader.Output, List<JsonNode>> nextAdoptable = new IdentityHashMap<>();
    /** Ref counts of all outputs after a full look, or the change to them after an incremental one. */
    Map<String, Integer> nextRefCounts;
    boolean countsAreDelta;
    List<String> dropped;
    /** The mesh tree was derived again (else its entities and errors are those of the last change). */
    boolean meshDerived;
    final List<ObjectNode> meshUpserts = new ArrayList<>();

    Pass(ChangeSet change, CommitReader reader, PrefetchedCommitReader ahead, boolean full) {
      this.change = change;
      this.reader = reader;
      this.ahead = ahead;
      this.full = full;
      boolean moves = false;
      for (FileChange c : change.changes()) {
        if (c.oldPath() != null) {
          dirty.add(c.oldPath());
        }
        if (c.newPath() != null) {
          dirty.add(c.newPath());
        }
        moves |= c.kind() != ChangeKind.MODIFIED;
      }
      this.structural = full || moves;
    }

    /**
     * Follows Location targets from the entry files breadth-first. Each level's files are read in
     * one batch and parsed in parallel, then taken in queue order, so the result (which origin
     * claims a file first, the order of outputs) is that of reading them one by one.
     */
    void readCatalogFiles() {
      nextEntries = full ? listEntries() : updated(entries, p -> entryMatchers.stream().anyMatch(m -> m.test(p)));
      List<String[]> level = new ArrayList<>();
      new TreeSet<>(nextEntries).forEach(e -> level.add(new String[] {e, e}));
      while (!level.isEmpty()) {
        Map<String, String> origins = new LinkedHashMap<>();
        for (String[] item : level) {
          if (!next.containsKey(item[0])) {
            origins.putIfAbsent(item[0], item[1]);
          }
        }
        List<String> toRead = new ArrayList<>();
        origins.forEach((path, origin) -> {
          CatalogFileReader.Output cached = full ? null : files.get(path);
          if (cached == null || dirty.contains(path) || !cached.origin().equals(origin)
              || cached.dependencies().stream().anyMatch(dirty::contains)) {
            toRead.add(path);
          }
        });
        if (toRead.size() > 1) {
          ahead.prefetch(toRead);
        }
        List<CatalogFileReader.Output> read = Parallel.map(toRead, path -> readFile(path, origins.get(path)));
        Map<String, CatalogFileReader.Output> fresh = new HashMap<>();
        for (int i = 0; i < toRead.size(); i++) {
          fresh.put(toRead.get(i), read.get(i));
        }
        level.clear();
        origins.forEach((path, origin) -> {
          CatalogFileReader.Output out = fresh.get(path);
          if (out != null) {
            reread.add(path);
          } else {
            out = files.get(path);
          }
          next.put(path, out);
          for (String target : out.targets()) {
            for (String p : RepoGlobs.isGlob(target) ? expand(target) : List.of(target)) {
              level.add(new String[] {p, origin});
            }
          }
        });
      }
      ahead.forget();
    }

    private CatalogFileReader.Output readFile(String path, String origin) {
      CatalogFileReader.Output out = fileReader.read(reader, path, origin, false);
      CatalogFileReader.Output before = files.get(path);
      if (out.failed() && before != null) {
        // a file that no longer reads keeps what it produced before, with the new errors
        out = new CatalogFileReader.Output(path, origin, before.entities(), out.errors(), before.failedRefs(),
            before.targets(), before.dependencies(), true);
      }
      return out;
    }

    private Set<String> listEntries() {
      Set<String> out = new TreeSet<>();
      config.catalogPaths().forEach(g -> out.addAll(reader.list(g)));
      return out;
    }

    private List<String> expand(String glob) {
      if (!structural) {
        // no file came or went: a glob matches what it matched before
        List<String> before = new ArrayList<>();
        Predicate<String> m = RepoGlobs.matcher(glob);
        files.keySet().stream().filter(m).sorted().forEach(before::add);
        return before;
      }
      return globs.computeIfAbsent(glob, reader::list);
    }

    private Set<String> updated(Set<String> before, Predicate<String> wanted) {
      Set<String> out = new TreeSet<>(before);
      for (FileChange c : change.changes()) {
        if (c.kind() == ChangeKind.DELETED || c.kind() == ChangeKind.RENAMED) {
          out.remove(c.oldPath());
        }
        if (c.newPath() != null && wanted.test(c.newPath())) {
          out.add(c.newPath());
        }
      }
      return out;
    }

    void readMesh() {
      if (meshReader == null) {
        return;
      }
      if (!full && !meshAffected()) {
        nextMeshPaths = meshPaths;
        nextMeshEntities = meshEntities;
        nextMeshOwnErrors = meshOwnErrors;
        nextMeshDescriptors = meshDescriptors;
        reportDescriptors();
        return;
      }
      meshDerived = true;
      List<String> listed;
      if (structural || meshPathList == null) {
        nextMeshPaths = full ? listMesh() : updated(meshPaths, this::underMeshRoot);
        listed = List.copyOf(nextMeshPaths);
      } else {
        // no path came or went: the same list again, which tells the reader so
        nextMeshPaths = meshPaths;
        listed = meshPathList;
      }
      nextMeshPathList = listed;
      if (full) {
        ahead.prefetch(listed); // every file is parsed: one pass over the tree instead of a lookup each
      }
      MeshFiles meshFiles = new MeshFiles() {
        @Override
        public List<String> list() {
          return listed;
        }

        @Override
        public byte[] read(String path) throws IOException {
          return reader.read(path).orElseThrow(() -> new IOException("no such file: " + path));
        }

        @Override
        public boolean concurrentReads() {
          return true;
        }
      };
      List<JsonNode> known = new ArrayList<>();
      next.values().forEach(o -> known.addAll(adoptable(o)));
      MeshResult result = meshReader.read(meshFiles, full ? null : dirty, known);
      ahead.forget();
      // a patched read hands back the previous relations and most entities as they were
      boolean sameRelations = !full && result.relations() == meshRelations;
      Map<String, List<RelationRules.Edge>> edges = sameRelations ? meshEdges : forwardEdges(result.relations());
      Map<String, ObjectNode> derived = new LinkedHashMap<>();
      Map<ObjectNode, String> refs = new IdentityHashMap<>();
      for (ObjectNode entity : result.entities()) {
        String seen = sameRelations ? meshRefs.get(entity) : null;
        String ref = seen != null ? seen : CatalogFileReader.refOf(entity);
        refs.put(entity, ref);
        if (seen != null && meshEntities.get(ref) == entity) {
          // the same instance under the same relations: it already carries them and is unchanged
          derived.put(ref, entity);
          continue;
        }
        List<RelationRules.Edge> own = edges.getOrDefault(ref, List.of());
        if (!own.isEmpty()) {
          ArrayNode relations = entity.putArray("relations");
          own.forEach(e -> relations.addObject().put("type", e.forward()).put("targetRef", e.target()));
        }
        derived.put(ref, entity);
        ObjectNode before = meshEntities.get(ref);
        // deep equality of the trees: far cheaper than serializing every entity to compare hashes
        if (full || before == null || !before.equals(entity)) {
          meshUpserts.add(entity);
        }
      }
      Map<String, List<ProcessingError>> errors = new HashMap<>();
      for (MeshProblem p : result.problems()) {
        // warnings are listed too (a schema an API names that is not in the repository, a binding to an
        // unknown export), and shown on the derived entity they are about when that entity is emitted
        String location = location(p.file());
        String about = p.entityRef() != null && derived.containsKey(p.entityRef()) ? p.entityRef() : null;
        errors.computeIfAbsent(location, l -> new ArrayList<>()).add(new ProcessingError(source, location,
            p.document() >= 0 ? p.document() : null, about, "InputError", p.message(),
            p.isError() ? ProcessingError.ERROR : ProcessingError.WARNING, about));
      }
      nextMeshEntities = derived;
      nextMeshOwnErrors = errors;
      nextMeshDescriptors = result.descriptors();
      reportDescriptors();
      nextMeshRefs = refs;
      nextMeshRelations = result.relations();
      nextMeshEdges = edges;
    }

    /**
     * The mesh errors of this change: the derivation's own, plus a warning for each Backstage
     * descriptor in the kcp tree whose file no catalog location reads (a file that is read yields
     * entities or errors of its own). Worked out on every change, as catalog files come and go
     * without the mesh being derived again.
     */
    private void reportDescriptors() {
      if (nextMeshDescriptors.isEmpty()) {
        nextMeshErrors = nextMeshOwnErrors;
        return;
      }
      Map<String, List<ProcessingError>> errors = new HashMap<>();
      nextMeshOwnErrors.forEach((location, list) -> errors.put(location, new ArrayList<>(list)));
      for (MeshProblem p : nextMeshDescriptors) {
        if (!next.containsKey(p.file())) {
          String location = location(p.file());
          errors.computeIfAbsent(location, l -> new ArrayList<>()).add(new ProcessingError(source, location,
              p.document(), null, "InputError", p.message(), ProcessingError.WARNING, null));
        }
      }
      nextMeshErrors = errors;
    }

    /** The output's entities the mesh reader may adopt, taken once per output. */
    private List<JsonNode> adoptable(CatalogFileReader.Output output) {
      List<JsonNode> list = nextAdoptable.get(output);
      if (list == null) {
        list = adoptable.get(output);
        if (list == null) {
          list = new ArrayList<>(0);
          for (ObjectNode e : output.entities()) {
            if (MeshReader.mayAdopt(e)) {
              list.add(e);
            }
          }
        }
        nextAdoptable.put(output, list);
      }
      return list;
    }

    /**
     * Whether this change can alter what the mesh reader derives: a changed path under a mesh
     * root, or a catalog file re-read or dropped that holds (or held) an entity the reader may adopt.
     */
    private boolean meshAffected() {
      for (String path : dirty) {
        if (underMeshRoot(path)) {
          return true;
        }
      }
      for (String path : reread) {
        if (mayAdoptAny(files.get(path)) || mayAdoptAny(next.get(path))) {
          return true;
        }
      }
      for (Map.Entry<String, CatalogFileReader.Output> e : files.entrySet()) {
        if (!next.containsKey(e.getKey()) && mayAdoptAny(e.getValue())) {
          return true;
        }
      }
      return false;
    }

    private boolean mayAdoptAny(CatalogFileReader.Output output) {
      return output != null && !adoptable(output).isEmpty();
    }

    private Set<String> listMesh() {
      Set<String> out = new TreeSet<>();
      meshRoots.forEach(root -> out.addAll(reader.list(root.isEmpty() ? "**" : root + "/**")));
      return out;
    }

    private boolean underMeshRoot(String path) {
      return meshRoots.stream().anyMatch(r -> r.isEmpty() || path.startsWith(r + "/"));
    }

    void apply() throws DeletionsHeldException {
      Set<String> current = full || appliedRefs == null ? engine.refsOfSource(source) : appliedRefs;
      List<String> deletes = full || appliedRefs == null ? deletesOfAll(current) : deletesOfChange(current);
      guard(current.size(), deletes);

      Map<String, String> state = new HashMap<>();
      state.put(COMMIT_STATE, change.toCommit());
      state.put(MIRROR_STATE, mirrorKey(config.mirrorSpec()));
      state.put(HELD_STATE, null); // whatever was held is decided by this commit
      if (full) {
        List<ObjectNode> all = new ArrayList<>();
        next.values().forEach(o -> all.addAll(o.entities()));
        all.addAll(nextMeshEntities.values());
        List<ProcessingError> errors = new ArrayList<>();
        next.values().forEach(o -> errors.addAll(o.errors()));
        nextMeshErrors.values().forEach(errors::addAll);
        engine.applyProviderSnapshot(config.providerId(), all, errors, state);
        return;
      }
      List<ObjectNode> upserts = new ArrayList<>();
      for (CatalogFileReader.Output o : next.values()) {
        if (reread.contains(o.path())) {
          upserts.addAll(o.entities()); // in reading order: of two files with one ref, the first wins
        }
      }
      upserts.addAll(meshUpserts);
      Set<String> touched = new HashSet<>();
      reread.forEach(p -> touched.add(location(p)));
      dropped().forEach(p -> touched.add(location(p)));
      if (meshDerived) {
        touched.addAll(meshErrors.keySet());
        touched.addAll(nextMeshErrors.keySet());
      } else if (nextMeshErrors != meshErrors) {
        // descriptor warnings change with the catalog files that read them
        Set<String> all = new HashSet<>(meshErrors.keySet());
        all.addAll(nextMeshErrors.keySet());
        all.stream().filter(l -> !java.util.Objects.equals(meshErrors.get(l), nextMeshErrors.get(l))).forEach(touched::add);
      }
      List<ProcessingError> errors = new ArrayList<>();
      for (CatalogFileReader.Output o : next.values()) {
        if (!o.errors().isEmpty() && touched.contains(location(o.path()))) {
          errors.addAll(o.errors());
        }
      }
      // untouched locations keep their errors in the engine; a touched one gets all of its errors again
      nextMeshErrors.forEach((location, list) -> {
        if (touched.contains(location)) {
          errors.addAll(list);
        }
      });
      engine.applyProviderDelta(config.providerId(), upserts, deletes, touched, errors, state);
    }

    /** Refs the source holds that nothing produces now, looking at every output. */
    private List<String> deletesOfAll(Set<String> current) {
      nextRefCounts = new HashMap<>();
      countsAreDelta = false;
      for (CatalogFileReader.Output o : next.values()) {
        o.refs().forEach(r -> nextRefCounts.merge(r, 1, Integer::sum));
      }
      return current.stream()
          .filter(r -> !nextRefCounts.containsKey(r) && !nextMeshEntities.containsKey(r))
          .sorted().toList();
    }

    /**
     * The same as {@link #deletesOfAll} when the previous change was applied: only refs of re-read or
     * dropped files and of the previous mesh entities can have gone, unless another file still holds them.
     */
    private List<String> deletesOfChange(Set<String> current) {
      Map<String, Integer> counts = new HashMap<>();
      for (String path : reread) {
        CatalogFileReader.Output before = files.get(path);
        if (before != null) {
          before.refs().forEach(r -> counts.merge(r, -1, Integer::sum));
        }
        next.get(path).refs().forEach(r -> counts.merge(r, 1, Integer::sum));
      }
      dropped().forEach(path -> files.get(path).refs().forEach(r -> counts.merge(r, -1, Integer::sum)));
      Set<String> candidates = new HashSet<>(counts.keySet());
      if (meshDerived) {
        candidates.addAll(meshEntities.keySet());
      }
      nextRefCounts = counts; // the delta; commit() folds it into refCounts
      countsAreDelta = true;
      Set<String> gone = new TreeSet<>();
      for (String ref : candidates) {
        int held = refCounts.getOrDefault(ref, 0) + counts.getOrDefault(ref, 0);
        if (held <= 0 && !nextMeshEntities.containsKey(ref) && current.contains(ref)) {
          gone.add(ref);
        }
      }
      return List.copyOf(gone);
    }

    /** Files read by the last change and not by this one. */
    private List<String> dropped() {
      if (dropped == null) {
        dropped = files.keySet().stream().filter(p -> !next.containsKey(p)).toList();
      }
      return dropped;
    }

    private void guard(int current, List<String> deletes) throws DeletionsHeldException {
      if (current == 0 || deletes.size() <= config.maxDeletionShare() * current
          || change.toCommit().equals(confirmedCommit)) {
        return;
      }
      held = new HeldDeletions(change.toCommit(), deletes.size(), current,
          deletes.subList(0, Math.min(SAMPLE, deletes.size())), clock.instant());
      recordHeld(held);
      throw new DeletionsHeldException("Commit " + shortId(change.toCommit()) + " would delete " + deletes.size()
          + " of " + current + " entities, more than the allowed share of " + config.maxDeletionShare()
          + "; held until the next commit or POST .../confirm-deletions");
    }

    void commit() {
      if (full) {
        adoptable = new IdentityHashMap<>();
      } else {
        // unchanged outputs keep their entry; replaced (re-read) and dropped ones go
        for (String path : reread) {
          CatalogFileReader.Output before = files.get(path);
          if (before != null) {
            adoptable.remove(before);
          }
        }
        dropped().forEach(path -> adoptable.remove(files.get(path)));
      }
      nextAdoptable.forEach((output, list) -> {
        if (next.get(output.path()) == output) {
          adoptable.put(output, list);
        }
      });
      if (nextRefCounts != null && countsAreDelta) {
        nextRefCounts.forEach((ref, change) -> {
          int n = refCounts.getOrDefault(ref, 0) + change;
          if (n > 0) {
            refCounts.put(ref, n);
          } else {
            refCounts.remove(ref);
          }
        });
      } else if (nextRefCounts != null) {
        refCounts = nextRefCounts;
      }
      files = next;
      entries = nextEntries;
      meshPaths = nextMeshPaths;
      meshEntities = nextMeshEntities;
      meshErrors = nextMeshErrors;
      meshOwnErrors = nextMeshOwnErrors;
      meshDescriptors = nextMeshDescriptors;
      if (meshDerived) {
        meshPathList = nextMeshPathList;
        meshRefs = nextMeshRefs;
        meshRelations = nextMeshRelations;
        meshEdges = nextMeshEdges;
      }
      primed = true;
      held = null;
      confirmedCommit = null;
      appliedRefs = engine.refsOfSource(source);
      entityCount = appliedRefs.size();
    }
  }

  /** Writes the hold into the store once per held commit, so every replica shows it and a new leader keeps it. */
  private void recordHeld(HeldDeletions h) {
    boolean recorded = engine.sourceState(source, HELD_STATE).map(HeldDeletions::decode)
        .map(stored -> stored.commit().equals(h.commit())).orElse(false);
    if (!recorded) {
      Map<String, String> state = new HashMap<>();
      state.put(HELD_STATE, h.encode());
      engine.applyProviderState(config.providerId(), state);
    }
  }

  /**
   * The mesh result lists both directions of each edge; the engine stores the forward one on its
   * source and derives the reverse, so of a mirrored pair only one is kept.
   */
  private static Map<String, List<RelationRules.Edge>> forwardEdges(Collection<MeshRelation> relations) {
    Set<String> present = new HashSet<>();
    relations.forEach(r -> present.add(r.sourceRef() + "\t" + r.type() + "\t" + r.targetRef()));
    Map<String, List<RelationRules.Edge>> out = new HashMap<>();
    for (MeshRelation r : relations) {
      String reverse;
      try {
        reverse = RelationRules.reverseOf(r.type());
      } catch (IllegalArgumentException e) {
        continue;
      }
      boolean mirrored = present.contains(r.targetRef() + "\t" + reverse + "\t" + r.sourceRef());
      if (mirrored && r.type().compareTo(reverse) < 0) {
        continue;
      }
      out.computeIfAbsent(r.sourceRef(), s -> new ArrayList<>())
          .add(new RelationRules.Edge(r.sourceRef(), r.type(), r.targetRef(), reverse));
    }
    return out;
  }

  private static String trim(String folder) {
    return folder.replaceAll("^(\\./|/)+", "").replaceAll("/+$", "");
  }

  private static long millis(long fromNanos, long toNanos) {
    return (toNanos - fromNanos) / 1_000_000;
  }

  static String shortId(String commit) {
    return commit == null ? null : commit.substring(0, Math.min(12, commit.length()));
  }
}
