package org.meshportal.templates.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.meshportal.model.Entities;
import org.meshportal.model.errors.InputException;
import org.meshportal.templates.TemplateCatalog;
import org.meshportal.templates.action.ActionContext;

/** catalog:register and catalog:write. */
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
        String type = url.startsWith("file:") ? "file" : "url";
        String target = type.equals("file") ? Path.of(java.net.URI.create(url)).toString() : url;
        List<JsonNode> entities = catalog.registerLocation(type, target);
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
  }

  static final class Write extends BaseAction {
    Write() {
      super("catalog:write", "Writes the catalog-info.yaml for your template.", """
          {"type":"object","required":["entity"],"properties":{
            "filePath":{"type":"string","description":"Defaults to catalog-info.yaml"},
            "entity":{"type":"object","description":"The entity to write"}}}""", null);
    }

    @Override
    public boolean supportsDryRun() {
      return true;
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
