package org.meshportal.catalog.permission;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * The scaffolder's permission rules (scaffolder-backend 4.3.0), applied to one resource in memory:
 * {@code HAS_TAG} on a template parameter page or step, {@code HAS_ACTION_ID} and the
 * {@code HAS_*_PROPERTY} rules on an action with its input, {@code IS_TASK_OWNER} on a task.
 */
public final class ScaffolderRules {
  private ScaffolderRules() {}

  /** Resource of {@code scaffolder-template}: a parameter page or a step object. */
  public static boolean templatePart(Condition c, JsonNode part) {
    return apply(c, r -> {
      if (!r.rule().equals("HAS_TAG")) {
        throw unknown(r);
      }
      String tag = r.string("tag");
      for (JsonNode t : part.path("backstage:permissions").path("tags")) {
        if (t.asText().equals(tag)) {
          return true;
        }
      }
      return false;
    });
  }

  /** Resource of {@code scaffolder-action}: the action id and its rendered input. */
  public static boolean action(Condition c, String actionId, JsonNode input) {
    return apply(c, r -> switch (r.rule()) {
      case "HAS_ACTION_ID" -> actionId.equals(r.string("actionId"));
      case "HAS_BOOLEAN_PROPERTY" -> property(input, r, JsonNode::isBoolean);
      case "HAS_NUMBER_PROPERTY" -> property(input, r, JsonNode::isNumber);
      case "HAS_STRING_PROPERTY" -> property(input, r, JsonNode::isTextual);
      default -> throw unknown(r);
    });
  }

  /** Resource of {@code scaffolder-task}: who created it. */
  public static boolean task(Condition c, String createdBy) {
    return apply(c, r -> {
      if (!r.rule().equals("IS_TASK_OWNER")) {
        throw unknown(r);
      }
      List<String> owners = r.strings("createdBy");
      return createdBy != null && owners.contains(createdBy);
    });
  }

  /** The {@code createdBy} values an {@code IS_TASK_OWNER}-only tree allows, or null when it is anything else. */
  public static List<String> taskOwners(Condition c) {
    if (c instanceof Condition.Rule r && r.rule().equals("IS_TASK_OWNER")) {
      return r.strings("createdBy");
    }
    if (c instanceof Condition.AnyOf any) {
      java.util.List<String> out = new java.util.ArrayList<>();
      for (Condition child : any.children()) {
        List<String> owners = taskOwners(child);
        if (owners == null) {
          return null;
        }
        out.addAll(owners);
      }
      return out;
    }
    return null;
  }

  private static boolean property(JsonNode input, Condition.Rule r, java.util.function.Predicate<JsonNode> type) {
    JsonNode node = input == null ? null : input;
    String key = r.string("key");
    if (key == null || node == null) {
      return false;
    }
    for (String part : key.split("\\.")) {
      node = node.path(part);
    }
    if (node.isMissingNode() || !type.test(node)) {
      return false;
    }
    JsonNode expected = r.params().get("value");
    return expected == null || expected.isNull() || expected.asText().equals(node.asText());
  }

  private interface Leaf {
    boolean test(Condition.Rule r);
  }

  private static boolean apply(Condition c, Leaf leaf) {
    return switch (c) {
      case Condition.AllOf all -> all.children().stream().allMatch(x -> apply(x, leaf));
      case Condition.AnyOf any -> any.children().stream().anyMatch(x -> apply(x, leaf));
      case Condition.Not not -> !apply(not.child(), leaf);
      case Condition.Rule r -> leaf.test(r);
    };
  }

  private static IllegalStateException unknown(Condition.Rule r) {
    return new IllegalStateException(
        "Permission rule '" + r.rule() + "' does not exist for resource type '" + r.resourceType() + "'");
  }
}
