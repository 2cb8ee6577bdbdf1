package org.meshportal.templates;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Decides, for each step as it is about to run, whether the task's user may execute the step's
 * action with its rendered input (Backstage's {@code scaffolder.action.execute}). Implementations
 * must be thread-safe; tasks run concurrently.
 */
@FunctionalInterface
public interface ActionPermission {
  /** Every action allowed: no permission policy. */
  ActionPermission ALL = (user, action, input) -> true;

  /**
   * @param userEntityRef the task's user ({@code spec.user.ref}), or null for a task a service started
   * @param input the step's rendered input; never logged or stored by the decision
   */
  boolean allows(String userEntityRef, String actionId, JsonNode input);
}
