package org.meshportal.catalog.processing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.meshportal.catalog.service.AddLocationResult;
import org.meshportal.catalog.service.Ancestry;
import org.meshportal.catalog.service.LocationService;
import org.meshportal.catalog.service.EntityService;
import org.meshportal.catalog.service.ProcessingError;
import org.meshportal.model.Entities;
import org.meshportal.model.EntityPolicy;
import org.meshportal.model.EntityRef;
import org.meshportal.model.RelationRules;
import org.meshportal.model.errors.InputException;
import org.meshportal.model.errors.NotFoundException;

/** {@link EntityService} over the engine. */
public final class CatalogEntityService implements EntityService {
  private final CatalogEngine engine;
  private volatile RepositoryScanner scanner;
  private volatile LocationService locations;

  public CatalogEntityService(CatalogEngine engine) {
    this.engine = engine;
  }

  /**
   * Lets {@code analyze-location} read repositories: {@code scanner} finds their catalog files,
   * {@code locations} dry-runs each (entities, and whether it is registered). Without it the
   * analysis only generates an entity.
   */
  public void analyzeWith(RepositoryScanner scanner, LocationService locations) {
    this.scanner = scanner;
    this.locations = locations;
  }

  @Override
  public void refresh(String entityRef) {
    EntityRef ref;
    try {
      ref = EntityRef.parse(entityRef);
    } catch (IllegalArgumentException e) {
      throw new InputException(e.getMessage());
    }
    engine.refreshEntity(ref.canonical());
  }

  @Override
  public void deleteByUid(String uid) {
    engine.deleteByUid(uid);
  }

  @Override
  public Ancestry ancestry(String kind, String namespace, String name) {
    String root = new EntityRef(kind, namespace, name).canonical();
    if (engine.state(root).isEmpty()) {
      throw new NotFoundException("No such entity " + root);
    }
    List<Ancestry.Item> items = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    Deque<String> todo = new ArrayDeque<>();
    todo.add(root);
    seen.add(root);
    while (!todo.isEmpty()) {
      String ref = todo.poll();
      var state = engine.state(ref);
      var body = engine.body(ref);
      if (state.isEmpty() || body.isEmpty()) {
        continue;
      }
      items.add(new Ancestry.Item(body.get(), state.get().parents()));
      for (String parent : state.get().parents()) {
        if (seen.add(parent)) {
          todo.add(parent);
        }
      }
    }
    return new Ancestry(root, items);
  }

  @Override
  public List<JsonNode> validate(JsonNode entity, String locationRef) {
    List<JsonNode> errors = new ArrayList<>();
    int colon = locationRef == null ? -1 : locationRef.indexOf(':');
    String type = colon > 0 ? locationRef.substring(0, colon).trim() : "";
    String target = colon > 0 ? locationRef.substring(colon + 1).trim() : "";
    if (!type.equals("url") || target.isEmpty() || target.toLowerCase(Locale.ROOT).startsWith("javascript:")) {
      errors.add(error("InputError", "Invalid location ref '" + locationRef + "', only 'url:<target>' is accepted"));
      return errors;
    }
    if (!(entity instanceof ObjectNode object)) {
      errors.add(error("InputError", "The entity must be an object"));
      return errors;
    }
    ObjectNode copy = object.deepCopy();
    if (copy.path("metadata").isObject()) {
      ObjectNode annotations = Entities.annotations(copy);
      String ref = type + ":" + target;
      if (!annotations.has(Annotations.MANAGED_BY_LOCATION)) {
        annotations.put(Annotations.MANAGED_BY_LOCATION, ref);
      }
      if (!annotations.has(Annotations.MANAGED_BY_ORIGIN_LOCATION)) {
        annotations.put(Annotations.MANAGED_BY_ORIGIN_LOCATION, ref);
      }
    }
    for (EntityPolicy.Problem p : engine.policy().validate(copy)) {
      errors.add(error(p.name(), p.message()));
    }
    if (errors.isEmpty()) {
      try {
        RelationRules.edges(copy);
      } catch (IllegalArgumentException e) {
        errors.add(error("InputError", e.getMessage()));
      }
    }
    return errors;
  }

  @Override
  public JsonNode analyzeLocation(JsonNode request) {
    String target = request.path("location").path("target").asText("");
    URI uri;
    try {
      uri = new URI(target);
    } catch (URISyntaxException e) {
      throw new InputException("The given location.target is not a URL");
    }
    if (uri.getScheme() == null || uri.getHost() == null) {
      throw new InputException("The given location.target is not a URL");
    }
    JsonNode fileNameNode = request.path("catalogFilename");
    String fileName = fileNameNode.isMissingNode() || fileNameNode.isNull() ? "catalog-info.yaml" : fileNameNode.asText("");
    // A plain file name: it becomes a glob, so no path or glob characters.
    if (!fileNameNode.isMissingNode() && !fileNameNode.isNull() && !fileNameNode.isTextual()
        || !CATALOG_FILENAME.matcher(fileName).matches()) {
      throw new InputException("catalogFilename must be a file name (letters, digits, '.', '_', '-')");
    }
    // The sandbox decides before anything is contacted: unlisted hosts are a NotAllowedError.
    engine.checkReadable("url", target);

    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode result = f.objectNode();
    ArrayNode existing = result.putArray("existingEntityFiles");
    ArrayNode generate = result.putArray("generateEntities");
    RepositoryScanner scanner = this.scanner;
    RepositoryScanner.Scan scan = scanner == null ? null : scanner.scan(target, fileName);
    if (scan != null) {
      for (String fileUrl : scan.fileUrls()) {
        AddLocationResult dryRun = locations.add("url", fileUrl, true, false);
        for (JsonNode entity : dryRun.entities()) {
          ObjectNode item = existing.addObject();
          item.putObject("location").put("type", "url").put("target", fileUrl);
          item.put("isRegistered", Boolean.TRUE.equals(dryRun.exists()));
          item.set("entity", entity);
        }
      }
      if (!existing.isEmpty()) {
        return result; // as Backstage: existing files, nothing generated
      }
    }
    ObjectNode generated = generate.addObject();
    ObjectNode entity = generated.putObject("entity");
    entity.put("apiVersion", "backstage.io/v1alpha1");
    entity.put("kind", "Component");
    String name = scan != null ? scan.name() : repositoryName(uri);
    ObjectNode metadata = entity.putObject("metadata").put("name", name);
    String prefix = scan == null ? null : switch (scan.kind()) {
      case GITHUB -> "github.com";
      case GITLAB -> "gitlab.com";
      case BITBUCKET -> "bitbucket.org";
      default -> null;
    };
    if (prefix != null) {
      metadata.putObject("annotations").put(prefix + "/project-slug", scan.owner() + "/" + scan.name());
    }
    entity.putObject("spec").put("type", "other").put("lifecycle", "unknown");
    generated.putArray("fields"); // Backstage's RepoLocationAnalyzer suggests no fields
    return result;
  }

  private static final java.util.regex.Pattern CATALOG_FILENAME =
      java.util.regex.Pattern.compile("[A-Za-z0-9_][A-Za-z0-9._-]{0,254}");

  private static String repositoryName(URI uri) {
    String path = uri.getPath() == null ? "" : uri.getPath();
    String[] parts = path.split("/");
    String name = parts.length > 2 ? parts[2] : parts.length > 1 ? parts[1] : uri.getHost();
    name = name.replaceAll("\\.git$", "").replaceAll("[^A-Za-z0-9_.-]", "-");
    return name.isEmpty() ? "component" : name;
  }

  @Override
  public List<ProcessingError> processingErrors() {
    return engine.processingErrors();
  }

  private static JsonNode error(String name, String message) {
    return JsonNodeFactory.instance.objectNode().put("name", name).put("message", message);
  }
}
