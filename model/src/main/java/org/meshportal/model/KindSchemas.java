package org.meshportal.model;

import static org.meshportal.model.SchemaCheck.child;
import static org.meshportal.model.SchemaCheck.nonEmptyString;
import static org.meshportal.model.SchemaCheck.object;
import static org.meshportal.model.SchemaCheck.optionalAnyString;
import static org.meshportal.model.SchemaCheck.optionalEnum;
import static org.meshportal.model.SchemaCheck.optionalObject;
import static org.meshportal.model.SchemaCheck.optionalString;
import static org.meshportal.model.SchemaCheck.optionalStringArray;
import static org.meshportal.model.SchemaCheck.required;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The kind schemas the catalog's processors accept: the eight built-in kinds of catalog-model and
 * the scaffolder's Template. Kind and apiVersion match exactly (case-sensitive), as Backstage's
 * enum checks do.
 */
final class KindSchemas {
  static final Set<String> BUILTIN_API_VERSIONS = Set.of("backstage.io/v1alpha1", "backstage.io/v1beta1");
  static final String TEMPLATE_API_VERSION = "scaffolder.backstage.io/v1beta3";

  /** A kind schema: which apiVersions it takes, which processor owns it, and its spec checks. */
  record Schema(Set<String> apiVersions, String processor, Consumer<JsonNode> specCheck) {}

  private static final String BUILTIN = "BuiltinKindsEntityProcessor";

  private static final Map<String, Schema> SCHEMAS = Map.of(
      "Component", new Schema(BUILTIN_API_VERSIONS, BUILTIN, KindSchemas::component),
      "API", new Schema(BUILTIN_API_VERSIONS, BUILTIN, KindSchemas::api),
      "Resource", new Schema(BUILTIN_API_VERSIONS, BUILTIN, KindSchemas::resource),
      "System", new Schema(BUILTIN_API_VERSIONS, BUILTIN, KindSchemas::system),
      "Domain", new Schema(BUILTIN_API_VERSIONS, BUILTIN, KindSchemas::domain),
      "Group", new Schema(BUILTIN_API_VERSIONS, BUILTIN, KindSchemas::group),
      "User", new Schema(BUILTIN_API_VERSIONS, BUILTIN, KindSchemas::user),
      "Location", new Schema(BUILTIN_API_VERSIONS, BUILTIN, KindSchemas::location),
      "Template", new Schema(Set.of(TEMPLATE_API_VERSION), "ScaffolderEntitiesProcessor", KindSchemas::template));

  private KindSchemas() {}

  /** The schema for exactly this kind and apiVersion, or null when no processor would take it. */
  static Schema find(String kind, String apiVersion) {
    Schema s = SCHEMAS.get(kind);
    return s != null && s.apiVersions().contains(apiVersion) ? s : null;
  }

  static Set<String> kinds() {
    return SCHEMAS.keySet();
  }

  /** Runs the kind's checks on the whole entity: {@code spec} is required by every kind schema. */
  static void check(Schema schema, JsonNode entity) {
    required(entity, "", "spec");
    JsonNode spec = object(entity.get("spec"), "/spec");
    schema.specCheck().accept(spec);
  }

  private static void component(JsonNode spec) {
    required(spec, "/spec", "type", "lifecycle", "owner");
    optionalString(spec, "/spec", "type");
    optionalString(spec, "/spec", "lifecycle");
    optionalString(spec, "/spec", "owner");
    optionalString(spec, "/spec", "system");
    optionalString(spec, "/spec", "subcomponentOf");
    optionalStringArray(spec, "/spec", "providesApis");
    optionalStringArray(spec, "/spec", "consumesApis");
    optionalStringArray(spec, "/spec", "dependsOn");
    optionalStringArray(spec, "/spec", "dependencyOf");
  }

  private static void api(JsonNode spec) {
    // catalog-model 1.10's mcp-server variant describes remotes instead of a definition.
    boolean mcpServer = "mcp-server".equals(spec.path("type").asText(null));
    if (mcpServer) {
      required(spec, "/spec", "type", "lifecycle", "owner");
    } else {
      required(spec, "/spec", "type", "lifecycle", "owner", "definition");
    }
    optionalString(spec, "/spec", "type");
    optionalString(spec, "/spec", "lifecycle");
    optionalString(spec, "/spec", "owner");
    optionalString(spec, "/spec", "definition");
    optionalString(spec, "/spec", "system");
    if (mcpServer && spec.has("remotes")) {
      SchemaCheck.array(spec.get("remotes"), "/spec/remotes");
    }
  }

  private static void resource(JsonNode spec) {
    required(spec, "/spec", "type", "owner");
    optionalString(spec, "/spec", "type");
    optionalString(spec, "/spec", "owner");
    optionalStringArray(spec, "/spec", "dependsOn");
    optionalStringArray(spec, "/spec", "dependencyOf");
    optionalString(spec, "/spec", "system");
  }

  private static void system(JsonNode spec) {
    required(spec, "/spec", "owner");
    optionalString(spec, "/spec", "owner");
    optionalString(spec, "/spec", "domain");
    optionalString(spec, "/spec", "type");
  }

  private static void domain(JsonNode spec) {
    required(spec, "/spec", "owner");
    optionalString(spec, "/spec", "owner");
    optionalString(spec, "/spec", "subdomainOf");
    optionalString(spec, "/spec", "type");
  }

  private static void group(JsonNode spec) {
    required(spec, "/spec", "type", "children");
    optionalString(spec, "/spec", "type");
    profile(spec);
    optionalString(spec, "/spec", "parent");
    optionalStringArray(spec, "/spec", "children");
    optionalStringArray(spec, "/spec", "members");
  }

  private static void user(JsonNode spec) {
    required(spec, "/spec", "memberOf");
    profile(spec);
    optionalStringArray(spec, "/spec", "memberOf");
  }

  private static void profile(JsonNode spec) {
    optionalObject(spec, "/spec", "profile");
    JsonNode profile = spec.get("profile");
    if (profile != null) {
      optionalString(profile, "/spec/profile", "displayName");
      optionalString(profile, "/spec/profile", "email");
      optionalString(profile, "/spec/profile", "picture");
    }
  }

  private static void location(JsonNode spec) {
    optionalString(spec, "/spec", "type");
    optionalString(spec, "/spec", "target");
    optionalStringArray(spec, "/spec", "targets");
    optionalEnum(spec, "/spec", "presence", List.of("required", "optional"));
  }

  private static void template(JsonNode spec) {
    required(spec, "/spec", "type", "steps");
    optionalString(spec, "/spec", "type");
    optionalString(spec, "/spec", "owner");
    optionalAnyString(spec, "/spec", "lifecycle");
    JsonNode parameters = spec.get("parameters");
    if (parameters != null && !parameters.isObject()) {
      // Either one page (object) or a list of pages (objects).
      if (!parameters.isArray()) {
        object(parameters, "/spec/parameters");
      }
      for (int i = 0; i < parameters.size(); i++) {
        object(parameters.get(i), child("/spec/parameters", i));
      }
    }
    JsonNode steps = spec.get("steps");
    SchemaCheck.array(steps, "/spec/steps");
    for (int i = 0; i < steps.size(); i++) {
      String path = child("/spec/steps", i);
      JsonNode step = object(steps.get(i), path);
      required(step, path, "action");
      nonEmptyString(step.get("action"), child(path, "action"));
      optionalAnyString(step, path, "id");
      optionalAnyString(step, path, "name");
      optionalObject(step, path, "input");
      JsonNode condition = step.get("if");
      if (condition != null && !condition.isTextual() && !condition.isBoolean()) {
        throw SchemaCheck.fail(child(path, "if"), "must be string,boolean", "type", "string,boolean");
      }
    }
    optionalObject(spec, "/spec", "output");
    optionalObject(spec, "/spec", "presentation");
    JsonNode secrets = spec.get("secrets");
    if (secrets != null) {
      object(secrets, "/spec/secrets");
      optionalObject(secrets, "/spec/secrets", "schema");
    }
  }
}
