package org.meshportal.catalog.permission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import org.meshportal.model.YamlDocuments;

/**
 * One loaded RBAC policy in Red Hat Developer Hub's formats: {@code p}/{@code g} lines of the CSV
 * file, the documents of the conditional-policies YAML file, and the admin users of the
 * configuration. Immutable and thread-safe; a file change builds a new instance.
 */
public final class RbacPolicy {
  static final String ADMIN_ROLE = "role:default/rbac_admin";
  static final Set<String> ACTIONS = Set.of("create", "read", "update", "delete", "use");
  private static final Pattern REF = Pattern.compile(
      "(role|user|group):[a-z0-9]+(-[a-z0-9]+)*/[a-zA-Z0-9]+([._-][a-zA-Z0-9]+)*");

  /** {@code p, subject, permission, action, effect}. */
  record Line(String subject, String permission, String action, boolean allow) {}

  /** One conditional-policy document; {@code mapping} holds actions or {@code name:action} pairs. */
  record Conditional(String role, String pluginId, String resourceType, Set<String> actions,
      Set<String> namedActions, Condition conditions) {
    boolean covers(Permission p) {
      return resourceType.equals(p.resourceType())
          && (actions.contains(p.policyAction()) || namedActions.contains(p.name() + ":" + p.policyAction()));
    }
  }

  private final List<Line> lines;
  /** member (user or group ref) → roles. */
  private final Map<String, Set<String>> roleBindings;
  private final List<Conditional> conditionals;
  private final Set<String> superUsers;
  private final boolean basicFirst;

  private RbacPolicy(List<Line> lines, Map<String, Set<String>> roleBindings, List<Conditional> conditionals,
      Set<String> superUsers, boolean basicFirst) {
    this.lines = List.copyOf(lines);
    this.roleBindings = roleBindings;
    this.conditionals = List.copyOf(conditionals);
    this.superUsers = Set.copyOf(superUsers);
    this.basicFirst = basicFirst;
  }

  /**
   * Builds a policy. Bad lines and documents are skipped, each reported to {@code warn}, as RHDH
   * does with its files.
   *
   * @param csv the CSV file's content, or null
   * @param conditionalYaml the conditional-policies file's content, or null
   * @param adminUsers {@code permission.rbac.admin.users}: bound to the RBAC admin role
   * @param superUsers {@code permission.rbac.admin.superUsers}: allowed everything
   * @param basicFirst {@code policyDecisionPrecedence: basic}
   */
  static RbacPolicy load(String csv, byte[] conditionalYaml, List<String> adminUsers, List<String> superUsers,
      boolean basicFirst, Consumer<String> warn) {
    List<Line> lines = new ArrayList<>();
    Map<String, Set<String>> bindings = new HashMap<>();
    Set<String> roles = new HashSet<>();
    Map<String, Boolean> seen = new HashMap<>();
    if (csv != null) {
      String[] rows = csv.split("\r?\n");
      for (int i = 0; i < rows.length; i++) {
        String row = rows[i].trim();
        if (row.isEmpty() || row.startsWith("#")) {
          continue;
        }
        String problem = parseRow(row, lines, bindings, roles, seen);
        if (problem != null) {
          warn.accept("policies-csv-file line " + (i + 1) + " skipped: " + problem);
        }
      }
    }
    for (String admin : adminUsers) {
      bindings.computeIfAbsent(lower(admin), k -> new LinkedHashSet<>()).add(ADMIN_ROLE);
    }
    if (!adminUsers.isEmpty()) {
      roles.add(ADMIN_ROLE);
      lines.add(new Line(ADMIN_ROLE, Permission.CATALOG_ENTITY, "read", true));
      for (String action : List.of("read", "update", "delete")) {
        lines.add(new Line(ADMIN_ROLE, "policy-entity", action, true));
      }
      lines.add(new Line(ADMIN_ROLE, "policy.entity.create", "create", true));
    }
    List<Conditional> conditionals = new ArrayList<>();
    if (conditionalYaml != null) {
      YamlDocuments.Result parsed = YamlDocuments.parse(conditionalYaml, YamlDocuments.DEFAULT_MAX_BYTES);
      parsed.problems().forEach(p -> warn.accept("conditionalPoliciesFile " + p.describe()));
      for (YamlDocuments.Document doc : parsed.documents()) {
        try {
          Conditional c = parseConditional(doc.entity());
          if (!roles.contains(c.role())) {
            throw new IllegalArgumentException("role " + c.role() + " is not defined in the policies CSV file");
          }
          conditionals.add(c);
        } catch (IllegalArgumentException e) {
          warn.accept("conditionalPoliciesFile document " + (doc.index() + 1) + " skipped: " + e.getMessage());
        }
      }
    }
    Set<String> supers = new HashSet<>();
    superUsers.forEach(s -> supers.add(lower(s)));
    return new RbacPolicy(lines, bindings, conditionals, supers, basicFirst);
  }

  private static String parseRow(String row, List<Line> lines, Map<String, Set<String>> bindings, Set<String> roles,
      Map<String, Boolean> seen) {
    String[] f = row.split(",", -1);
    for (int i = 0; i < f.length; i++) {
      f[i] = f[i].trim();
    }
    if (f[0].equals("p")) {
      if (f.length != 5) {
        return "a p line needs 5 fields: p, subject, permission, action, effect";
      }
      if (!REF.matcher(f[1]).matches()) {
        return "subject '" + f[1] + "' is not a full role, user or group ref";
      }
      if (f[2].isEmpty() || f[2].contains("\"")) {
        return "permission '" + f[2] + "' is not a permission name or resource type";
      }
      if (!ACTIONS.contains(f[3])) {
        return "action '" + f[3] + "' is not one of create, read, update, delete, use";
      }
      if (!f[4].equals("allow") && !f[4].equals("deny")) {
        return "effect '" + f[4] + "' is not allow or deny";
      }
      String subject = lower(f[1]);
      String key = subject + "|" + f[2] + "|" + f[3];
      Boolean before = seen.put(key, f[4].equals("allow"));
      if (before != null && before != f[4].equals("allow")) {
        return "the same subject, permission and action already has the other effect";
      }
      if (subject.startsWith("role:")) {
        roles.add(subject);
      }
      lines.add(new Line(subject, f[2], f[3], f[4].equals("allow")));
      return null;
    }
    if (f[0].equals("g")) {
      if (f.length != 3) {
        return "a g line needs 3 fields: g, user or group, role";
      }
      String member = lower(f[1]);
      String role = lower(f[2]);
      if (!REF.matcher(f[1]).matches() || member.startsWith("role:")) {
        return "member '" + f[1] + "' is not a full user or group ref";
      }
      if (!REF.matcher(f[2]).matches() || !role.startsWith("role:")) {
        return "'" + f[2] + "' is not a role ref; membership in groups comes from the catalog";
      }
      roles.add(role);
      bindings.computeIfAbsent(member, k -> new LinkedHashSet<>()).add(role);
      return null;
    }
    return "a line starts with p or g";
  }

  private static Conditional parseConditional(JsonNode doc) {
    if (!"CONDITIONAL".equals(doc.path("result").asText())) {
      throw new IllegalArgumentException("result must be CONDITIONAL");
    }
    String role = required(doc, "roleEntityRef");
    String pluginId = required(doc, "pluginId");
    String resourceType = required(doc, "resourceType");
    JsonNode mapping = doc.path("permissionMapping");
    if (!mapping.isArray() || mapping.isEmpty()) {
      throw new IllegalArgumentException("permissionMapping must be a non-empty list");
    }
    Set<String> actions = new LinkedHashSet<>();
    Set<String> named = new LinkedHashSet<>();
    for (JsonNode m : mapping) {
      if (m.isTextual()) {
        actions.add(m.textValue());
      } else if (m.isObject() && m.path("name").isTextual() && m.path("action").isTextual()) {
        named.add(m.path("name").textValue() + ":" + m.path("action").textValue());
      } else {
        throw new IllegalArgumentException("permissionMapping items must be actions or {name, action}");
      }
    }
    if (!actions.isEmpty() && !named.isEmpty()) {
      throw new IllegalArgumentException("permissionMapping items must be all actions or all {name, action}");
    }
    if (!ACTIONS.containsAll(actions)) {
      throw new IllegalArgumentException("permissionMapping actions must be among create, read, update, delete, use");
    }
    if (!doc.has("conditions")) {
      throw new IllegalArgumentException("conditions is required");
    }
    Condition conditions = Condition.parse(doc.get("conditions"));
    checkLeaves(conditions, resourceType);
    return new Conditional(lower(role), pluginId, resourceType, actions, named, conditions);
  }

  private static void checkLeaves(Condition c, String resourceType) {
    switch (c) {
      case Condition.AllOf all -> all.children().forEach(x -> checkLeaves(x, resourceType));
      case Condition.AnyOf any -> any.children().forEach(x -> checkLeaves(x, resourceType));
      case Condition.Not not -> checkLeaves(not.child(), resourceType);
      case Condition.Rule r -> {
        if (!r.resourceType().equals(resourceType)) {
          throw new IllegalArgumentException("rule " + r.rule() + " is for resource type " + r.resourceType()
              + ", the policy for " + resourceType);
        }
      }
    }
  }

  private static String required(JsonNode doc, String key) {
    JsonNode v = doc.get(key);
    if (v == null || !v.isTextual() || v.textValue().isBlank()) {
      throw new IllegalArgumentException(key + " is required");
    }
    return v.textValue();
  }

  /**
   * RHDH's evaluation for a user (spec of the rbac backend's permission policy): super users are
   * allowed; otherwise the roles bound to the user or its groups decide, a line for the permission
   * name overriding lines for its resource type; with conditional precedence a role's conditional
   * policy makes the decision CONDITIONAL; among basic lines deny wins and no line denies.
   *
   * @param groups the user's groups (direct and inherited), lower-case refs
   * @param ownershipRefs the caller's ownership refs, substituted for {@code $ownerRefs}
   */
  Decision decide(String userRef, Set<String> groups, List<String> ownershipRefs, Permission permission) {
    String user = lower(userRef);
    if (superUsers.contains(user) || groups.stream().anyMatch(superUsers::contains)) {
      return Decision.ALLOW;
    }
    Set<String> roles = new LinkedHashSet<>(roleBindings.getOrDefault(user, Set.of()));
    for (String g : groups) {
      roles.addAll(roleBindings.getOrDefault(g, Set.of()));
    }
    Set<String> subjects = new LinkedHashSet<>(roles);
    if (roles.isEmpty()) {
      subjects.add(user);
      subjects.addAll(groups);
    }
    String action = permission.policyAction();
    List<Line> matching = new ArrayList<>();
    for (Line l : lines) {
      if (subjects.contains(l.subject()) && l.action().equals(action) && l.permission().equals(permission.name())) {
        matching.add(l);
      }
    }
    if (matching.isEmpty() && permission.isResource()) {
      for (Line l : lines) {
        if (subjects.contains(l.subject()) && l.action().equals(action)
            && l.permission().equals(permission.resourceType())) {
          matching.add(l);
        }
      }
    }
    if (permission.isResource() && !(basicFirst && !matching.isEmpty())) {
      Map<String, List<Conditional>> byRole = new LinkedHashMap<>();
      for (Conditional c : conditionals) {
        if (roles.contains(c.role()) && c.covers(permission)) {
          byRole.computeIfAbsent(c.role(), k -> new ArrayList<>()).add(c);
        }
      }
      if (!byRole.isEmpty()) {
        List<Condition> trees = new ArrayList<>();
        String pluginId = null;
        for (List<Conditional> perRole : byRole.values()) {
          if (perRole.size() > 1) {
            return Decision.DENY; // RHDH: more than one matching condition in one role
          }
          pluginId = perRole.get(0).pluginId();
          trees.add(substitute(perRole.get(0).conditions(), user, ownershipRefs));
        }
        return new Decision.Conditional(pluginId, permission.resourceType(), new Condition.AnyOf(trees));
      }
    }
    boolean allow = matching.stream().anyMatch(Line::allow);
    boolean deny = matching.stream().anyMatch(l -> !l.allow());
    return allow && !deny ? Decision.ALLOW : Decision.DENY;
  }

  /** Replaces the aliases {@code $currentUser} and {@code $ownerRefs} in every params value. */
  static Condition substitute(Condition c, String userRef, List<String> ownershipRefs) {
    return switch (c) {
      case Condition.AllOf all -> new Condition.AllOf(all.children().stream()
          .map(x -> substitute(x, userRef, ownershipRefs)).toList());
      case Condition.AnyOf any -> new Condition.AnyOf(any.children().stream()
          .map(x -> substitute(x, userRef, ownershipRefs)).toList());
      case Condition.Not not -> new Condition.Not(substitute(not.child(), userRef, ownershipRefs));
      case Condition.Rule r -> {
        Map<String, JsonNode> params = new LinkedHashMap<>();
        r.params().forEach((k, v) -> params.put(k, substituteValue(v, userRef, ownershipRefs)));
        yield new Condition.Rule(r.rule(), r.resourceType(), params);
      }
    };
  }

  private static JsonNode substituteValue(JsonNode v, String userRef, List<String> ownershipRefs) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    if (v.isTextual() && v.textValue().equals("$currentUser")) {
      return f.textNode(userRef);
    }
    if (!v.isArray()) {
      return v;
    }
    ArrayNode out = f.arrayNode();
    for (JsonNode item : v) {
      if (item.isTextual() && item.textValue().equals("$currentUser")) {
        out.add(userRef);
      } else if (item.isTextual() && item.textValue().equals("$ownerRefs")) {
        ownershipRefs.forEach(out::add);
      } else {
        out.add(item);
      }
    }
    return out;
  }

  /** Roles bound to a member, for diagnostics and tests. */
  Set<String> rolesOf(String member) {
    return roleBindings.getOrDefault(lower(member), Set.of());
  }

  static String lower(String s) {
    return s.toLowerCase(Locale.ROOT);
  }

  static String text(byte[] bytes) {
    return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
  }

}
