package org.meshportal.mesh;

import static org.meshportal.mesh.MeshDeriver.LABEL_PROVIDER;
import static org.meshportal.mesh.MeshDeriver.error;
import static org.meshportal.mesh.MeshDeriver.key;
import static org.meshportal.mesh.MeshDeriver.warning;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.meshportal.mesh.MeshDeriver.Provider;
import org.meshportal.model.EntityRef;

/**
 * The providers part of a derivation: the {@code platform-mesh} Domain and its owner, one System and
 * owner Group per provider workspace (or an adopted hand-written System), and the APIExportPolicies
 * that say who may bind an export. Split out of {@link MeshDeriver}, whose entities it adds to.
 */
final class ProviderDeriver {
  private final MeshDeriver deriver;
  private final MeshOptions options;
  private final ObjectMapper json;
  private final MeshIndex index;
  private final List<MeshProblem> problems;
  private final Set<MeshDoc> used;

  ProviderDeriver(MeshDeriver d) {
    this.deriver = d;
    this.options = d.options;
    this.json = d.json;
    this.index = d.index;
    this.problems = d.problems;
    this.used = d.used;
  }

  String domain(Known known) {
    JsonNode handDomain = known.named("domain", "platform-mesh");
    if (handDomain != null) {
      String ref = Known.ref(handDomain);
      deriver.adoptions.add(new MeshAdoption(ref, "", "domain"));
      return ref;
    }
    String owner = options.domainOwner();
    if (owner == null) {
      JsonNode owners = known.named("group", "platform-owners");
      if (owners != null) {
        owner = Known.ref(owners);
        deriver.adoptions.add(new MeshAdoption(owner, "", "domain-owner"));
      } else {
        ObjectNode group = deriver.envelope("Group", "platform-owners", "Platform owners",
            "Operate the Platform Mesh: account hierarchy, identity and provider onboarding.");
        group.with("spec").put("type", "platform-mesh-platform-owner").putArray("children");
        deriver.decorate(group, "root", "Workspace", "root", null, Map.of(), null);
        owner = deriver.put(group, List.of());
      }
    }
    ObjectNode domain = deriver.envelope("Domain", "platform-mesh", "Platform Mesh",
        "Service providers and consumers connected through kcp.");
    domain.with("spec").put("owner", owner);
    deriver.decorate(domain, "root", "Workspace", "root", null, Map.of(), null);
    return deriver.put(domain, List.of());
  }

  Map<String, Provider> providers(Map<String, Export> exports, Known known, String domainRef) {
    Set<String> paths = new TreeSet<>();
    exports.values().forEach(e -> paths.add(e.ws()));
    index.providerMetadata.keySet().forEach(paths::add);
    for (MeshDoc ws : index.workspaces) {
      if ("provider".equals(ws.spec().path("type").path("name").asText()) && Names.isWorkspaceName(ws.name())) {
        paths.add(ws.workspace() + ":" + ws.name());
        used.add(ws);
      }
    }
    Map<String, Provider> out = new LinkedHashMap<>();
    Set<String> taken = new java.util.HashSet<>();
    for (String path : paths) {
      String name = path.substring(path.lastIndexOf(':') + 1);
      if (!taken.add(name)) {
        name = path.startsWith("root:") ? path.substring(5).replace(':', '-') : path.replace(':', '-');
        taken.add(name);
      }
      List<MeshDoc> metadata = index.providerMetadata.getOrDefault(path, List.of());
      used.addAll(metadata); // the provider's System and owner Group (or the adopted System's APIs) use them
      out.put(path, provider(path, name, metadata, known, domainRef));
    }
    return out;
  }

  private Provider provider(String path, String name, List<MeshDoc> metadata, Known known, String domainRef) {
    JsonNode handSystem = known.systemAt(path);
    String ownerRef = null;
    if (handSystem != null) {
      String systemRef = Known.ref(handSystem);
      deriver.adoptions.add(new MeshAdoption(systemRef, path, "provider-system"));
      String owner = MeshDoc.text(handSystem.path("spec").path("owner"));
      if (owner != null) {
        try {
          ownerRef = EntityRef.parse(owner, "group", Known.namespace(handSystem)).canonical();
          deriver.adoptions.add(new MeshAdoption(ownerRef, path, "provider-owner"));
        } catch (IllegalArgumentException e) {
          ownerRef = null;
        }
      }
      if (ownerRef == null) {
        ownerRef = providerGroup(path, name, metadata);
      }
      return new Provider(path, name, systemRef, ownerRef, metadata);
    }
    ownerRef = providerGroup(path, name, metadata);
    MeshDoc first = metadata.isEmpty() ? null : metadata.get(0);
    ObjectNode system = deriver.envelope("System", Names.entityName(name),
        first != null ? MeshDoc.text(first.spec().path("displayName")) : name,
        first != null ? MeshDoc.text(first.spec().path("description")) : null);
    system.with("spec").put("owner", ownerRef).put("domain", domainRef);
    Set<String> tags = new LinkedHashSet<>();
    ArrayNode links = json.createArrayNode();
    SearchText search = new SearchText(options.maxSearchTextChars()).add(name).add(path);
    for (MeshDoc pm : metadata) {
      MeshIndex.texts(pm.spec().path("tags")).forEach(t -> deriver.addTag(tags, t));
      metadataFacts(pm, links, search);
    }
    if (!links.isEmpty()) {
      system.with("metadata").set("links", links);
    }
    deriver.putTags(system, tags);
    List<String> files = new ArrayList<>();
    metadata.forEach(m -> files.add(m.file()));
    String primary = first != null ? first.file() : index.firstFile.get(path);
    deriver.decorate(system, path, "Workspace", name, primary, Map.of(LABEL_PROVIDER, name), search.toString());
    deriver.put(system, files);
    return new Provider(path, name, deriver.ref("system", Names.entityName(name)), ownerRef, metadata);
  }

  /** The derived owner Group of a provider, from the contacts of its ProviderMetadata. */
  private String providerGroup(String path, String name, List<MeshDoc> metadata) {
    ObjectNode group = deriver.envelope("Group", Names.entityName("provider-" + name), "Provider " + name, null);
    ObjectNode spec = group.with("spec");
    spec.put("type", "platform-mesh-provider");
    ObjectNode profile = spec.putObject("profile").put("displayName", "Provider " + name);
    spec.putArray("children");
    ArrayNode links = json.createArrayNode();
    Set<String> emails = new LinkedHashSet<>();
    SearchText search = new SearchText(options.maxSearchTextChars()).add(name);
    for (MeshDoc pm : metadata) {
      for (JsonNode c : pm.spec().path("contacts")) {
        String email = MeshDoc.text(c.path("email"));
        if (email != null && emails.add(email)) {
          String who = MeshDoc.text(c.path("displayName"));
          links.addObject().put("url", "mailto:" + email).put("title", who != null ? who : email);
          search.add(who).add(email);
        }
      }
    }
    if (!emails.isEmpty()) {
      profile.put("email", emails.iterator().next());
    }
    if (!links.isEmpty()) {
      group.with("metadata").set("links", links);
    }
    String primary = metadata.isEmpty() ? index.firstFile.get(path) : metadata.get(0).file();
    deriver.decorate(group, path, "Workspace", name, primary, Map.of(LABEL_PROVIDER, name), search.toString());
    List<String> files = new ArrayList<>();
    metadata.forEach(m -> files.add(m.file()));
    return deriver.put(group, files);
  }

  static void metadataFacts(MeshDoc pm, ArrayNode links, SearchText search) {
    JsonNode spec = pm.spec();
    search.add(MeshDoc.text(spec.path("displayName"))).add(MeshDoc.text(spec.path("description")), 300);
    MeshIndex.texts(spec.path("tags")).forEach(search::add);
    for (String field : List.of("documentation", "links", "preferredSupportChannels")) {
      for (JsonNode l : spec.path(field)) {
        String url = MeshDoc.text(l.path("url"));
        if (url != null && links.size() < 20) {
          String title = MeshDoc.text(l.path("displayName"));
          ObjectNode link = links.addObject().put("url", url);
          if (title != null) {
            link.put("title", title);
            search.add(title);
          }
        }
      }
    }
    for (JsonNode c : spec.path("contacts")) {
      search.add(MeshDoc.text(c.path("displayName"))).add(MeshDoc.text(c.path("email")));
    }
  }

  Map<String, List<String>> policies(Map<String, Export> exports) {
    Map<String, List<String>> allowed = new HashMap<>();
    for (MeshDoc p : index.policies) {
      JsonNode ref = p.spec().path("apiExportRef");
      String name = MeshDoc.text(ref.path("name"));
      String path = MeshDoc.text(ref.path("clusterPath"));
      if (name == null || path == null) {
        problems.add(error(p, "APIExportPolicy has no spec.apiExportRef.name or clusterPath"));
        continue;
      }
      Export e = exports.get(key(path, name));
      if (e == null) {
        problems.add(warning(p, "APIExportPolicy refers to export '" + name + "' in " + path
            + ", which is not in the repository"));
        continue;
      }
      allowed.computeIfAbsent(key(path, name), k -> new ArrayList<>()).addAll(MeshIndex.texts(p.spec().path("allowPathExpressions")));
      used.add(p);
      deriver.policyFiles.computeIfAbsent(key(path, name), k -> new ArrayList<>()).add(p.file());
    }
    return allowed;
  }


}
