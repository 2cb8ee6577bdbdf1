package org.meshportal.catalog.git;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import org.meshportal.catalog.service.ProcessingError;
import org.meshportal.gitsync.CommitReader;
import org.meshportal.gitsync.RepoLocation;
import org.meshportal.gitsync.SourceUrls;
import org.meshportal.model.Placeholders;
import org.meshportal.model.YamlDocuments;

/**
 * Reads one Backstage descriptor file of a commit: parses its documents, resolves
 * {@code $text/$json/$yaml} placeholders inside the same commit, adds the source annotations and
 * collects the targets of its Location entities. Validation is left to the catalog engine; bad
 * input becomes errors, never an exception.
 */
final class CatalogFileReader {
  private final RepoSource repo;
  private final String source;
  private final YamlDocuments.Limits limits;
  private final long maxBytes;

  CatalogFileReader(RepoSource repo, String source, long maxBytes) {
    this.repo = repo;
    this.source = source;
    this.maxBytes = maxBytes;
    this.limits = YamlDocuments.Limits.ofMaxBytes(maxBytes);
  }

  /**
   * What one file yields.
   *
   * @param origin the entry file that reached it (for {@code managed-by-origin-location})
   * @param failedRefs refs of documents found but not readable: their last good version stays
   * @param targets repository paths or globs its Location entities point at
   * @param dependencies other files it read (placeholders): a change to them re-reads this file
   * @param failed the file as a whole could not be read: what it produced before stays
   * @param refs refs of its entities and failed documents
   */
  record Output(String path, String origin, List<ObjectNode> entities, List<ProcessingError> errors,
      Set<String> failedRefs, List<String> targets, Set<String> dependencies, boolean failed, List<String> refs) {

    Output(String path, String origin, List<ObjectNode> entities, List<ProcessingError> errors,
        Set<String> failedRefs, List<String> targets, Set<String> dependencies, boolean failed) {
      this(path, origin, entities, errors, failedRefs, targets, dependencies, failed, refsOf(entities, failedRefs));
    }

    /** Refs this file holds in the catalog: taken once, as every change collects them from all files. */
    private static List<String> refsOf(List<ObjectNode> entities, Set<String> failedRefs) {
      List<String> refs = new ArrayList<>(entities.size() + failedRefs.size());
      for (ObjectNode e : entities) {
        String ref = refOf(e);
        if (ref != null) {
          refs.add(ref);
        }
      }
      refs.addAll(failedRefs);
      return List.copyOf(refs);
    }
  }

  Output read(CommitReader files, String path, String origin, boolean optional) {
    String location = repo.location(path);
    List<ObjectNode> entities = new ArrayList<>();
    List<ProcessingError> errors = new ArrayList<>();
    Set<String> failedRefs = new LinkedHashSet<>();
    List<String> targets = new ArrayList<>();
    Set<String> dependencies = new LinkedHashSet<>();
    Optional<byte[]> content = files.read(path);
    if (content.isEmpty()) {
      if (!optional) {
        errors.add(error(location, null, null, "NotFoundError", "Unable to read " + location + ", it does not exist"));
      }
      // unlike an unreachable host, a commit without the file is a fact: what it produced goes
      return new Output(path, origin, entities, errors, failedRefs, targets, dependencies, false);
    }
    if (content.get().length > maxBytes) {
      errors.add(error(location, null, null, "InputError", location + " is larger than the limit of " + maxBytes + " bytes"));
      return new Output(path, origin, entities, errors, failedRefs, targets, dependencies, true);
    }
    YamlDocuments.Result parsed = YamlDocuments.parse(content.get(), limits);
    boolean failed = false;
    for (YamlDocuments.Problem p : parsed.problems()) {
      if (p.wholeFile() || !p.message().startsWith("Expected object at root")) {
        failed = true;
      }
      errors.add(error(location, p.wholeFile() ? null : p.index(), null, "InputError",
          "YAML error at " + location + ", " + p.describe()));
    }
    SourceUrls urls = repo.urls(path);
    String originLocation = repo.location(origin);
    List<YamlDocuments.Document> docs = new ArrayList<>(parsed.documents());
    docs.sort(Comparator.comparingInt(YamlDocuments.Document::index));
    for (YamlDocuments.Document doc : docs) {
      String ref = refOf(doc.entity());
      JsonNode resolved = doc.entity();
      if (Placeholders.mayContain(resolved)) {
        try {
          resolved = Placeholders.substitute(resolved, target -> readPlaceholder(files, path, target, dependencies));
        } catch (RuntimeException e) {
          if (ref != null) {
            failedRefs.add(ref);
          }
          errors.add(error(location, doc.index(), ref, "InputError", e.getMessage()));
          continue;
        }
      }
      ObjectNode entity = (ObjectNode) resolved;
      ObjectNode annotations = annotations(entity);
      urls.annotations().forEach((k, v) -> {
        if (!annotations.has(k)) {
          annotations.put(k, v);
        }
      });
      annotations.put(SourceUrls.MANAGED_BY_LOCATION, urls.managedByLocation());
      annotations.put(SourceUrls.MANAGED_BY_ORIGIN_LOCATION, originLocation);
      entities.add(entity);
      if ("Location".equals(entity.path("kind").asText())) {
        collectTargets(entity, path, location, doc.index(), ref, targets, errors);
      }
    }
    return new Output(path, origin, entities, errors, failedRefs, targets, dependencies, failed);
  }

  private void collectTargets(ObjectNode location, String path, String fileLocation, int index, String ref,
      List<String> targets, List<ProcessingError> errors) {
    JsonNode spec = location.path("spec");
    String type = spec.path("type").asText("url");
    List<String> raw = new ArrayList<>();
    if (spec.path("target").isTextual()) {
      raw.add(spec.path("target").asText());
    }
    spec.path("targets").forEach(t -> {
      if (t.isTextual()) {
        raw.add(t.asText());
      }
    });
    for (String target : raw) {
      if (!type.equals("url")) {
        errors.add(error(fileLocation, index, ref, "InputError", "Location " + ref + " in " + fileLocation
            + " has type " + type + "; inside a Git provider only url targets in the same repository are read"));
        continue;
      }
      try {
        targets.add(repoPath(path, target));
      } catch (IllegalArgumentException e) {
        errors.add(error(fileLocation, index, ref, "InputError", e.getMessage()));
      }
    }
  }

  /** A Location or placeholder target as a repository path: relative, root-relative or a URL of this branch. */
  private String repoPath(String from, String target) {
    if (target.contains("://")) {
      return repo.pathOf(target).orElseThrow(() -> new IllegalArgumentException("Target " + target + " of "
          + repo.location(from) + " is not in this repository branch; only targets inside it are followed"));
    }
    return RepoLocation.resolvePath(from, target);
  }

  private byte[] readPlaceholder(CommitReader files, String from, String target, Set<String> dependencies)
      throws java.io.IOException {
    String path = repoPath(from, target);
    dependencies.add(path);
    byte[] bytes = files.read(path).orElseThrow(() -> new java.io.IOException(
        "Placeholder target " + target + " of " + repo.location(from) + " does not exist"));
    if (bytes.length > maxBytes) {
      throw new java.io.IOException(target + " is larger than the limit of " + maxBytes + " bytes");
    }
    return bytes;
  }

  private ProcessingError error(String location, Integer document, String ref, String name, String message) {
    return new ProcessingError(source, location, document, ref, name, message);
  }

  private static ObjectNode annotations(ObjectNode entity) {
    JsonNode metadata = entity.path("metadata");
    ObjectNode m = metadata.isObject() ? (ObjectNode) metadata : entity.putObject("metadata");
    JsonNode a = m.path("annotations");
    return a.isObject() ? (ObjectNode) a : m.putObject("annotations");
  }

  /** The canonical ref of a document when kind and name are plain strings, else null. */
  static String refOf(JsonNode tree) {
    JsonNode kind = tree.path("kind");
    JsonNode name = tree.path("metadata").path("name");
    JsonNode namespace = tree.path("metadata").path("namespace");
    if (!kind.isTextual() || !name.isTextual() || kind.asText().isEmpty() || name.asText().isEmpty()) {
      return null;
    }
    String ns = namespace.isTextual() && !namespace.asText().isEmpty() ? namespace.asText() : "default";
    return (kind.asText() + ":" + ns + "/" + name.asText()).toLowerCase(Locale.ROOT);
  }
}
