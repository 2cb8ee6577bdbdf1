package org.meshportal.catalog.processing;

import com.fasterxml.jackson.databind.JsonNode;
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
import org.meshportal.catalog.service.Ancestry;
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

  public CatalogEntityService(CatalogEngine engine) {
    this.engine = engine;
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
        errors.add(error("InputError", Entities.name(copy) + ": " + e.getMessage()));
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
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode result = f.objectNode();
    result.putArray("existingEntityFiles");
    ObjectNode generated = result.putArray("generateEntities").addObject();
    ObjectNode entity = generated.putObject("entity");
    entity.put("apiVersion", "backstage.io/v1alpha1");
    entity.put("kind", "Component");
    entity.putObject("metadata").put("name", repositoryName(uri));
    entity.putObject("spec").put("type", "other").put("lifecycle", "unknown");
    ObjectNode owner = generated.putArray("fields").addObject();
    owner.put("field", "spec.owner");
    owner.put("state", "needsUserInput");
    owner.putNull("value");
    owner.put("description", "Entity owner is required");
    return result;
  }

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
