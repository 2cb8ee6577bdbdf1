package org.meshportal.templates.action;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.meshportal.model.errors.ConflictException;
import org.meshportal.model.errors.NotFoundException;

/** Immutable id → action map, built once at start-up. Thread-safe. */
public final class ActionRegistry {
  private final Map<String, TemplateAction> actions;

  public ActionRegistry(List<? extends TemplateAction> actions) {
    Map<String, TemplateAction> byId = new LinkedHashMap<>();
    for (TemplateAction action : actions) {
      if (byId.putIfAbsent(action.id(), action) != null) {
        throw new ConflictException("Template action with ID '" + action.id() + "' has already been registered");
      }
    }
    this.actions = Map.copyOf(byId);
  }

  /** @throws NotFoundException for an unknown id */
  public TemplateAction get(String id) {
    TemplateAction action = actions.get(id);
    if (action == null) {
      // Backstage's TemplateActionRegistry text, word for word.
      throw new NotFoundException("Template action with ID '" + id + "' is not registered. See "
          + "https://backstage.io/docs/features/software-templates/builtin-actions/ on how to add a new action module.");
    }
    return action;
  }

  public boolean contains(String id) {
    return actions.containsKey(id);
  }

  /** Every action, sorted by id. */
  public List<TemplateAction> list() {
    return actions.values().stream().sorted(Comparator.comparing(TemplateAction::id)).toList();
  }
}
