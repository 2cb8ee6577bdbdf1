package org.meshportal.catalog.permission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.meshportal.catalog.auth.Principal;
import org.meshportal.model.Entities;
import org.meshportal.model.errors.NotAllowedException;
import org.meshportal.model.errors.NotFoundException;
import org.meshportal.templates.ActionPermission;
import org.meshportal.templates.TaskQuery;

/**
 * How the scaffolder's routes apply the policy: templates through {@code catalog.entity.read} and
 * the parameter/step read permissions, tasks through {@code scaffolder.task.*} (a task's creator
 * may always read, stream and cancel it), actions through {@code scaffolder.action.execute} as
 * each step runs.
 */
public final class ScaffolderPermissions {
  private final Permissions permissions;

  public ScaffolderPermissions(Permissions permissions) {
    this.permissions = permissions;
  }

  /**
   * The template as the caller may use it: a template it may not read is not found (as in
   * Backstage, where the scaffolder reads the catalog with the caller's credentials); parameter
   * pages and steps it may not read are removed.
   */
  public UnaryOperator<JsonNode> templateView(Principal principal) {
    return template -> {
      if (!permissions.enabled()) {
        return template;
      }
      String ref = Entities.ref(template).canonical();
      if (permissions.readable(principal).byRef(ref).isEmpty()) {
        throw new NotFoundException("Template " + ref + " not found");
      }
      Decision parameters = permissions.decide(principal, Permission.SCAFFOLDER_TEMPLATE_PARAMETER_READ);
      Decision steps = permissions.decide(principal, Permission.SCAFFOLDER_TEMPLATE_STEP_READ);
      if (parameters instanceof Decision.Allow && steps instanceof Decision.Allow) {
        return template;
      }
      ObjectNode copy = template.deepCopy();
      ObjectNode spec = copy.with("spec");
      JsonNode params = spec.get("parameters");
      if (params != null && params.isArray()) {
        spec.set("parameters", readable((ArrayNode) params, parameters));
      } else if (params != null && params.isObject() && !readable(parameters, params)) {
        spec.remove("parameters");
      }
      JsonNode stepList = spec.get("steps");
      if (stepList != null && stepList.isArray()) {
        spec.set("steps", readable((ArrayNode) stepList, steps));
      }
      return copy;
    };
  }

  private static ArrayNode readable(ArrayNode parts, Decision d) {
    ArrayNode out = parts.arrayNode();
    for (JsonNode part : parts) {
      if (readable(d, part)) {
        out.add(part);
      }
    }
    return out;
  }

  private static boolean readable(Decision d, JsonNode part) {
    return switch (d) {
      case Decision.Allow a -> true;
      case Decision.Deny x -> false;
      case Decision.Conditional c -> ScaffolderRules.templatePart(c.conditions(), part);
    };
  }

  /** @throws NotAllowedException unless the caller created the task or the policy lets it {@code permission} it */
  public void requireTask(Principal principal, Permission permission, String createdBy) {
    if (!permissions.enabled() || isCreator(principal, createdBy)) {
      return;
    }
    boolean ok = switch (permissions.decide(principal, permission)) {
      case Decision.Allow a -> true;
      case Decision.Deny x -> false;
      case Decision.Conditional c -> ScaffolderRules.task(c.conditions(), createdBy);
    };
    if (!ok) {
      throw new NotAllowedException("");
    }
  }

  private static boolean isCreator(Principal principal, String createdBy) {
    return createdBy != null && principal instanceof Principal.User u && u.userEntityRef().equals(createdBy);
  }

  /**
   * {@code GET /v2/tasks} as the caller may see it: the caller's own tasks plus those of the task
   * owners its {@code scaffolder.task.read} conditions name. Conditions other than
   * {@code IS_TASK_OWNER} cannot be turned into the task filter and leave only the caller's own.
   *
   * @return null when the caller may see none of the requested tasks
   */
  public TaskQuery visibleTasks(Principal principal, TaskQuery query) {
    if (!permissions.enabled()) {
      return query;
    }
    Decision d = permissions.decide(principal, Permission.SCAFFOLDER_TASK_READ);
    if (d instanceof Decision.Allow) {
      return query;
    }
    Set<String> owners = new LinkedHashSet<>();
    if (principal instanceof Principal.User u) {
      owners.add(u.userEntityRef());
    }
    if (d instanceof Decision.Conditional c) {
      List<String> named = ScaffolderRules.taskOwners(c.conditions());
      if (named != null) {
        owners.addAll(named);
      }
    }
    List<String> wanted = new ArrayList<>(owners);
    if (!query.createdBy().isEmpty()) {
      wanted.retainAll(query.createdBy());
    }
    if (wanted.isEmpty()) {
      return null;
    }
    return new TaskQuery(wanted, query.status(), query.limit(), query.offset(), query.order());
  }

  /** {@code scaffolder.action.execute} for the task's user, checked as each step runs. */
  public ActionPermission actionPermission() {
    return (userRef, actionId, input) -> {
      if (!permissions.enabled() || userRef == null) {
        return true; // no policy, or a task a service started: services never reach the policy
      }
      return switch (permissions.decideForUser(userRef, Permission.SCAFFOLDER_ACTION_EXECUTE)) {
        case Decision.Allow a -> true;
        case Decision.Deny x -> false;
        case Decision.Conditional c -> ScaffolderRules.action(c.conditions(), actionId, input);
      };
    };
  }

  public Permissions permissions() {
    return permissions;
  }
}
