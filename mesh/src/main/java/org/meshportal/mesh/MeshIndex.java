package org.meshportal.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * All documents of one read, sorted into the kinds the mapping uses, per workspace. Built fresh for
 * every derivation; cheap because it only holds references to cached documents.
 */
final class MeshIndex {

  final Map<String, List<MeshDoc>> exports = new LinkedHashMap<>();
  final Map<String, Map<String, MeshDoc>> schemas = new HashMap<>();
  final Map<String, List<MeshDoc>> crds = new HashMap<>();
  final Map<String, List<MeshDoc>> publishedResources = new HashMap<>();
  final Map<String, List<MeshDoc>> providerMetadata = new HashMap<>();
  final Map<String, List<MeshDoc>> contentConfigurations = new HashMap<>();
  final Map<String, List<MeshDoc>> bindings = new LinkedHashMap<>();
  final Map<String, List<MeshDoc>> others = new HashMap<>();
  final List<MeshDoc> accounts = new ArrayList<>();
  final List<MeshDoc> workspaces = new ArrayList<>();
  final List<MeshDoc> policies = new ArrayList<>();
  final List<MeshDoc> backstage = new ArrayList<>();
  /** First file seen per workspace, to name the place of workspace-level problems. */
  final Map<String, String> firstFile = new TreeMap<>();
  final Map<String, Integer> counts = new TreeMap<>();
  final List<MeshProblem> problems = new ArrayList<>();
  /** Every document read, in file order: each must end in an entity, a problem of its own or a warning why it maps to nothing. */
  final List<MeshDoc> all = new ArrayList<>();

  MeshIndex(List<ParsedFile> files) {
    for (ParsedFile file : files) {
      problems.addAll(file.problems());
      if (file.workspace() != null) {
        firstFile.putIfAbsent(file.workspace(), file.path());
      }
      for (MeshDoc doc : file.documents()) {
        counts.merge(doc.countKey(), 1, Integer::sum);
        all.add(doc);
        sort(doc);
      }
    }
  }

  static boolean isBackstage(MeshDoc doc) {
    return doc.group().equals("backstage.io") || doc.group().endsWith(".backstage.io");
  }

  private void sort(MeshDoc doc) {
    String group = doc.group();
    if (isBackstage(doc)) {
      backstage.add(doc);
      return;
    }
    String key = group + "/" + doc.kind();
    boolean named = doc.name() != null;
    if (!named && isMapped(key)) {
      problems.add(new MeshProblem(MeshProblem.Severity.ERROR, doc.file(), doc.index(),
          doc.kind() + " has no metadata.name; skipped"));
      return;
    }
    String ws = doc.workspace();
    switch (key) {
      case "apis.kcp.io/APIExport" -> add(exports, ws, doc);
      case "apis.kcp.io/APIResourceSchema" -> {
        MeshDoc previous = schemas.computeIfAbsent(ws, k -> new HashMap<>()).putIfAbsent(doc.name(), doc);
        if (previous != null) {
          problems.add(new MeshProblem(MeshProblem.Severity.ERROR, doc.file(), doc.index(),
              "duplicate APIResourceSchema '" + doc.name() + "' in workspace " + ws
                  + " (first defined in " + previous.file() + "); this document is ignored"));
        }
      }
      case "apis.kcp.io/APIBinding" -> add(bindings, ws, doc);
      case "apiextensions.k8s.io/CustomResourceDefinition" -> add(crds, ws, doc);
      case "syncagent.kcp.io/PublishedResource" -> add(publishedResources, ws, doc);
      case "ui.platform-mesh.io/ProviderMetadata" -> add(providerMetadata, ws, doc);
      case "ui.platform-mesh.io/ContentConfiguration" -> add(contentConfigurations, ws, doc);
      case "core.platform-mesh.io/Account" -> accounts.add(doc);
      case "core.platform-mesh.io/APIExportPolicy" -> policies.add(doc);
      case "tenancy.kcp.io/Workspace" -> workspaces.add(doc);
      case "tenancy.kcp.io/WorkspaceType", "providers.platform-mesh.io/Provider",
          "providers.platform-mesh.io/ManagedProvider" -> { }
      default -> add(others, ws, doc);
    }
  }

  /**
   * Puts edited APIResourceSchema documents in place of their previous versions (old → new, by
   * identity), where the old one is the document the index holds under its name.
   */
  void swapSchemas(Map<MeshDoc, MeshDoc> swapped) {
    swapped.forEach((old, fresh) -> {
      Map<String, MeshDoc> inWorkspace = schemas.get(old.workspace());
      if (inWorkspace != null && inWorkspace.get(old.name()) == old) {
        inWorkspace.put(fresh.name(), fresh);
      }
    });
  }

  static boolean isMapped(String groupKind) {
    return switch (groupKind) {
      case "apis.kcp.io/APIExport", "apis.kcp.io/APIResourceSchema", "apis.kcp.io/APIBinding",
          "apiextensions.k8s.io/CustomResourceDefinition", "syncagent.kcp.io/PublishedResource",
          "ui.platform-mesh.io/ProviderMetadata", "ui.platform-mesh.io/ContentConfiguration",
          "core.platform-mesh.io/Account", "core.platform-mesh.io/APIExportPolicy",
          "tenancy.kcp.io/Workspace" -> true;
      default -> false;
    };
  }

  static List<String> texts(JsonNode array) {
    List<String> out = new ArrayList<>();
    if (array != null && array.isArray()) {
      array.forEach(n -> {
        if (n.isValueNode() && !n.asText().isEmpty()) {
          out.add(n.asText());
        }
      });
    }
    return out;
  }

  private static void add(Map<String, List<MeshDoc>> map, String ws, MeshDoc doc) {
    map.computeIfAbsent(ws, k -> new ArrayList<>()).add(doc);
  }
}
