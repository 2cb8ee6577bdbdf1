package org.meshportal.catalog.processing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.locks.ReentrantLock;
import org.meshportal.catalog.service.ProcessingError;
import org.meshportal.catalog.access.AccessPolicy;
import org.meshportal.catalog.store.CatalogStore;
import org.meshportal.catalog.store.ChangeBatch;
import org.meshportal.catalog.store.StaleGenerationException;
import org.meshportal.catalog.store.WriteFence;
import org.meshportal.catalog.store.EntityRecord;
import org.meshportal.catalog.store.ErrorRecord;
import org.meshportal.catalog.store.LocationRecord;
import org.meshportal.catalog.store.StoreBatch;
import org.meshportal.indexer.EntityIndex;
import org.meshportal.indexer.EntityUpsert;
import org.meshportal.model.Entities;
import org.meshportal.model.EntityPolicy;
import org.meshportal.model.Parallel;
import org.meshportal.model.Relation;
import org.meshportal.model.RelationRules;
import org.meshportal.model.errors.InputException;

/**
 * The processing core: turns what a source emits into a generation (upserts, deletes, errors),
 * stitches relations, writes the generation to the store and then to the index.
 *
 * <p>Generations are serialized by one lock; memory holds refs, uids, hashes, edges and parents
 * only, bodies live in the store and the index.
 *
 * <p>Several processes may share one store. Each engine then follows the store's change log
 * ({@link #catchUp}); a write takes the store's write session (the processes take turns), catches
 * up, decides and commits, so every write is applied once on the newest state. Git providers run
 * on the leader only and carry its lease term as a fence: a leader that lost its lease cannot
 * commit.
 */
public final class CatalogEngine {
  public static final String CONFIG_SOURCE = "config";
  private static final String PROCESSING_STATUS_TYPE = "backstage.io/catalog-processing";

  private final CatalogStore store;
  private final EntityIndex index;
  private final ProcessingSettings settings;
  private final AccessPolicy access;
  private final EntityPolicy policy;
  private final LocationReader reader;
  private final ObjectMapper json = new ObjectMapper();
  private final ReentrantLock lock = new ReentrantLock();
  /** The store write session of the write in progress; used under the lock only. */
  private CatalogStore.WriteSession session;
  /** The store generation memory and index reflect; written under the lock. */
  private volatile long generation = -1;
  /** The fence of leader-only (Git provider) writes; null where the store has no other writers. */
  private volatile java.util.function.Supplier<WriteFence> providerFence = () -> null;
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CatalogEngine.class);

  // written under the lock only; concurrent maps so that reads need no lock
  private final Map<String, EntityState> entities = new java.util.concurrent.ConcurrentHashMap<>();
  /** target ref → refs of the entities with an edge to it. */
  private final Map<String, Set<String>> incoming = new HashMap<>();
  private final Map<String, Set<String>> refsBySource = new HashMap<>();
  private final Map<String, List<ErrorRecord>> errorsBySource = new java.util.concurrent.ConcurrentHashMap<>();
  /** entity ref → errors shown in its status.items. */
  private final Map<String, List<ErrorRecord>> statusByRef = new HashMap<>();

  /**
   * @param urlReader reads {@code url} targets; null when none is installed
   * @param access what locations and placeholders may read
   */
  public CatalogEngine(CatalogStore store, EntityIndex index, ProcessingSettings settings, UrlReader urlReader,
      AccessPolicy access) {
    this.store = Objects.requireNonNull(store, "store");
    this.index = Objects.requireNonNull(index, "index");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.access = Objects.requireNonNull(access, "access");
    this.policy = new EntityPolicy(settings.allowedKinds());
    this.reader = new LocationReader(settings, policy, urlReader, access);
  }

  /**
   * Refuses, with {@code NotAllowedError}, a location whose target the server may not read; a
   * glob is judged by the directory it walks. Registrations call this before anything is stored.
   */
  public void checkReadable(String type, String target) {
    if ("url".equals(type)) {
      access.checkUrlRead(target);
    } else if ("file".equals(type)) {
      String plain = target;
      int wildcard = firstWildcard(target);
      if (wildcard >= 0) {
        int slash = target.lastIndexOf('/', wildcard);
        plain = slash < 0 ? "" : slash == 0 ? "/" : target.substring(0, slash);
      }
      try {
        access.checkFileRead(java.nio.file.Path.of(plain));
      } catch (java.nio.file.InvalidPathException e) {
        throw new org.meshportal.model.errors.InputException("Location target " + target + " is not a valid path");
      }
    }
  }

  private static int firstWildcard(String target) {
    int first = -1;
    for (char c : new char[] {'*', '?', '[', '{'}) {
      int i = target.indexOf(c);
      if (i >= 0 && (first < 0 || i < first)) {
        first = i;
      }
    }
    return first;
  }

  public ProcessingSettings settings() {
    return settings;
  }

  /**
   * Loads the engine state from the store and brings the index to the store's generation (from the
   * change log where it reaches back to the index's generation, else by a rebuild), then processes
   * the static config locations.
   */
  public void start() {
    lock.lock();
    try {
      long indexGeneration = index.storeGeneration();
      long loaded = reload(false);
      if (indexGeneration != loaded) {
        Optional<ChangeBatch> changes =
            indexGeneration >= 0 && indexGeneration < loaded ? store.changesSince(indexGeneration) : Optional.empty();
        if (changes.isPresent()) {
          LOG.info("Index generation {} is behind store generation {}: applying {} changed entities",
              indexGeneration, loaded, changes.get().upserts().size() + changes.get().deletes().size());
          applyChanges(changes.get());
        } else {
          LOG.info("Index generation {} differs from store generation {}: rebuilding the index", indexGeneration,
              loaded);
          reload(true);
        }
      }
    } finally {
      lock.unlock();
    }
    refreshSource(CONFIG_SOURCE);
  }

  /**
   * Replaces the memory state with one snapshot of the store, and the index too when
   * {@code withIndex}; returns the snapshot's generation.
   */
  private long reload(boolean withIndex) {
    entities.clear();
    incoming.clear();
    refsBySource.clear();
    errorsBySource.clear();
    statusByRef.clear();
    List<JsonNode> bodies = new ArrayList<>();
    long loaded = store.snapshot(withIndex, r -> {
      putState(stateOf(r), null);
      if (withIndex) {
        bodies.add(parse(r.body()));
      }
    }, e -> errorsBySource.computeIfAbsent(e.source(), s -> new ArrayList<>()).add(e));
    errorsBySource.replaceAll((source, list) -> List.copyOf(list));
    errorsBySource.values().forEach(this::indexStatus);
    if (withIndex) {
      index.replaceAll(bodies, loaded);
    }
    generation = loaded;
    return loaded;
  }

  private static EntityState stateOf(EntityRecord r) {
    return new EntityState(r.ref(), r.uid(), r.source(), r.hash(), r.file(), r.parents(),
        EntityState.decodeEdges(r.edges()), r.orphan());
  }

  // ---------------------------------------------------------------- other writers

  /**
   * Makes leader-only writes (those of Git providers) carry {@code fence}'s current value; the
   * store refuses them once that lease term has ended. A null value means "not the leader".
   */
  public void fenceProviderWrites(java.util.function.Supplier<WriteFence> fence) {
    this.providerFence = Objects.requireNonNull(fence, "fence");
  }

  /** The store generation this engine's memory and index reflect. */
  public long appliedGeneration() {
    return generation;
  }

  /**
   * Applies what other processes committed to the store since this engine's generation: memory
   * and index then reflect the store's newest generation. Cheap when nothing changed.
   */
  public void catchUp() {
    lock.lock();
    try {
      catchUpLocked();
    } finally {
      lock.unlock();
    }
  }

  private void catchUpLocked() {
    if (!store.sharedByReplicas() || store.generation() == generation) {
      return;
    }
    Optional<ChangeBatch> changes = store.changesSince(generation);
    if (changes.isPresent()) {
      applyChanges(changes.get());
    } else {
      LOG.info("The store's change log no longer reaches back to generation {}: reloading the catalog", generation);
      reload(true);
    }
  }

  private void applyChanges(ChangeBatch changes) {
    List<EntityUpsert> upserts = new ArrayList<>(changes.upserts().size());
    for (EntityRecord r : changes.upserts()) {
      putState(stateOf(r), entities.get(r.ref()));
      upserts.add(new EntityUpsert(parse(r.body()), r.body()));
    }
    for (String ref : changes.deletes()) {
      EntityState prev = entities.get(ref);
      if (prev != null) {
        putState(null, prev);
      }
    }
    changes.errors().forEach(this::replaceErrorsInMemory);
    index.applyAfterStore(upserts, changes.deletes(), changes::generation);
    generation = changes.generation();
  }

  /**
   * Runs a write: under this engine's lock and the store's write session (which holds off the
   * writers of other processes), after catching up with what they committed, so the write
   * decides on the newest state and its commit cannot be stale.
   */
  private void write(Runnable body) {
    lock.lock();
    try (CatalogStore.WriteSession s = store.beginWrite()) {
      session = s;
      catchUpLocked();
      body.run();
    } finally {
      session = null;
      lock.unlock();
    }
  }

  // ---------------------------------------------------------------- sources

  /** Re-reads a source ({@code location:<id>} or {@code config}) and applies the result. */
  public void refreshSource(String source) {
    write(() -> {
      if (source.equals(CONFIG_SOURCE)) {
        List<LocationReader.Root> roots = settings.configLocations().stream()
            .map(c -> new LocationReader.Root(c.type(), absoluteTarget(c.type(), c.target()), null))
            .toList();
        apply(source, reader.read(source, roots), true, List.of(), new StoreBatch(), false);
      } else if (source.startsWith("location:")) {
        Optional<LocationRecord> location = store.location(source.substring("location:".length()));
        if (location.isPresent()) {
          apply(source, readLocation(source, location.get()), true, List.of(), new StoreBatch(), false);
        }
      }
    });
  }

  /**
   * Re-reads the sources of {@code url} locations (registered ones whose target {@code matches},
   * and the config source when one of its url locations does): what a schedule or a webhook for
   * their repository asks for.
   */
  public void refreshUrlLocations(java.util.function.Predicate<String> matches) {
    if (settings.configLocations().stream().anyMatch(c -> c.type().equals("url") && matches.test(c.target()))) {
      refreshSource(CONFIG_SOURCE);
    }
    for (LocationRecord l : store.locations()) {
      if (l.type().equals("url") && matches.test(l.target())) {
        refreshSource(sourceOf(l.id()));
      }
    }
  }

  /** Re-reads every registered location and the config locations. */
  public void refreshAll() {
    refreshSource(CONFIG_SOURCE);
    for (LocationRecord l : store.locations()) {
      refreshSource(sourceOf(l.id()));
    }
  }

  /** Refreshes the source that owns the entity; unknown refs are ignored. */
  public void refreshEntity(String canonicalRef) {
    EntityState state = entities.get(canonicalRef);
    if (state != null) {
      refreshSource(state.source());
    }
  }

  static String sourceOf(String locationId) {
    return "location:" + locationId;
  }

  private static String absoluteTarget(String type, String target) {
    return type.equals("file") ? java.nio.file.Path.of(target).toAbsolutePath().normalize().toString() : target;
  }

  private SourceOutput readLocation(String source, LocationRecord location) {
    return reader.read(source, List.of(new LocationReader.Root(location.type(), location.target(), null)));
  }

  /** Registers (or replaces) a location row and processes it in the same generation. */
  void saveLocation(LocationRecord location) {
    write(() -> {
      String source = sourceOf(location.id());
      SourceOutput out = readLocation(source, location);
      apply(source, out, true, List.of(), new StoreBatch().upsertLocation(location), false);
    });
  }

  /** Unregisters a location and deletes everything it produced, whatever the orphan strategy. */
  void removeLocation(String id) {
    write(() -> {
      String source = sourceOf(id);
      StoreBatch batch = new StoreBatch().deleteLocation(id).deleteSource(source);
      apply(source, SourceOutput.empty(), true, List.of(), batch, true);
    });
  }

  /**
   * Processes a location without storing anything.
   *
   * @return every entity it emits, the Location entity first
   * @throws InputException for processing failures and duplicate refs
   */
  List<JsonNode> dryRun(String type, String target) {
    SourceOutput out = reader.read("dry-run", List.of(new LocationReader.Root(type, target, null)));
    if (!out.errors().isEmpty()) {
      List<String> messages = out.errors().stream().map(e -> e.name() + ": " + e.message()).toList();
      throw new InputException(String.join("; ", messages));
    }
    Set<String> seen = new HashSet<>();
    List<JsonNode> result = new ArrayList<>();
    for (EmittedEntity e : out.entities()) {
      if (!seen.add(e.ref())) {
        throw new InputException("Duplicate nested entity: " + e.ref());
      }
      List<EntityState.Edge> edges;
      try {
        edges = EntityState.edgesOf(RelationRules.edges(e.entity()));
      } catch (IllegalArgumentException ex) {
        throw new InputException(e.ref() + ": " + ex.getMessage());
      }
      ObjectNode entity = e.entity();
      ArrayNode relations = entity.putArray("relations");
      new TreeSet<>(edges.stream().map(x -> new Relation(x.type(), x.target())).toList())
          .forEach(r -> relations.addObject().put("type", r.type()).put("targetRef", r.targetRef()));
      result.add(entity);
    }
    return result;
  }

  // ---------------------------------------------------------------- providers

  /** Replaces everything provider {@code providerId} produced with this full set. */
  public void applyProviderSnapshot(
      String providerId, List<? extends JsonNode> entities, List<ProcessingError> errors, Map<String, String> state) {
    String source = "provider:" + providerId;
    write(() -> {
      SourceOutput out = providerOutput(source, entities, errors);
      StoreBatch batch = new StoreBatch();
      state.forEach((k, v) -> batch.putSourceState(source, k, v));
      apply(source, out, true, List.of(), batch, false);
    });
  }

  /**
   * Applies a change to what provider {@code providerId} produced: upserts, deleted refs, and
   * the errors of {@code touchedFiles} (replaced by {@code errors}; other files keep theirs).
   */
  public void applyProviderDelta(
      String providerId, List<? extends JsonNode> upserts, Collection<String> deletedRefs, Set<String> touchedFiles,
      List<ProcessingError> errors, Map<String, String> state) {
    String source = "provider:" + providerId;
    write(() -> {
      SourceOutput out = providerOutput(source, upserts, errors);
      Set<String> touched = new HashSet<>(touchedFiles);
      errors.forEach(e -> touched.add(e.location()));
      List<ErrorRecord> kept = errorsBySource.getOrDefault(source, List.of()).stream()
          .filter(e -> !touched.contains(e.location()))
          .toList();
      out.errors().addAll(0, kept);
      StoreBatch batch = new StoreBatch();
      state.forEach((k, v) -> batch.putSourceState(source, k, v));
      List<String> deletes = deletedRefs.stream().map(r -> r.toLowerCase(java.util.Locale.ROOT)).toList();
      apply(source, out, false, deletes, batch, false);
    });
  }

  /** Records provider state without changing its entities or errors (e.g. a commit held back). */
  public void applyProviderState(String providerId, Map<String, String> state) {
    String source = "provider:" + providerId;
    write(() -> {
      SourceOutput out = SourceOutput.empty();
      out.errors().addAll(errorsBySource.getOrDefault(source, List.of()));
      StoreBatch batch = new StoreBatch();
      state.forEach((k, v) -> batch.putSourceState(source, k, v));
      apply(source, out, false, List.of(), batch, false);
    });
  }

  /** Canonical refs of every entity {@code source} currently owns (a copy). */
  public Set<String> refsOfSource(String source) {
    lock.lock();
    try {
      return new HashSet<>(refsBySource.getOrDefault(source, Set.of()));
    } finally {
      lock.unlock();
    }
  }

  public Optional<String> sourceState(String source, String key) {
    return store.sourceState(source, key);
  }

  private SourceOutput providerOutput(String source, List<? extends JsonNode> input, List<ProcessingError> errors) {
    SourceOutput out = SourceOutput.empty();
    for (ProcessingError e : errors) {
      out.errors().add(new ErrorRecord(source, e.location(), e.documentIndex(), e.entityRef(), e.attachedTo(), e.name(),
          e.message(), e.level()));
      if (e.entityRef() != null && !e.isWarning()) {
        // the provider found the entity but could not read it: its last good version stays
        out.failedRefs().add(e.entityRef().toLowerCase(java.util.Locale.ROOT));
      }
    }
    // copying and validating needs no engine state: done in parallel, merged in input order
    List<ProviderEntity> checked = Parallel.map(input, node -> checkProviderEntity(source, node));
    for (ProviderEntity c : checked) {
      out.errors().addAll(c.errors());
      if (c.failedRef() != null) {
        out.failedRefs().add(c.failedRef());
      }
      if (c.emitted() != null) {
        out.entities().add(c.emitted());
      }
    }
    return out;
  }

  /** One provider entity: ready to emit, or its errors (and the ref whose last good version stays). */
  private record ProviderEntity(EmittedEntity emitted, List<ErrorRecord> errors, String failedRef) {}

  private ProviderEntity checkProviderEntity(String source, JsonNode node) {
    if (!(node instanceof ObjectNode entity)) {
      return new ProviderEntity(null,
          List.of(new ErrorRecord(source, null, null, null, null, "InputError", "Provider entity is not an object")), null);
    }
    ObjectNode copy = copyForProcessing(entity);
    String file = Entities.annotation(copy, Annotations.MANAGED_BY_LOCATION);
    List<RelationRules.Edge> extraEdges;
    try {
      extraEdges = ProviderRelations.take(copy);
    } catch (RuntimeException e) {
      return new ProviderEntity(null,
          List.of(new ErrorRecord(source, file, null, null, null, "InputError", e.getMessage())), null);
    }
    List<EntityPolicy.Problem> problems = policy.validate(copy);
    if (!problems.isEmpty()) {
      String ref = Entities.name(copy).isEmpty() ? null : Entities.ref(copy).canonical();
      List<ErrorRecord> errors = new ArrayList<>(problems.size());
      problems.forEach(p -> errors.add(new ErrorRecord(source, file, null, ref, null, p.name(), p.message())));
      return new ProviderEntity(null, errors, ref);
    }
    policy.normalize(copy);
    return new ProviderEntity(new EmittedEntity(copy, Entities.ref(copy).canonical(), List.of(), file, extraEdges),
        List.of(), null);
  }

  /**
   * A copy that processing may change without touching the provider's tree (providers keep what
   * they emitted, to compare with the next commit). Processing changes only the top level, the
   * metadata, its annotations and arrays in spec (sorted by normalisation); other subtrees are
   * shared, read-only, which keeps a bulk apply's memory and time down.
   */
  static ObjectNode copyForProcessing(ObjectNode entity) {
    ObjectNode copy = shallowCopy(entity);
    if (copy.get("metadata") instanceof ObjectNode metadata) {
      ObjectNode m = shallowCopy(metadata);
      copy.set("metadata", m);
      for (String field : List.of("annotations", "labels")) {
        if (m.get(field) instanceof ObjectNode values) {
          m.set(field, shallowCopy(values));
        }
      }
    }
    if (copy.get("spec") instanceof ObjectNode spec) {
      ObjectNode s = shallowCopy(spec);
      copy.set("spec", s);
      for (Map.Entry<String, JsonNode> field : spec.properties()) {
        if (field.getValue() instanceof ArrayNode array) {
          s.set(field.getKey(), array.deepCopy());
        }
      }
    }
    return copy;
  }

  private static ObjectNode shallowCopy(ObjectNode node) {
    ObjectNode copy = node.objectNode();
    for (Map.Entry<String, JsonNode> field : node.properties()) {
      copy.set(field.getKey(), field.getValue());
    }
    return copy;
  }

  // ---------------------------------------------------------------- deletes by uid

  /** Deletes the entity with this uid; unknown uids are ignored. */
  void deleteByUid(String uid) {
    write(() -> {
      EntityState target = null;
      for (EntityState s : entities.values()) {
        if (s.uid().equals(uid)) {
          target = s;
          break;
        }
      }
      if (target == null) {
        return;
      }
      SourceOutput out = SourceOutput.empty();
      out.errors().addAll(errorsBySource.getOrDefault(target.source(), List.of()));
      apply(target.source(), out, false, List.of(target.ref()), new StoreBatch(), true);
    });
  }

  // ---------------------------------------------------------------- reads for services

  Optional<EntityState> state(String canonicalRef) {
    return Optional.ofNullable(entities.get(canonicalRef));
  }

  Optional<JsonNode> body(String canonicalRef) {
    return Optional.ofNullable(store.bodies(List.of(canonicalRef)).get(canonicalRef)).map(this::parse);
  }

  /** Errors of every source, sources in name order, each source's errors in the order found. */
  List<ProcessingError> processingErrors() {
    List<ProcessingError> out = new ArrayList<>();
    new java.util.TreeMap<>(errorsBySource).values().forEach(list -> list.forEach(e -> out.add(
        new ProcessingError(e.source(), e.location(), e.documentIndex(), e.entityRef(), e.name(), e.message(),
            e.levelOrError(), e.attachedTo()))));
    return out;
  }

  EntityPolicy policy() {
    return policy;
  }

  // ---------------------------------------------------------------- the generation

  private void apply(
      String source, SourceOutput out, boolean snapshot, Collection<String> explicitDeletes, StoreBatch batch,
      boolean forceDelete) {
    long t0 = System.nanoTime();
    Generation g = new Generation(source);
    List<ErrorRecord> errors = new ArrayList<>(out.errors());
    Set<String> failedRefs = new HashSet<>(out.failedRefs());

    // 1. what the source emits now, minus duplicates, conflicts and relation failures
    List<Prepared> prepared = Parallel.map(out.entities(), this::prepare);
    Map<String, Emitted> emitted = new LinkedHashMap<>();
    for (Prepared p : prepared) {
      EmittedEntity e = p.e;
      String attach = e.parents().isEmpty() ? null : e.parents().get(0);
      Emitted first = emitted.get(e.ref());
      if (first != null) {
        errors.add(new ErrorRecord(source, e.file(), null, e.ref(), attach, "ConflictError",
            "Duplicate entity " + e.ref() + " in " + e.file() + ", already read from " + first.e.file()));
        continue;
      }
      EntityState existing = entities.get(e.ref());
      if (existing != null && !existing.source().equals(source)) {
        errors.add(new ErrorRecord(source, e.file(), null, e.ref(), attach, "ConflictError",
            "Detected conflicting entityRef " + e.ref() + " already referenced by " + describe(existing)
                + " and now also " + (e.file() != null ? e.file() : source)));
        continue;
      }
      if (p.relationError != null) {
        failedRefs.add(e.ref());
        errors.add(new ErrorRecord(source, e.file(), null, e.ref(), attach, "InputError", p.relationError));
        continue;
      }
      emitted.put(e.ref(), new Emitted(e, p.edges, p.hash));
    }

    // 2. what it no longer emits: retained (failed input), orphaned or deleted
    Set<String> previous = new HashSet<>(refsBySource.getOrDefault(source, Set.of()));
    Set<String> gone = new LinkedHashSet<>();
    Set<String> retained = new HashSet<>();
    if (snapshot) {
      boolean grew = true;
      while (grew) {
        grew = false;
        for (String ref : previous) {
          if (emitted.containsKey(ref) || retained.contains(ref) || forceDelete) {
            continue;
          }
          EntityState s = entities.get(ref);
          boolean keep = failedRefs.contains(ref)
              || (s.file() != null && out.keepsFile(s.file()))
              || s.parents().stream().anyMatch(retained::contains);
          if (keep) {
            retained.add(ref);
            grew = true;
          }
        }
      }
      for (String ref : previous) {
        if (!emitted.containsKey(ref) && !retained.contains(ref)) {
          gone.add(ref);
        }
      }
    } else {
      for (String ref : explicitDeletes) {
        if (previous.contains(ref) && !emitted.containsKey(ref)) {
          gone.add(ref);
        }
      }
      retained.addAll(failedRefs);
    }

    // errors about an entity that still has a good version are shown on that entity
    List<ErrorRecord> finalErrors = new ArrayList<>(errors.size());
    for (ErrorRecord e : errors) {
      boolean onEntity = e.entityRef() != null && retained.contains(e.entityRef()) && previous.contains(e.entityRef());
      finalErrors.add(onEntity
          ? new ErrorRecord(e.source(), e.location(), e.documentIndex(), e.entityRef(), e.entityRef(), e.name(), e.message(),
              e.level())
          : e);
    }
    List<ErrorRecord> oldErrors = errorsBySource.getOrDefault(source, List.of());
    boolean errorsChanged = !oldErrors.equals(finalErrors);

    // 3. new states (memory is updated now and rolled back if the store refuses the generation)
    Map<String, ObjectNode> processed = new HashMap<>();
    Set<String> created = new HashSet<>();
    Set<String> affected = new HashSet<>();
    for (Map.Entry<String, Emitted> entry : emitted.entrySet()) {
      String ref = entry.getKey();
      Emitted em = entry.getValue();
      EntityState prev = entities.get(ref);
      if (prev != null && prev.hash().equals(em.hash) && !prev.orphan()) {
        continue;
      }
      String uid = prev != null ? prev.uid() : UUID.randomUUID().toString();
      if (prev == null) {
        created.add(ref);
      }
      ObjectNode entity = em.e.entity();
      ObjectNode metadata = Entities.metadata(entity);
      metadata.put("uid", uid);
      metadata.remove("etag");
      processed.put(ref, entity);
      EntityState next = new EntityState(ref, uid, source, em.hash, em.e.file(), em.e.parents(), em.edges, false);
      g.put(ref, next);
      if (prev != null) {
        prev.edges().forEach(x -> affected.add(x.target()));
      }
      em.edges.forEach(x -> affected.add(x.target()));
    }
    List<String> deletes = new ArrayList<>();
    Set<String> newOrphans = new HashSet<>();
    for (String ref : gone) {
      EntityState prev = entities.get(ref);
      if (settings.orphanStrategy() == OrphanStrategy.KEEP && !forceDelete) {
        if (!prev.orphan()) {
          g.put(ref, prev.asOrphan());
          newOrphans.add(ref);
        }
        continue;
      }
      prev.edges().forEach(x -> affected.add(x.target()));
      g.put(ref, null);
      deletes.add(ref);
    }

    Set<String> statusRefs = new HashSet<>();
    oldErrors.forEach(e -> addIfAttached(statusRefs, e));
    finalErrors.forEach(e -> addIfAttached(statusRefs, e));

    if (g.changes.isEmpty() && !errorsChanged && batch.locationUpserts().isEmpty()
        && batch.locationDeletes().isEmpty() && batch.sourceStates().isEmpty() && batch.sourceDeletes().isEmpty()) {
      return; // nothing to do: no generation
    }
    g.setErrors(finalErrors);

    try {
      // 4. stitch: every upserted entity, every affected existing target, every status change
      Set<String> restitch = new LinkedHashSet<>();
      for (String ref : affected) {
        if (entities.containsKey(ref) && !processed.containsKey(ref)) {
          restitch.add(ref);
        }
      }
      for (String ref : statusRefs) {
        if (entities.containsKey(ref) && !processed.containsKey(ref)) {
          restitch.add(ref);
        }
      }
      restitch.addAll(newOrphans);
      Map<String, byte[]> stored = store.bodies(restitch);
      // the store and the index get the same bytes: every entity is serialised once
      List<EntityUpsert> indexUpserts = new ArrayList<>(processed.size() + restitch.size());
      // stitching only reads engine state, so the entities of a generation are stitched in parallel
      List<Map.Entry<String, ObjectNode>> toStitch = new ArrayList<>(processed.entrySet());
      List<EntityRecord> rows = Parallel.map(toStitch,
          p -> record(entities.get(p.getKey()), stitch(p.getValue(), entities.get(p.getKey()))));
      for (int i = 0; i < rows.size(); i++) {
        if (created.contains(rows.get(i).ref())) {
          batch.insertEntity(rows.get(i));
        } else {
          batch.upsertEntity(rows.get(i));
        }
        indexUpserts.add(new EntityUpsert(toStitch.get(i).getValue(), rows.get(i).body()));
      }
      for (String ref : restitch) {
        byte[] old = stored.get(ref);
        if (old == null) {
          continue;
        }
        ObjectNode entity = (ObjectNode) parse(old);
        byte[] body = stitch(entity, entities.get(ref));
        if (!java.util.Arrays.equals(old, body)) {
          batch.upsertEntity(record(entities.get(ref), body));
          indexUpserts.add(new EntityUpsert(entity, body));
        }
      }
      deletes.forEach(batch::deleteEntity);
      if (errorsChanged || forceDelete) {
        batch.replaceErrors(source, finalErrors);
      }
      long t1 = System.nanoTime();
      long[] committed = new long[2]; // generation, nanoTime of the store commit
      try {
        // the index builds its batch while the store commits and shows it only after the commit
        index.applyAfterStore(indexUpserts, deletes, () -> {
          WriteFence fence = fenceFor(source);
          committed[0] = session != null ? session.commit(batch, generation, fence)
              : store.commit(batch, generation, fence);
          committed[1] = System.nanoTime();
          g.committed = true;
          return committed[0];
        });
      } catch (RuntimeException e) {
        if (!g.committed) {
          throw e;
        }
        generation = committed[0];
        // the store has the generation; bring the index back in line with it rather than serve stale data
        LOG.error("Index update for generation {} failed, rebuilding the index from the store", committed[0], e);
        reload(true);
      }
      generation = committed[0];
      long t2 = System.nanoTime();
      LOG.info("Generation {} of {}: {} upserts, {} deletes, {} errors; stitch {} ms, store {} ms, store+index {} ms",
          committed[0], source, indexUpserts.size(), deletes.size(), finalErrors.size(), (t1 - t0) / 1_000_000,
          (committed[1] - t1) / 1_000_000, (t2 - t1) / 1_000_000);
    } finally {
      if (!g.committed) {
        g.rollback();
      }
    }
  }

  private WriteFence fenceFor(String source) {
    if (!source.startsWith("provider:") || !store.sharedByReplicas()) {
      return null;
    }
    WriteFence fence = providerFence.get();
    if (fence == null) {
      throw new StaleGenerationException("This replica does not hold the catalog lease; Git providers are applied by "
          + "the replica that does");
    }
    return fence;
  }

  private static void addIfAttached(Set<String> refs, ErrorRecord e) {
    if (e.attachedTo() != null) {
      refs.add(e.attachedTo());
    }
  }

  private static String describe(EntityState s) {
    return s.file() != null ? s.file() : s.source();
  }

  private record Emitted(EmittedEntity e, List<EntityState.Edge> edges, String hash) {}

  /** The per-entity work of step 1 that needs no engine state: relations and the change hash. */
  private record Prepared(EmittedEntity e, List<EntityState.Edge> edges, String hash, String relationError) {}

  private Prepared prepare(EmittedEntity e) {
    List<EntityState.Edge> edges;
    try {
      edges = EntityState.edgesOf(RelationRules.edges(e.entity()));
    } catch (IllegalArgumentException ex) {
      return new Prepared(e, List.of(), null, ex.getMessage());
    }
    String extra = "";
    if (!e.extraEdges().isEmpty()) {
      List<EntityState.Edge> all = new ArrayList<>(edges);
      all.addAll(EntityState.edgesOf(e.extraEdges()));
      edges = List.copyOf(new LinkedHashSet<>(all));
      extra = "\n" + EntityState.encodeEdges(EntityState.edgesOf(e.extraEdges()));
    }
    String hash = Hashes.changeHash(json, e.entity(), "\n" + e.file() + "\n" + String.join("\n", e.parents()) + extra);
    return new Prepared(e, edges, hash, null);
  }

  /** The in-memory changes of one generation, with their undo. */
  private final class Generation {
    final String source;
    final Map<String, EntityState> changes = new LinkedHashMap<>();
    final List<Runnable> undo = new ArrayList<>();
    boolean committed;

    Generation(String source) {
      this.source = source;
    }

    void put(String ref, EntityState next) {
      changes.put(ref, next);
      EntityState prev = entities.get(ref);
      putState(next, prev);
      undo.add(() -> putState(prev, next));
    }

    void setErrors(List<ErrorRecord> errors) {
      List<ErrorRecord> prev = errorsBySource.get(source);
      replaceErrorsInMemory(source, errors);
      undo.add(() -> replaceErrorsInMemory(source, prev == null ? List.of() : prev));
    }

    void rollback() {
      for (int i = undo.size() - 1; i >= 0; i--) {
        undo.get(i).run();
      }
    }
  }

  /** Replaces {@code prev} (may be null) with {@code next} (may be null) in every memory index. */
  private void putState(EntityState next, EntityState prev) {
    if (prev != null) {
      for (EntityState.Edge e : prev.edges()) {
        Set<String> in = incoming.get(e.target());
        if (in != null) {
          in.remove(prev.ref());
          if (in.isEmpty()) {
            incoming.remove(e.target());
          }
        }
      }
      Set<String> refs = refsBySource.get(prev.source());
      if (refs != null) {
        refs.remove(prev.ref());
        if (refs.isEmpty()) {
          refsBySource.remove(prev.source());
        }
      }
      entities.remove(prev.ref());
    }
    if (next != null) {
      entities.put(next.ref(), next);
      for (EntityState.Edge e : next.edges()) {
        incoming.computeIfAbsent(e.target(), t -> new HashSet<>(2)).add(next.ref());
      }
      refsBySource.computeIfAbsent(next.source(), s -> new HashSet<>()).add(next.ref());
    }
  }

  private void replaceErrorsInMemory(String source, List<ErrorRecord> errors) {
    List<ErrorRecord> old = errorsBySource.remove(source);
    if (old != null) {
      for (ErrorRecord e : old) {
        if (e.attachedTo() != null) {
          List<ErrorRecord> list = statusByRef.get(e.attachedTo());
          if (list != null) {
            list.remove(e);
            if (list.isEmpty()) {
              statusByRef.remove(e.attachedTo());
            }
          }
        }
      }
    }
    if (!errors.isEmpty()) {
      errorsBySource.put(source, List.copyOf(errors));
      indexStatus(errors);
    }
  }

  private void indexStatus(List<ErrorRecord> errors) {
    for (ErrorRecord e : errors) {
      if (e.attachedTo() != null) {
        statusByRef.computeIfAbsent(e.attachedTo(), r -> new ArrayList<>()).add(e);
      }
    }
  }

  // ---------------------------------------------------------------- stitching

  /**
   * Turns a processed (or previously stitched) entity into its final form in place: relations,
   * status, orphan mark and etag; returns the final JSON.
   */
  private byte[] stitch(ObjectNode entity, EntityState state) {
    entity.remove("relations");
    entity.remove("status");
    ObjectNode metadata = Entities.metadata(entity);
    metadata.remove("etag");
    TreeSet<Relation> relations = new TreeSet<>();
    for (EntityState.Edge e : state.edges()) {
      relations.add(new Relation(e.type(), e.target()));
    }
    for (String from : incoming.getOrDefault(state.ref(), Set.of())) {
      EntityState source = entities.get(from);
      if (source == null) {
        continue;
      }
      for (EntityState.Edge e : source.edges()) {
        if (e.target().equals(state.ref())) {
          relations.add(new Relation(e.reverse(), from));
        }
      }
    }
    ArrayNode rel = entity.putArray("relations");
    for (Relation r : relations) {
      rel.addObject().put("type", r.type()).put("targetRef", r.targetRef());
    }
    List<ErrorRecord> status = statusByRef.getOrDefault(state.ref(), List.of());
    if (!status.isEmpty()) {
      ArrayNode items = entity.putObject("status").putArray("items");
      for (ErrorRecord e : status) {
        ObjectNode item = items.addObject();
        item.put("type", PROCESSING_STATUS_TYPE);
        item.put("level", e.levelOrError());
        item.put("message", e.name() + ": " + e.message());
        item.putObject("error").put("name", e.name()).put("message", e.message());
      }
    }
    if (state.orphan()) {
      Entities.annotations(entity).put(Annotations.ORPHAN, "true");
    }
    metadata.put("etag", etag(state, relations, status));
    return bytes(entity);
  }

  /**
   * The etag changes whenever the final entity does: it hashes what the final entity is made of
   * (the processed entity's hash, uid, relations, status and orphan mark) instead of serialising
   * the whole entity once more.
   */
  private static String etag(EntityState state, Collection<Relation> relations, List<ErrorRecord> status) {
    StringBuilder sb = new StringBuilder(256);
    sb.append(state.hash()).append('\n').append(state.uid()).append('\n').append(state.orphan());
    for (Relation r : relations) {
      sb.append('\n').append(r.type()).append('\t').append(r.targetRef());
    }
    for (ErrorRecord e : status) {
      sb.append('\n').append(e.name()).append('\t').append(e.message());
      if (!"error".equals(e.levelOrError())) {
        sb.append('\t').append(e.levelOrError()); // only non-errors: etags of entities with errors stay as they were
      }
    }
    return Hashes.sha1(sb.toString());
  }

  private static EntityRecord record(EntityState s, byte[] body) {
    return new EntityRecord(s.ref(), s.uid(), s.source(), s.hash(), s.file(), s.parents(),
        EntityState.encodeEdges(s.edges()), s.orphan(), body);
  }

  private byte[] bytes(JsonNode node) {
    try {
      return json.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private JsonNode parse(byte[] body) {
    try {
      return json.readTree(body);
    } catch (IOException e) {
      throw new UncheckedIOException("Stored entity is not JSON: " + new String(body, 0, Math.min(80, body.length),
          StandardCharsets.UTF_8), e);
    }
  }
}
