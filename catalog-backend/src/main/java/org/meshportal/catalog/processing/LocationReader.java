package org.meshportal.catalog.processing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.meshportal.catalog.access.AccessPolicy;
import org.meshportal.catalog.store.ErrorRecord;
import org.meshportal.model.Entities;
import org.meshportal.model.EntityPolicy;
import org.meshportal.model.Placeholders;
import org.meshportal.model.YamlDocuments;
import org.meshportal.model.errors.NotAllowedException;

/**
 * Backstage's location processing: reads a Location entity's targets, parses every YAML
 * document, substitutes placeholders, validates and normalizes, annotates and recurses into
 * nested Location entities. Bad input becomes {@link ErrorRecord}s, never an exception.
 */
final class LocationReader {
  private static final int MAX_LOCATION_DEPTH = 32;
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(LocationReader.class);

  private final ProcessingSettings settings;
  private final EntityPolicy policy;
  private final YamlDocuments.Limits limits;
  private final UrlReader urlReader;
  private final AccessPolicy access;

  /**
   * @param urlReader reader of {@code url} targets, or null when none is installed
   * @param access what may be read: every file, url and placeholder target is checked before reading
   */
  LocationReader(
      ProcessingSettings settings, EntityPolicy policy, UrlReader urlReader, AccessPolicy access) {
    this.settings = settings;
    this.policy = policy;
    this.limits = YamlDocuments.Limits.ofMaxBytes(settings.maxFileBytes());
    this.urlReader = urlReader;
    this.access = access;
  }

  /** A root location of a source: registered or configured. */
  record Root(String type, String target, String presence) {}

  /** Reads every root of one source and what they transitively emit. */
  SourceOutput read(String source, List<Root> roots) {
    long start = System.nanoTime();
    SourceOutput out = SourceOutput.empty();
    Pass pass = new Pass(source, out);
    for (Root root : roots) {
      ObjectNode location = LocationEntities.entity(root.type(), root.target(), root.presence());
      String ref = LocationEntities.ref(root.type(), root.target());
      out.entities().add(new EmittedEntity(location, ref, List.of(), null));
      readTargets(location, ref, root.type() + ":" + root.target(), true, 0, pass);
    }
    LOG.debug("Read {}: {} entities, {} errors in {} ms", source, out.entities().size(), out.errors().size(),
        (System.nanoTime() - start) / 1_000_000);
    return out;
  }

  /** What one reading produced; files are read on their own passes and merged in target order. */
  private static final class Pass {
    final String source;
    final SourceOutput out;
    final Set<String> readFiles = new HashSet<>();
    /** Location entities found in this pass's files, read after the merge. */
    final List<Nested> nested = new ArrayList<>();

    Pass(String source, SourceOutput out) {
      this.source = source;
      this.out = out;
    }

    void merge(Pass file) {
      out.entities().addAll(file.out.entities());
      out.errors().addAll(file.out.errors());
      out.failedFiles().addAll(file.out.failedFiles());
      out.failedRefs().addAll(file.out.failedRefs());
      out.failedFolders().addAll(file.out.failedFolders());
    }

    void error(String file, Integer document, String entityRef, String attachTo, String name, String message) {
      out.errors().add(new ErrorRecord(source, file, document, entityRef, attachTo, name, message));
    }
  }

  private record Nested(ObjectNode entity, String ref, int depth) {}

  /** Reads one file (or url) into its own pass. */
  private interface FileJob {
    void read(Pass pass);
  }

  private void readTargets(ObjectNode location, String locationRef, String origin, boolean root, int depth, Pass pass) {
    String own = Entities.annotation(location, Annotations.MANAGED_BY_LOCATION);
    String ownType = own == null ? "file" : own.substring(0, Math.max(0, own.indexOf(':')));
    JsonNode spec = location.path("spec");
    String type = spec.path("type").isTextual() ? spec.path("type").asText() : ownType;
    boolean optional = "optional".equals(spec.path("presence").asText());
    List<String> targets = new ArrayList<>();
    if (spec.path("target").isTextual()) {
      targets.add(spec.path("target").asText());
    }
    for (JsonNode t : spec.path("targets")) {
      if (t.isTextual()) {
        targets.add(t.asText());
      }
    }
    if (depth > MAX_LOCATION_DEPTH) {
      pass.error(own, null, null, locationRef, "InputError",
          "Locations are nested deeper than " + MAX_LOCATION_DEPTH + " levels at " + own);
      return;
    }
    List<FileJob> jobs = new ArrayList<>();
    for (String target : targets) {
      switch (type) {
        case "file" -> fileTargetJobs(target, own, root, optional, locationRef, origin, depth, pass, jobs);
        case "url" -> urlTargetJob(target, own, root, optional, locationRef, origin, depth, pass, jobs);
        default -> pass.error(own, null, null, locationRef, "InputError",
            "Unsupported location type " + type + " for target " + target);
      }
    }
    List<Pass> results = run(jobs, pass.source);
    results.forEach(pass::merge);
    for (Pass file : results) {
      for (Nested n : file.nested) {
        readTargets(n.entity(), n.ref(), origin, false, n.depth(), pass);
      }
    }
  }

  /** Parsing and validation dominate reading, so files are read in parallel; results keep target order. */
  private static List<Pass> run(List<FileJob> jobs, String source) {
    if (jobs.size() <= 1) {
      return jobs.stream().map(job -> {
        Pass p = new Pass(source, SourceOutput.empty());
        job.read(p);
        return p;
      }).toList();
    }
    try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Pass>> futures = new ArrayList<>(jobs.size());
      for (FileJob job : jobs) {
        futures.add(executor.submit(() -> {
          Pass p = new Pass(source, SourceOutput.empty());
          job.read(p);
          return p;
        }));
      }
      List<Pass> out = new ArrayList<>(futures.size());
      for (Future<Pass> f : futures) {
        out.add(f.get());
      }
      return out;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("Interrupted while reading locations", e);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw new IllegalStateException(e.getCause());
    }
  }

  private void fileTargetJobs(
      String target, String own, boolean root, boolean optional, String locationRef, String origin, int depth, Pass pass,
      List<FileJob> jobs) {
    if (target.endsWith("/") || target.endsWith(java.io.File.separator)) {
      pass.error("file:" + target, null, null, locationRef, "InputError",
          "Location target file:" + target + " is a directory; it must name a file or a glob pattern");
      return;
    }
    Path base = root || own == null || !own.startsWith("file:")
        ? Path.of("").toAbsolutePath()
        : Path.of(own.substring("file:".length())).getParent();
    Path resolved = base.resolve(target).toAbsolutePath().normalize();
    if (isGlob(target)) {
      Path folder = globDirectory(resolved);
      if (!allowed(folder, "file:" + resolved, locationRef, pass)) {
        return;
      }
      List<Path> matches;
      try {
        matches = glob(resolved);
      } catch (IOException e) {
        // A folder that vanished or cannot be read is an error, not "no files": with delete as
        // the orphan strategy an empty answer would remove everything the glob found before.
        if (optional && !Files.exists(folder)) {
          return; // an optional location may be absent: what it found before goes
        }
        String folderRef = "file:" + folder + java.io.File.separator;
        pass.out.failedFolders().add(folderRef);
        pass.error("file:" + resolved, null, null, locationRef, "NotFoundError", "Unable to read file:" + resolved
            + ", " + (Files.exists(folder) ? "its folder " + folder + " cannot be read: " + e.getMessage()
                : "its folder " + folder + " does not exist"));
        return;
      }
      for (Path match : matches) {
        if (allowed(match, "file:" + match, locationRef, pass) && pass.readFiles.add("file:" + match)) {
          jobs.add(p -> readFile(match, true, locationRef, origin, depth, p));
        }
      }
      return;
    }
    if (!allowed(resolved, "file:" + resolved, locationRef, pass)) {
      return;
    }
    // a file read already in this pass (a cycle or a second glob hit) is not read again
    if (pass.readFiles.add("file:" + resolved)) {
      jobs.add(p -> readFile(resolved, optional, locationRef, origin, depth, p));
    }
  }

  private static boolean isGlob(String target) {
    return target.contains("*") || target.contains("?") || target.contains("[") || target.contains("{");
  }

  /** Asks the access policy about a file target; a refusal becomes the location's processing error. */
  private boolean allowed(Path file, String fileRef, String locationRef, Pass pass) {
    try {
      access.checkFileRead(file);
      return true;
    } catch (NotAllowedException e) {
      pass.out.failedFiles().add(fileRef);
      pass.error(fileRef, null, null, locationRef, "NotAllowedError", e.getMessage());
      return false;
    }
  }

  /** The directory a glob walks: its path up to the first segment with a wildcard. */
  private static Path globDirectory(Path pattern) {
    Path dir = pattern.getRoot();
    for (Path part : pattern) {
      if (isGlob(part.toString())) {
        break;
      }
      dir = dir.resolve(part);
    }
    return dir;
  }

  /** The files a glob matches; fails when its folder is missing or cannot be walked. */
  private static List<Path> glob(Path pattern) throws IOException {
    Path dir = globDirectory(pattern);
    if (!Files.isDirectory(dir)) {
      throw new NoSuchFileException(dir.toString());
    }
    PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).filter(matcher::matches).sorted().toList();
    } catch (java.io.UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private void readFile(Path file, boolean optional, String locationRef, String origin, int depth, Pass pass) {
    String fileRef = "file:" + file;
    byte[] content;
    try {
      if (Files.size(file) > settings.maxFileBytes()) {
        pass.out.failedFiles().add(fileRef);
        pass.error(fileRef, null, null, locationRef, "InputError",
            fileRef + " is larger than the limit of " + settings.maxFileBytes() + " bytes");
        return;
      }
      content = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      if (!optional) {
        pass.out.failedFiles().add(fileRef);
        pass.error(fileRef, null, null, locationRef, "NotFoundError", "Unable to read " + fileRef + ", file does not exist");
      }
      return;
    } catch (IOException e) {
      pass.out.failedFiles().add(fileRef);
      pass.error(fileRef, null, null, locationRef, "InputError", "Unable to read " + fileRef + ", " + e.getMessage());
      return;
    }
    readDocuments(content, fileRef, placeholderReader(file), locationRef, origin, depth, pass);
  }

  private void urlTargetJob(
      String target, String own, boolean root, boolean optional, String locationRef, String origin, int depth, Pass pass,
      List<FileJob> jobs) {
    String url = target;
    if (!root && own != null && own.startsWith("url:")) {
      try {
        url = URI.create(own.substring("url:".length())).resolve(target).toString();
      } catch (IllegalArgumentException e) {
        pass.error("url:" + target, null, null, locationRef, "InputError", "Invalid url target " + target);
        return;
      }
    }
    String fileRef = "url:" + url;
    if (urlReader == null) {
      pass.out.failedFiles().add(fileRef);
      pass.error(fileRef, null, null, locationRef, "InputError", "No reader is configured for " + fileRef);
      return;
    }
    try {
      access.checkUrlRead(url);
    } catch (NotAllowedException e) {
      pass.out.failedFiles().add(fileRef);
      pass.error(fileRef, null, null, locationRef, "NotAllowedError", e.getMessage());
      return;
    }
    if (pass.readFiles.add(fileRef)) {
      String resolvedUrl = url;
      jobs.add(p -> readUrl(resolvedUrl, fileRef, optional, locationRef, origin, depth, p));
    }
  }

  private void readUrl(String url, String fileRef, boolean optional, String locationRef, String origin, int depth, Pass pass) {
    Optional<byte[]> content;
    try {
      content = urlReader.read(url);
    } catch (IOException e) {
      pass.out.failedFiles().add(fileRef);
      pass.error(fileRef, null, null, locationRef, "InputError", "Unable to read " + fileRef + ", " + e.getMessage());
      return;
    }
    if (content.isEmpty()) {
      if (!optional) {
        pass.out.failedFiles().add(fileRef);
        pass.error(fileRef, null, null, locationRef, "NotFoundError", "Unable to read " + fileRef + ", it does not exist");
      }
      return;
    }
    if (content.get().length > settings.maxFileBytes()) {
      pass.out.failedFiles().add(fileRef);
      pass.error(fileRef, null, null, locationRef, "InputError",
          fileRef + " is larger than the limit of " + settings.maxFileBytes() + " bytes");
      return;
    }
    String base = url;
    Placeholders.FileReader reader = placeholderTarget -> {
      String resolved = URI.create(base).resolve(placeholderTarget).toString();
      access.checkUrlRead(resolved);
      return urlReader.read(resolved).orElseThrow(() -> new IOException(resolved + " does not exist"));
    };
    readDocuments(content.get(), fileRef, reader, locationRef, origin, depth, pass);
  }

  private Placeholders.FileReader placeholderReader(Path file) {
    return target -> {
      if (target.matches("(?i)^[a-z][a-z0-9+.-]*://.*")) {
        // An absolute URL in a file is read as a URL (through the policy), never as a path.
        access.checkUrlRead(target);
        if (urlReader == null) {
          throw new IOException("no reader is configured for " + target);
        }
        return urlReader.read(target).orElseThrow(() -> new IOException(target + " does not exist"));
      }
      Path p = access.checkFileRead(file.getParent().resolve(target));
      if (Files.size(p) > settings.maxFileBytes()) {
        throw new IOException(target + " is larger than the limit of " + settings.maxFileBytes() + " bytes");
      }
      return Files.readAllBytes(p);
    };
  }

  private void readDocuments(
      byte[] content, String fileRef, Placeholders.FileReader reader, String locationRef, String origin, int depth,
      Pass pass) {
    YamlDocuments.Result parsed = YamlDocuments.parse(content, limits);
    // documents and problems come in separate lists; walk them together in document order
    List<Object> items = new ArrayList<>();
    items.addAll(parsed.documents());
    items.addAll(parsed.problems());
    items.sort(java.util.Comparator.comparingInt(o -> o instanceof YamlDocuments.Document d ? d.index() : ((YamlDocuments.Problem) o).index()));
    for (Object item : items) {
      if (item instanceof YamlDocuments.Problem problem) {
        if (problem.wholeFile()) {
          pass.out.failedFiles().add(fileRef);
          pass.error(fileRef, null, null, locationRef, "InputError", "Unable to read " + fileRef + ", " + problem.describe());
        } else {
          if (!problem.message().startsWith("Expected object at root")) {
            // a file that no longer parses keeps what it produced before
            pass.out.failedFiles().add(fileRef);
          }
          pass.error(fileRef, problem.index(), null, locationRef, "InputError",
              "YAML error at " + fileRef + ", " + problem.describe());
        }
      } else {
        YamlDocuments.Document doc = (YamlDocuments.Document) item;
        readDocument(doc.entity(), doc.index(), fileRef, reader, locationRef, origin, depth, pass);
      }
    }
  }

  private void readDocument(
      ObjectNode tree, int index, String fileRef, Placeholders.FileReader reader, String locationRef, String origin,
      int depth, Pass pass) {
    String ref = refOf(tree);
    if (ref != null && !policy.isAllowed(tree.path("kind").asText())) {
      rejected(pass, fileRef, index, null, locationRef, "NotAllowedError", "Entity " + ref
          + " at " + fileRef + ", originated at " + origin + ", is not of an allowed kind for that location");
      return;
    }
    JsonNode resolved = tree;
    try {
      if (Placeholders.mayContain(tree)) {
        resolved = Placeholders.substitute(tree, reader, limits);
      }
    } catch (RuntimeException e) {
      String name = e.getCause() instanceof NotAllowedException ? "NotAllowedError" : "InputError";
      rejected(pass, fileRef, index, ref, locationRef, name, e.getMessage());
      return;
    }
    ObjectNode entity = (ObjectNode) resolved;
    List<EntityPolicy.Problem> problems = policy.validate(entity);
    if (!problems.isEmpty()) {
      for (EntityPolicy.Problem p : problems) {
        rejected(pass, fileRef, index, ref, locationRef, p.name(), p.message());
      }
      return;
    }
    policy.normalize(entity);
    ObjectNode annotations = Entities.annotations(entity);
    if (!annotations.has(Annotations.MANAGED_BY_LOCATION)) {
      annotations.put(Annotations.MANAGED_BY_LOCATION, fileRef);
    }
    if (!annotations.has(Annotations.MANAGED_BY_ORIGIN_LOCATION)) {
      annotations.put(Annotations.MANAGED_BY_ORIGIN_LOCATION, origin);
    }
    String canonical = Entities.ref(entity).canonical();
    pass.out.entities().add(new EmittedEntity(entity, canonical, List.of(locationRef), fileRef));
    if ("Location".equals(Entities.kind(entity))) {
      pass.nested.add(new Nested(entity, canonical, depth + 1));
    }
  }

  private static void rejected(Pass pass, String fileRef, int index, String ref, String locationRef, String name, String message) {
    if (ref != null) {
      pass.out.failedRefs().add(ref);
    }
    pass.error(fileRef, index, ref, locationRef, name, message);
  }

  /** The canonical ref of a document when kind and name are plain strings, else null. */
  private static String refOf(JsonNode tree) {
    JsonNode kind = tree.path("kind");
    JsonNode name = tree.path("metadata").path("name");
    JsonNode namespace = tree.path("metadata").path("namespace");
    if (!kind.isTextual() || !name.isTextual() || kind.asText().isEmpty() || name.asText().isEmpty()) {
      return null;
    }
    String ns = namespace.isTextual() && !namespace.asText().isEmpty() ? namespace.asText() : "default";
    return (kind.asText() + ":" + ns + "/" + name.asText()).toLowerCase(java.util.Locale.ROOT);
  }
}
