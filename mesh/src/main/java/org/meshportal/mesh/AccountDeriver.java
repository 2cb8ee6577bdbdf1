package org.meshportal.mesh;

import static org.meshportal.mesh.MeshDeriver.LABEL_ACCOUNT_TYPE;
import static org.meshportal.mesh.MeshDeriver.LABEL_ORG;
import static org.meshportal.mesh.MeshDeriver.ORGS;
import static org.meshportal.mesh.MeshDeriver.error;
import static org.meshportal.mesh.MeshDeriver.key;
import static org.meshportal.mesh.MeshDeriver.warning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.meshportal.mesh.MeshDeriver.Account;
import org.meshportal.mesh.MeshDeriver.Provider;

/**
 * The accounts-and-bindings part of a derivation: Accounts become Groups, APIBindings become
 * {@code consumesApi} relations (and a workspace Resource), instances of bound kinds become
 * Resources. Split out of {@link MeshDeriver}, whose entities, relations and problems it adds to.
 */
final class AccountDeriver {
  private final MeshDeriver deriver;
  private final MeshOptions options;
  private final ObjectMapper json;
  private final MeshIndex index;
  private final List<MeshProblem> problems;
  private final Set<MeshRelation> relations;
  private final Set<MeshDoc> used;

  AccountDeriver(MeshDeriver d) {
    this.deriver = d;
    this.options = d.options;
    this.json = d.json;
    this.index = d.index;
    this.problems = d.problems;
    this.relations = d.relations;
    this.used = d.used;
  }

  Map<String, Account> accounts() {
    Map<String, Account> out = new TreeMap<>();
    for (MeshDoc doc : index.accounts) {
      if (!Names.isWorkspaceName(doc.name())) {
        problems.add(error(doc, "Account name '" + doc.name() + "' is not a valid workspace name"));
        continue;
      }
      String path = doc.workspace() + ":" + doc.name();
      if (out.containsKey(path)) {
        problems.add(error(doc, "duplicate Account '" + doc.name() + "' in workspace " + doc.workspace()
            + " (first defined in " + out.get(path).doc().file() + "); this document is ignored"));
        continue;
      }
      String type = MeshDoc.text(doc.spec().path("type"));
      if (type == null) {
        type = ORGS.equals(doc.workspace()) ? "org" : "account";
      }
      out.put(path, new Account(doc, path, doc.workspace(), type, Names.accountGroupName(path)));
    }
    for (String ws : index.firstFile.keySet()) {
      if (ws.startsWith(ORGS + ":") && !out.containsKey(ws)) {
        String parent = ws.substring(0, ws.lastIndexOf(':'));
        String name = ws.substring(ws.lastIndexOf(':') + 1);
        problems.add(new MeshProblem(MeshProblem.Severity.WARNING, index.firstFile.get(ws), -1,
            "workspace " + ws + " (the folder of this file) has no Account '" + name + "' declared in " + parent));
      }
    }
    return out;
  }

  Map<String, Set<String>> bindings(Map<String, Account> accounts, Map<String, Export> exports,
      Map<String, Provider> providers, Map<String, List<String>> consumers) {
    Map<String, List<String>> children = new HashMap<>();
    accounts.values().forEach(a -> {
      if (accounts.containsKey(a.parentPath())) {
        children.computeIfAbsent(a.parentPath(), k -> new ArrayList<>()).add(deriver.ref("group", a.groupName()));
      }
    });
    Map<String, Set<String>> boundGroups = new HashMap<>();
    // a binding in a workspace without an Account (real repositories have folders below an account,
    // e.g. environments) belongs to the nearest ancestor workspace that has one
    Map<String, List<MeshDoc>> bindingDocs = new HashMap<>();
    List<MeshDoc> unattributed = new ArrayList<>();
    index.bindings.forEach((ws, docs) -> {
      String owner = nearestAccount(ws, accounts);
      if (owner != null) {
        bindingDocs.computeIfAbsent(owner, k -> new ArrayList<>()).addAll(docs);
      } else {
        unattributed.addAll(docs);
      }
    });
    for (Account a : accounts.values()) {
      String groupRef = deriver.ref("group", a.groupName());
      List<String> files = new ArrayList<>();
      files.add(a.doc().file());
      ArrayNode summary = json.createArrayNode();
      Set<String> apiRefs = new LinkedHashSet<>();
      SearchText search = new SearchText(options.maxSearchTextChars());
      for (MeshDoc b : bindingDocs.getOrDefault(a.path(), List.of())) {
        Export e = resolveBinding(b, exports);
        if (e == null) {
          continue;
        }
        Provider p = providers.get(e.ws());
        String target = deriver.apiRef(e, p);
        relations.add(new MeshRelation(groupRef, "consumesApi", target));
        relations.add(new MeshRelation(target, "apiConsumedBy", groupRef));
        consumers.computeIfAbsent(target, k -> new ArrayList<>()).add(groupRef);
        apiRefs.add(target);
        files.add(b.file());
        used.add(b);
        e.resources().forEach(r -> {
          if (r.group() != null) {
            boundGroups.computeIfAbsent(a.path(), k -> new java.util.HashSet<>()).add(r.group());
          }
        });
        e.schemas().forEach(s -> boundGroups.computeIfAbsent(a.path(), k -> new java.util.HashSet<>()).add(s.group()));
        ObjectNode entry = summary.addObject();
        entry.put("name", b.name()).put("export", e.name()).put("path", e.ws()).put("api", target)
            .put("phase", b.node().path("status").path("phase").asText(""));
        if (!b.workspace().equals(a.path())) {
          entry.put("workspace", b.workspace()); // attributed from a workspace below the account's
        }
        ArrayNode claims = entry.putArray("claims");
        for (JsonNode c : b.spec().path("permissionClaims")) {
          String group = c.path("group").asText("");
          claims.add(c.path("resource").asText("") + (group.isEmpty() ? "" : "." + group) + "=" + c.path("state").asText(""));
        }
        search.add(e.name());
      }
      account(a, accounts, children.getOrDefault(a.path(), List.of()), summary, search, files);
      if (!apiRefs.isEmpty()) {
        workspaceResource(a, groupRef, apiRefs, files);
      }
    }
    for (MeshDoc b : unattributed) {
      Export e = resolveBinding(b, exports);
      if (e != null) {
        problems.add(warning(b, "APIBinding to export '" + e.name() + "' in " + e.ws() + " is in workspace "
            + b.workspace() + ", which neither is nor lies below an account workspace (no Account manifest);"
            + " no consumer relation is derived"));
      }
    }
    return boundGroups;
  }

  /** The workspace itself or its nearest ancestor that is an account's workspace, or null. */
  private static String nearestAccount(String ws, Map<String, Account> accounts) {
    for (String path = ws; path != null; path = path.lastIndexOf(':') < 0 ? null : path.substring(0, path.lastIndexOf(':'))) {
      if (accounts.containsKey(path)) {
        return path;
      }
    }
    return null;
  }

  /** Validates a binding and finds its export; reports and returns null when it cannot. */
  private Export resolveBinding(MeshDoc b, Map<String, Export> exports) {
    BindingReference ref = BindingReference.of(b);
    List<String> reasons = ref.reasons();
    String name = ref.name();
    String path = ref.path();
    if (!reasons.isEmpty()) {
      if (!reportedBindings.contains(b)) {
        reportedBindings.add(b);
        problems.add(error(b, "APIBinding " + String.join("; ", reasons)));
      }
      return null;
    }
    String exportPath = path == null ? b.workspace() : path;
    Export e = exports.get(key(exportPath, name));
    if (e == null && !reportedBindings.contains(b)) {
      reportedBindings.add(b);
      problems.add(warning(b, "APIBinding refers to export '" + name + "' in " + exportPath
          + ", which is not in the repository"));
    }
    return e;
  }

  private final Set<MeshDoc> reportedBindings = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());

  private void account(Account a, Map<String, Account> accounts, List<String> children, ArrayNode bindings,
      SearchText search, List<String> files) {
    used.add(a.doc());
    JsonNode spec = a.doc().spec();
    String display = MeshDoc.text(spec.path("displayName"));
    String description = MeshDoc.text(spec.path("description"));
    String creator = MeshDoc.text(spec.path("creator"));
    ObjectNode group = deriver.envelope("Group", a.groupName(), display, description);
    ObjectNode gspec = group.with("spec");
    gspec.put("type", "org".equals(a.type()) ? "platform-mesh-org" : "platform-mesh-account");
    ObjectNode profile = gspec.putObject("profile");
    if (display != null) {
      profile.put("displayName", display);
    }
    if (creator != null) {
      profile.put("email", creator);
    }
    Account parent = accounts.get(a.parentPath());
    if (parent != null) {
      gspec.put("parent", deriver.ref("group", parent.groupName()));
    }
    ArrayNode kids = gspec.putArray("children");
    children.stream().sorted().forEach(kids::add);
    String org = a.path().startsWith(ORGS + ":") ? a.path().split(":")[2] : rootAccount(a, accounts);
    search.add(display).add(description, 300).add(creator);
    for (String segment : a.path().split(":")) {
      search.add(segment);
    }
    JsonNode data = spec.path("data");
    if (data.isObject()) {
      data.fields().forEachRemaining(f -> search.add(f.getKey() + " " + (f.getValue().isValueNode() ? f.getValue().asText() : "")));
    }
    Map<String, String> labels = new LinkedHashMap<>();
    if (Names.isWorkspaceName(org)) {
      labels.put(LABEL_ORG, org);
    }
    labels.put(LABEL_ACCOUNT_TYPE, Names.labelChars(a.type()));
    deriver.decorate(group, a.path(), "Account", a.doc().name(), a.doc().file(), labels, search.toString());
    if (!bindings.isEmpty()) {
      group.with("metadata").with("annotations").put("platform-mesh.io/bindings", bindings.toString());
    }
    deriver.put(group, files);
  }

  private static String rootAccount(Account a, Map<String, Account> accounts) {
    Account top = a;
    while (accounts.containsKey(top.parentPath())) {
      top = accounts.get(top.parentPath());
    }
    return top.doc().name();
  }

  private void workspaceResource(Account a, String groupRef, Collection<String> apiRefs, List<String> files) {
    ObjectNode res = deriver.envelope("Resource", Names.entityName(a.groupName() + "-workspace"),
        "Workspace " + a.path(), "kcp workspace of account " + a.path() + " and the provider APIs bound in it.");
    ObjectNode spec = res.with("spec");
    spec.put("type", "kcp-workspace").put("owner", groupRef);
    ArrayNode deps = spec.putArray("dependsOn");
    apiRefs.forEach(deps::add);
    deriver.decorate(res, a.path(), "Workspace", a.doc().name(), a.doc().file(), Map.of(LABEL_ACCOUNT_TYPE, a.type()), null);
    deriver.put(res, files);
  }

  void instances(Map<String, Account> accounts, Map<String, Set<String>> boundGroups,
      Map<String, Export> exports, Map<String, Provider> providers) {
    Map<String, String> apiByGroup = new HashMap<>();
    for (Export e : exports.values()) {
      String api = deriver.apiRef(e, providers.get(e.ws()));
      e.resources().forEach(r -> {
        if (r.group() != null) {
          apiByGroup.putIfAbsent(r.group(), api);
        }
      });
      e.schemas().forEach(s -> apiByGroup.putIfAbsent(s.group(), api));
    }
    index.others.forEach((ws, docs) -> {
      Account a = accounts.get(ws);
      Set<String> groups = boundGroups.getOrDefault(ws, Set.of());
      if (a == null) {
        return;
      }
      for (MeshDoc d : docs) {
        if (d.name() == null || !groups.contains(d.group())) {
          continue;
        }
        used.add(d);
        String namespace = MeshDoc.text(d.node().path("metadata").path("namespace"));
        String raw = a.groupName() + "_" + d.kind().toLowerCase(Locale.ROOT) + "_"
            + (namespace != null && !"default".equals(namespace) ? namespace + "_" : "") + d.name();
        ObjectNode res = deriver.envelope("Resource", Names.entityName(raw), d.name(), null);
        res.with("spec").put("type", d.kind().toLowerCase(Locale.ROOT)).put("owner", deriver.ref("group", a.groupName()))
            .putArray("dependsOn").add(apiByGroup.get(d.group()));
        SearchText search = new SearchText(options.maxSearchTextChars()).add(d.kind()).add(d.name()).add(d.apiVersion());
        deriver.decorate(res, ws, d.kind(), d.name(), d.file(), Map.of(LABEL_ACCOUNT_TYPE, a.type()), search.toString());
        deriver.put(res, List.of());
      }
    });
  }
}
