package org.meshportal.templates.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.meshportal.model.Entities;
import org.meshportal.model.EntityRef;
import org.meshportal.model.errors.InputException;
import org.meshportal.model.errors.NotFoundException;
import org.meshportal.templates.TemplateCatalog;
import org.meshportal.templates.action.ActionContext;

/** catalog:register, catalog:fetch and catalog:write. */
final class CatalogActions {
  private CatalogActions() {}

  static final class Register extends BaseAction {
    private final TemplateCatalog catalog;

    Register(TemplateCatalog catalog) {
      super("catalog:register", "Registers entities from a catalog descriptor file in the software catalog.", """
          {"oneOf":[
            {"type":"object","required":["catalogInfoUrl"],"properties":{
              "catalogInfoUrl":{"type":"string","description":"An absolute URL pointing to the catalog info file location"},
              "optional":{"type":"boolean","description":"Permit the registered location to optionally exist"}}},
            {"type":"object","required":["repoContentsUrl"],"properties":{
              "repoContentsUrl":{"type":"string","description":"An absolute URL pointing to the root of a repository directory tree"},
              "catalogInfoPath":{"type":"string","description":"A relative path from the repo root pointing to the catalog info file, defaults to /catalog-info.yaml"},
              "optional":{"type":"boolean"}}}]}""", """
          {"type":"object","properties":{
            "catalogInfoUrl":{"type":"string","examples":["https://example.com/org/repo/blob/main/catalog-info.yaml"]},
            "entityRef":{"type":"string","examples":["component:default/example"]}}}""");
      this.catalog = catalog;
    }

    @Override
    public void execute(ActionContext ctx) throws Exception {
      JsonNode in = ctx.input();
      String url = text(in, "catalogInfoUrl", null);
      if (url == null) {
        String base = text(in, "repoContentsUrl", "");
        String path = text(in, "catalogInfoPath", "/catalog-info.yaml");
        url = (base.endsWith("/") ? base.substring(0, base.length() - 1) : base)
            + (path.startsWith("/") ? path : "/" + path);
      }
      ctx.log("Registering " + url + " in the catalog");
      try {
        String[] location = location(url);
        List<JsonNode> entities;
        try {
          entities = catalog.registerLocation(location[0], location[1]);
        } catch (RuntimeException e) {
          throw new InputException("Could not register " + location[0] + ":" + location[1]
              + " in the catalog: " + e.getMessage());
        }
        ctx.output("catalogInfoUrl", JSON.getNodeFactory().textNode(url));
        JsonNode chosen = entities.stream()
            .filter(e -> "Component".equalsIgnoreCase(Entities.kind(e)) && !Entities.name(e).startsWith("generated-"))
            .findFirst()
            .or(() -> entities.stream().filter(e -> !Entities.name(e).startsWith("generated-")).findFirst())
            .or(() -> entities.stream().findFirst())
            .orElse(null);
        if (chosen != null) {
          ctx.output("entityRef", JSON.getNodeFactory().textNode(Entities.ref(chosen).canonical()));
        }
      } catch (RuntimeException e) {
        if (flag(in, "optional")) {
          ctx.log("Ignoring failed registration because optional is set: " + e.getMessage());
          return;
        }
        throw e;
      }
    }

    /**
     * {@code [type, target]} for a catalog-info URL. Like Backstage, http(s) URLs are {@code url}
     * locations. A {@code file:} URL naming a file on disk is a {@code file} location; one that does
     * not exist but has Git's blob shape ({@code file:///repo.git/blob/main/catalog-info.yaml}, what
     * publish:git reports for a {@code file://} remote) stays a {@code url} location, which the
     * catalog reads from the repository.
     */
    static String[] location(String url) {
      URI uri;
      try {
        uri = URI.create(url);
      } catch (IllegalArgumentException e) {
        throw new InputException("catalogInfoUrl is not a valid URL: " + url);
      }
      if (!"file".equals(uri.getScheme())) {
        return new String[] {"url", url};
      }
      Path path;
      try {
        path = Path.of(uri);
      } catch (IllegalArgumentException e) {
        throw new InputException("catalogInfoUrl is not a valid file URL: " + url);
      }
      if (Files.isRegularFile(path) || !url.contains("/blob/")) {
        return new String[] {"file", path.toString()};
      }
      return new String[] {"url", url};
    }
  }

  static final class Fetch extends BaseAction {
    private final TemplateCatalog catalog;

    Fetch(TemplateCatalog catalog) {
      super("catalog:fetch", "Returns entity or entities from the catalog by entity reference(s)", """
          {"type":"object","properties":{
            "entityRef":{"type":"string","description":"Entity reference of the entity to get"},
            "entityRefs":{"type":"array","items":{"type":"string"},"description":"Entity references of the entities to get"},
            "optional":{"type":"boolean","description":"Allow the entity or entities to optionally exist. Default: false"},
            "defaultKind":{"type":"string","description":"The default kind"},
            "defaultNamespace":{"type":"string","description":"The default namespace"}}}""", """
          {"type":"object","properties":{
            "entity":{"type":["object","null"],"description":"Object containing same values used in the Entity schema. Only when used with entityRef parameter."},
            "entities":{"type":"array","items":{"type":["object","null"]},"description":"Array containing objects with same values used in the Entity schema. Only when used with entityRefs parameter."}}}""", DryRun.SUPPORTED);
      this.catalog = catalog;
    }

    @Override
    public void execute(ActionContext ctx) {
      JsonNode in = ctx.input();
      String entityRef = text(in, "entityRef", null);
      JsonNode entityRefs = in.get("entityRefs");
      boolean optional = flag(in, "optional");
      String defaultKind = text(in, "defaultKind", null);
      String defaultNamespace = text(in, "defaultNamespace", null);
      if (entityRef == null && (entityRefs == null || entityRefs.isNull())) {
        if (optional) {
          return;
        }
        throw new InputException("Missing entity reference or references");
      }
      if (entityRef != null) {
        JsonNode entity = lookup(entityRef, defaultKind, defaultNamespace);
        if (entity == null && !optional) {
          throw new NotFoundException("Entity " + entityRef + " not found");
        }
        ctx.output("entity", entity == null ? NullNode.getInstance() : entity);
      }
      if (entityRefs != null && entityRefs.isArray()) {
        ArrayNode found = JSON.createArrayNode();
        for (JsonNode ref : entityRefs) {
          JsonNode entity = lookup(ref.asText(), defaultKind, defaultNamespace);
          if (entity == null && !optional) {
            throw new NotFoundException("Entity " + ref.asText() + " not found");
          }
          found.add(entity == null ? NullNode.getInstance() : entity);
        }
        ctx.output("entities", found);
      }
    }

    private JsonNode lookup(String ref, String defaultKind, String defaultNamespace) {
      EntityRef parsed;
      try {
        parsed = EntityRef.parse(ref, defaultKind, defaultNamespace);
      } catch (IllegalArgumentException e) {
        throw new InputException("Invalid entity reference " + ref + ": " + e.getMessage());
      }
      return catalog.findEntity(parsed).orElse(null);
    }
  }

  static final class Write extends BaseAction {
    Write() {
      super("catalog:write", "Writes the catalog-info.yaml for your template.", """
          {"type":"object","required":["entity"],"properties":{
            "filePath":{"type":"string","description":"Defaults to catalog-info.yaml"},
            "entity":{"type":"object","description":"The entity to write"}}}""", null, DryRun.SUPPORTED);
    }

    @Override
    public void execute(ActionContext ctx) throws Exception {
      JsonNode entity = ctx.input().get("entity").deepCopy();
      if (!(entity instanceof ObjectNode obj)) {
        throw new InputException("entity must be an object");
      }
      if (ctx.templateRef() != null) {
        Entities.annotations(obj).put("backstage.io/source-template", ctx.templateRef());
      }
      Path file = ctx.workspace().resolve(text(ctx.input(), "filePath", "catalog-info.yaml"));
      Files.createDirectories(file.getParent());
      ctx.log("Writing " + ctx.workspace().relativize(file));
      Files.writeString(file, Yaml.write(obj));
      ctx.workspace().checkLimits();
    }
  }
}
