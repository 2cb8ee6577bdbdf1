package org.meshportal.templates;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.meshportal.model.Entities;
import org.meshportal.model.EntityRef;
import org.meshportal.model.errors.InputException;
import org.meshportal.model.errors.NotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * From a Template entity to a task: finds and checks the template, validates the caller's values
 * and secrets against its parameter schemas and builds the task spec (Backstage's shape). Shared by
 * task creation and dry runs.
 */
final class TaskSpecs {
  private static final Logger LOG = LoggerFactory.getLogger(TaskSpecs.class);
  static final String TEMPLATE_API_VERSION = "scaffolder.backstage.io/v1beta3";

  private final TemplateCatalog catalog;
  private final SchemaValidation schemas;
  private final ObjectMapper json;

  TaskSpecs(TemplateCatalog catalog, SchemaValidation schemas, ObjectMapper json) {
    this.catalog = catalog;
    this.schemas = schemas;
    this.json = json;
  }

  JsonNode loadTemplate(EntityRef ref) {
    EntityRef canonical = new EntityRef("template", ref.namespace(), ref.name());
    if (!"template".equalsIgnoreCase(ref.kind())) {
      throw new InputException("Invalid kind, only 'Template' kind is supported");
    }
    JsonNode template = catalog.findEntity(canonical)
        .orElseThrow(() -> new NotFoundException("Template " + canonical.canonical() + " not found"));
    String apiVersion = template.path("apiVersion").asText();
    if (!TEMPLATE_API_VERSION.equals(apiVersion)) {
      throw new InputException("Unsupported apiVersion field in schema entity, " + apiVersion);
    }
    return template;
  }

  List<JsonNode> pages(JsonNode spec) {
    JsonNode params = spec.get("parameters");
    List<JsonNode> out = new ArrayList<>();
    if (params == null || params.isNull()) {
      return out;
    }
    if (params.isArray()) {
      params.forEach(out::add);
    } else {
      out.add(params);
    }
    return out;
  }

  void validateValues(JsonNode spec, ObjectNode values, JsonNode secretsSchema, ObjectNode secrets) {
    ArrayNode errors = json.createArrayNode();
    for (JsonNode page : pages(spec)) {
      errors.addAll(schemas.validate(page, values, "instance"));
    }
    if (!secretsSchema.isMissingNode() && !secretsSchema.isNull()) {
      errors.addAll(schemas.validate(secretsSchema, secrets, "secrets"));
    }
    if (!errors.isEmpty()) {
      throw new TaskValidationException(new Redactor(secrets).redact(errors));
    }
  }

  ObjectNode taskSpec(JsonNode template, EntityRef ref, ObjectNode values, Caller caller) {
    JsonNode tspec = template.path("spec");
    ObjectNode spec = json.createObjectNode();
    spec.put("apiVersion", template.path("apiVersion").asText());
    ArrayNode steps = spec.putArray("steps");
    int i = 0;
    for (JsonNode s : tspec.path("steps")) {
      i++;
      ObjectNode step = s.deepCopy();
      if (!step.hasNonNull("id")) {
        step.put("id", "step-" + i);
      }
      if (!step.hasNonNull("name")) {
        step.put("name", step.path("action").asText());
      }
      steps.add(step);
    }
    spec.set("output", tspec.has("output") ? tspec.get("output") : json.createObjectNode());
    spec.set("parameters", values);
    ObjectNode user = spec.putObject("user");
    if (caller.userEntityRef() != null) {
      try {
        catalog.findEntity(EntityRef.parse(caller.userEntityRef(), "user", null)).ifPresent(u -> user.set("entity", u));
      } catch (IllegalArgumentException e) {
        LOG.debug("Caller ref {} is not an entity ref: {}", caller.userEntityRef(), e.getMessage());
      }
      user.put("ref", caller.userEntityRef());
    }
    ObjectNode info = spec.putObject("templateInfo");
    info.put("entityRef", new EntityRef("template", ref.namespace(), ref.name()).canonical());
    String baseUrl = baseUrl(template);
    if (baseUrl != null) {
      info.put("baseUrl", baseUrl);
    }
    info.putObject("entity").set("metadata", template.path("metadata"));
    if (tspec.has("EXPERIMENTAL_recovery")) {
      spec.set("EXPERIMENTAL_recovery", tspec.get("EXPERIMENTAL_recovery"));
    }
    return spec;
  }

  /**
   * Backstage's {@code templateInfo.baseUrl}: the source-location, else the managed-by-location
   * target, as a URL: a {@code url} target as is (the template file's blob URL), a {@code file}
   * target as a {@code file://} URI of that path.
   */
  static String baseUrl(JsonNode template) {
    for (String annotation : List.of("backstage.io/source-location", "backstage.io/managed-by-location")) {
      String value = Entities.annotation(template, annotation);
      if (value == null || value.indexOf(':') < 0) {
        continue;
      }
      String type = value.substring(0, value.indexOf(':'));
      String target = value.substring(value.indexOf(':') + 1);
      try {
        if ("file".equals(type)) {
          String uri = Path.of(target).toUri().toString();
          return target.endsWith("/") && !uri.endsWith("/") ? uri + "/" : uri;
        }
        if ("url".equals(type)) {
          return URI.create(target).toString();
        }
      } catch (RuntimeException e) {
        LOG.debug("Ignoring unusable {} annotation {}: {}", annotation, value, e.getMessage());
      }
      return null;
    }
    return null;
  }
}
