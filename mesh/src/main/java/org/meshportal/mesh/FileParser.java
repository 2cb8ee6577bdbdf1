package org.meshportal.mesh;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import org.meshportal.model.YamlDocuments;

/**
 * Turns one file's bytes into documents, or into problems naming the file and document. Reading
 * is the catalog's safe YAML reader ({@link YamlDocuments}): size limit, strict UTF-8, no
 * duplicate keys, bounded aliases and nesting.
 */
final class FileParser {
  private static final int MAX_DEPTH = 64;
  private static final int MAX_ALIASES = 50;
  private static final int MAX_ALIASED_NODES = 100_000;

  private final YamlDocuments.Limits limits;

  FileParser(long maxFileBytes) {
    this.limits = new YamlDocuments.Limits(maxFileBytes, MAX_DEPTH, MAX_ALIASES, MAX_ALIASED_NODES);
  }

  static ParsedFile failed(String path, String workspace, String message) {
    return new ParsedFile(path, workspace, List.of(),
        List.of(new MeshProblem(MeshProblem.Severity.ERROR, path, -1, message)));
  }

  ParsedFile parse(String path, String workspace, byte[] bytes) {
    YamlDocuments.Result parsed = YamlDocuments.parse(bytes, limits);
    List<MeshDoc> docs = new ArrayList<>();
    List<MeshProblem> problems = new ArrayList<>();
    for (YamlDocuments.Problem p : parsed.problems()) {
      problems.add(new MeshProblem(MeshProblem.Severity.ERROR, path, p.index(), p.describe()));
    }
    boolean templates = GoTemplates.mayHold(bytes);
    for (YamlDocuments.Document d : parsed.documents()) {
      ObjectNode object = d.entity();
      if (templates) {
        List<String> restored = GoTemplates.restore(object);
        if (!restored.isEmpty()) {
          problems.add(new MeshProblem(MeshProblem.Severity.WARNING, path, d.index(), "unquoted Go-template placeholder"
              + (restored.size() == 1 ? "" : "s") + " at " + String.join(", ", restored)
              + " read as text, not as YAML mappings; quote them ('{{ ... }}') to say so"));
        }
      }
      String apiVersion = MeshDoc.text(object.path("apiVersion"));
      String kind = MeshDoc.text(object.path("kind"));
      if (apiVersion == null || kind == null) {
        problems.add(new MeshProblem(MeshProblem.Severity.WARNING, path, d.index(),
            "document has no apiVersion or kind; skipped"));
        continue;
      }
      docs.add(new MeshDoc(path, d.index(), apiVersion, kind, object, workspace, bytes.length));
    }
    return new ParsedFile(path, workspace, List.copyOf(docs), List.copyOf(problems));
  }
}
