package org.meshportal.catalog.permission;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A Backstage permission: basic (no resource type) or resource (with one), and its optional
 * {@code attributes.action}.
 *
 * @param resourceType e.g. {@code catalog-entity}; null for a basic permission
 * @param action {@code create|read|update|delete}, or null when the permission has none
 */
public record Permission(String name, String resourceType, String action) {
  public static final String CATALOG_ENTITY = "catalog-entity";
  public static final String SCAFFOLDER_TEMPLATE = "scaffolder-template";
  public static final String SCAFFOLDER_ACTION = "scaffolder-action";
  public static final String SCAFFOLDER_TASK = "scaffolder-task";

  public static final Permission CATALOG_ENTITY_READ = new Permission("catalog.entity.read", CATALOG_ENTITY, "read");
  public static final Permission CATALOG_ENTITY_CREATE = new Permission("catalog.entity.create", null, "create");
  public static final Permission CATALOG_ENTITY_DELETE = new Permission("catalog.entity.delete", CATALOG_ENTITY, "delete");
  public static final Permission CATALOG_ENTITY_REFRESH = new Permission("catalog.entity.refresh", CATALOG_ENTITY, "update");
  public static final Permission CATALOG_ENTITY_VALIDATE = new Permission("catalog.entity.validate", null, null);
  public static final Permission CATALOG_LOCATION_READ = new Permission("catalog.location.read", null, "read");
  public static final Permission CATALOG_LOCATION_CREATE = new Permission("catalog.location.create", null, "create");
  public static final Permission CATALOG_LOCATION_DELETE = new Permission("catalog.location.delete", null, "delete");
  public static final Permission CATALOG_LOCATION_ANALYZE = new Permission("catalog.location.analyze", null, null);
  public static final Permission CATALOG_INGESTION_READ = new Permission("catalog.ingestion.read", null, "read");
  public static final Permission CATALOG_INGESTION_MANAGE = new Permission("catalog.ingestion.manage", null, "update");
  public static final Permission SCAFFOLDER_ACTION_EXECUTE =
      new Permission("scaffolder.action.execute", SCAFFOLDER_ACTION, null);
  public static final Permission SCAFFOLDER_TEMPLATE_PARAMETER_READ =
      new Permission("scaffolder.template.parameter.read", SCAFFOLDER_TEMPLATE, "read");
  public static final Permission SCAFFOLDER_TEMPLATE_STEP_READ =
      new Permission("scaffolder.template.step.read", SCAFFOLDER_TEMPLATE, "read");
  public static final Permission SCAFFOLDER_TEMPLATE_DRY_RUN = new Permission("scaffolder.template.dry-run", null, null);
  public static final Permission SCAFFOLDER_TEMPLATE_MANAGEMENT =
      new Permission("scaffolder.template.management", null, null);
  public static final Permission SCAFFOLDER_TASK_READ = new Permission("scaffolder.task.read", SCAFFOLDER_TASK, "read");
  public static final Permission SCAFFOLDER_TASK_CREATE = new Permission("scaffolder.task.create", null, "create");
  public static final Permission SCAFFOLDER_TASK_CANCEL = new Permission("scaffolder.task.cancel", SCAFFOLDER_TASK, null);

  /** Every permission of the catalog and the scaffolder (catalog-common 1.2.2, scaffolder-common 2.4.0). */
  public static final List<Permission> ALL = List.of(
      CATALOG_ENTITY_READ, CATALOG_ENTITY_CREATE, CATALOG_ENTITY_DELETE, CATALOG_ENTITY_REFRESH,
      CATALOG_ENTITY_VALIDATE, CATALOG_LOCATION_READ, CATALOG_LOCATION_CREATE, CATALOG_LOCATION_DELETE,
      CATALOG_LOCATION_ANALYZE, CATALOG_INGESTION_READ, CATALOG_INGESTION_MANAGE,
      SCAFFOLDER_ACTION_EXECUTE, SCAFFOLDER_TEMPLATE_PARAMETER_READ, SCAFFOLDER_TEMPLATE_STEP_READ,
      SCAFFOLDER_TEMPLATE_DRY_RUN, SCAFFOLDER_TEMPLATE_MANAGEMENT, SCAFFOLDER_TASK_READ, SCAFFOLDER_TASK_CREATE,
      SCAFFOLDER_TASK_CANCEL);

  public Permission {
    Objects.requireNonNull(name, "name");
  }

  public boolean isResource() {
    return resourceType != null;
  }

  /** The RBAC action of this permission: its {@code attributes.action}, or {@code use} when it has none. */
  public String policyAction() {
    return action == null ? "use" : action;
  }

  /** The plugin that owns the permission: the first segment of its name. */
  public String pluginId() {
    int dot = name.indexOf('.');
    return dot < 0 ? name : name.substring(0, dot);
  }

  public static Optional<Permission> known(String name) {
    return ALL.stream().filter(p -> p.name().equals(name)).findFirst();
  }

  /** The permission as Backstage sends it: {@code {type, name, attributes[, resourceType]}}. */
  public Map<String, Object> toJson() {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("type", isResource() ? "resource" : "basic");
    out.put("name", name);
    out.put("attributes", action == null ? Map.of() : Map.of("action", action));
    if (isResource()) {
      out.put("resourceType", resourceType);
    }
    return out;
  }
}
