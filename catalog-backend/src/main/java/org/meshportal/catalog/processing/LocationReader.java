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
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;
import org.meshportal.catalog.store.ErrorRecord;
import org.meshportal.model.Entities;
import org.meshportal.model.EntityPolicy;

/**
 * Backstage's location processing: reads a Location entity's targets, parses every YAML
 * document, substitutes placeholders, validates and normalizes, annotates and recurses into
 * nested Location entities. Bad input becomes {@link ErrorRecord}s, never an exception.
 */
final class LocationReader {
  private static final Set<String> ROOT_KEYS = Set.of("apiVersion", "kind", "metadata", "spec");
  private static final int MAX_LOCATION_DEPTH = 32;

  private final ProcessingSettings settings;
  private final EntityPolicy policy;
  private final DocumentParser parser;
  private final PlaceholderResolver placeholders;
  private final UrlReader urlReader;

  /** @param urlReader reader of {@code url} targets, or null when none is installed */
  LocationReader(
      ProcessingSettings settings, EntityPolicy policy, DocumentParser parser, PlaceholderResolver placeholders,
      UrlReader urlReader) {
    this.settings = settings;
    this.policy = policy;
    this.parser = parser;
    this.placeholders = placeholders;
    this.urlReader = urlReader;
  }

  /** A root location of a source: registered or configured. */
  record Root(String type, String target, String presence) {}

  /** Reads every root of one source and what they transitively emit. */
  SourceOutput read(String source, List<Root> roots) {
    SourceOutput out = SourceOutput.empty();
    Pass pass = new Pass(source, out);
    for (Root root : roots) {
      ObjectNode location = LocationEntities.entity(root.type(), root.target(), root.presence());
      String ref = LocationEntities.ref(root.type(), root.target());
      out.entities().add(new EmittedEntity(location, ref, List.of(), null));
      readTargets(location, ref, root.type() + ":" + root.target(), true, 0, pass);
    }
    return out;
  }

  private final class Pass {
    final String source;
    final SourceOutput out;
    final Set<String> readFiles = new HashSet<>();

    Pass(String source, SourceOutput out) {
      this.source = source;
      this.out = out;
    }

    void error(String file, Integer document, String entityRef, String attachTo, String name, String message) {
      out.errors().add(new ErrorRecord(source, file, document, entityRef, attachTo, name, message));
    }
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
    for (String target : targets) {
      switch (type) {
        case "file" -> readFileTarget(target, own, root, optional, locationRef, origin, depth, pass);
        case "url" -> readUrlTarget(target, own, root, optional, locationRef, origin, depth, pass);
        default -> pass.error(own, null, null, locationRef, "InputError",
            "Unsupported location type " + type + " for target " + target);
      }
    }
  }

  private void readFileTarget(
      String target, String own, boolean root, boolean optional, String locationRef, String origin, int depth, Pass pass) {
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
      List<Path> matches = glob(resolved);
      for (Path match : matches) {
        readFile(match, true, locationRef, origin, depth, pass);
      }
      return;
    }
    readFile(resolved, optional, locationRef, origin, depth, pass);
  }

  private static boolean isGlob(String target) {
    return target.contains("*") || target.contains("?") || target.contains("[") || target.contains("{");
  }

  private static List<Path> glob(Path pattern) {
    Path dir = pattern.getRoot();
    for (Path part : pattern) {
      if (isGlob(part.toString())) {
        break;
      }
      dir = dir.resolve(part);
    }
    if (!Files.isDirectory(dir)) {
      return List.of();
    }
    PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).filter(matcher::matches).sorted().toList();
    } catch (IOException e) {
      return List.of();
    }
  }

  private void readFile(Path file, boolean optional, String locationRef, String origin, int depth, Pass pass) {
    String fileRef = "file:" + file;
    if (!pass.readFiles.add(fileRef)) {
      return; // read already in this pass: a cycle or a second glob hit
    }
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

  private void readUrlTarget(
      String target, String own, boolean root, boolean optional, String locationRef, String origin, int depth, Pass pass) {
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
    if (!pass.readFiles.add(fileRef)) {
      return;
    }
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
    PlaceholderResolver.Reader reader = placeholderTarget -> {
      String resolved = URI.create(base).resolve(placeholderTarget).toString();
      return new String(urlReader.read(resolved).orElseThrow(() -> new IOException(resolved + " does not exist")),
          StandardCharsets.UTF_8);
    };
    readDocuments(content.get(), fileRef, reader, locationRef, origin, depth, pass);
  }

  private PlaceholderResolver.Reader placeholderReader(Path file) {
    return target -> {
      Path p = file.getParent().resolve(target).normalize();
      if (Files.size(p) > settings.maxFileBytes()) {
        throw new IOException(target + " is larger than the limit of " + settings.maxFileBytes() + " bytes");
      }
      return Files.readString(p, StandardCharsets.UTF_8);
    };
  }

  private void readDocuments(
      byte[] content, String fileRef, PlaceholderResolver.Reader reader, String locationRef, String origin, int depth,
      Pass pass) {
    List<DocumentParser.Document> documents;
    try {
      documents = parser.parse(content);
    } catch (IllegalArgumentException e) {
      pass.out.failedFiles().add(fileRef);
      pass.error(fileRef, null, null, locationRef, "InputError", "Unable to read " + fileRef + ", " + e.getMessage());
      return;
    }
    for (int i = 0; i < documents.size(); i++) {
      DocumentParser.Document doc = documents.get(i);
      if (doc.error() != null) {
        // a file that no longer parses keeps what it produced before
        pass.out.failedFiles().add(fileRef);
        pass.error(fileRef, i, null, locationRef, "InputError", "YAML error at " + fileRef + " document " + i + ", " + doc.error());
        continue;
      }
      readDocument(doc.tree(), i, fileRef, reader, locationRef, origin, depth, pass);
    }
  }

  private void readDocument(
      JsonNode tree, int index, String fileRef, PlaceholderResolver.Reader reader, String locationRef, String origin,
      int depth, Pass pass) {
    if (tree == null || tree.isNull()) {
      return; // an empty document, e.g. after a trailing ---
    }
    if (!(tree instanceof ObjectNode)) {
      pass.error(fileRef, index, null, locationRef, "InputError",
          "Expected object at root of " + fileRef + " document " + index + ", got " + tree.getNodeType().name().toLowerCase());
      return;
    }
    String ref = refOf(tree);
    for (Iterator<String> keys = tree.fieldNames(); keys.hasNext(); ) {
      String key = keys.next();
      if (!ROOT_KEYS.contains(key)) {
        rejected(pass, fileRef, index, ref, locationRef, "InputError", "Unknown field " + key);
        return;
      }
    }
    JsonNode resolved;
    try {
      resolved = placeholders.resolve(tree, reader);
    } catch (IllegalArgumentException e) {
      rejected(pass, fileRef, index, ref, locationRef, "InputError", e.getMessage());
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
      readTargets(entity, canonical, origin, false, depth + 1, pass);
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
