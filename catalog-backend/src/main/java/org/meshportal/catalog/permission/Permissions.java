package org.meshportal.catalog.permission;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.meshportal.catalog.auth.PermissionDecisions;
import org.meshportal.catalog.auth.Principal;
import org.meshportal.indexer.EntityIndex;
import org.meshportal.model.EntityRef;
import org.meshportal.model.errors.NotAllowedException;
import org.meshportal.model.query.EntityPredicate;

/**
 * Decides permission requests for every route, as Backstage's permission framework does with
 * Red Hat Developer Hub's RBAC policy:
 *
 * <ul>
 *   <li>permissions off: every caller is allowed (routes behave as without a policy);
 *   <li>service principals never reach the policy: unrestricted ones are allowed, restricted ones
 *       are decided from their {@code accessRestrictions};
 *   <li>a caller without credentials is denied;
 *   <li>users are decided by the {@link RbacPolicy}; their groups are the group refs of their
 *       token's ownership refs plus their catalog {@code memberOf} groups and those groups'
 *       {@code childOf} parents (up to {@code maxDepth}).
 * </ul>
 *
 * Decisions are cached per caller and permission for {@code decisionCacheTtl}; the policy files
 * are checked for changes as often, so a policy change is in effect within that time. Thread-safe.
 */
public final class Permissions {
  private static final int MAX_CACHED = 50_000;

  private final PermissionSettings settings;
  private final PolicyFiles files;
  private final EntityIndex index;
  private final ObjectMapper json = new ObjectMapper();
  private final long ttlNanos;
  private final Map<CacheKey, Cached> cache = new ConcurrentHashMap<>();
  /** The ownership refs each user's latest token carried, for decisions made without a request (task steps). */
  private final Map<String, List<String>> lastOwnership = new ConcurrentHashMap<>();

  private record CacheKey(Principal principal, String permission) {}

  private record Cached(Decision decision, long until, long version) {}

  private Permissions(PermissionSettings settings, EntityIndex index, Clock clock) {
    this.settings = settings;
    this.index = index;
    this.files = settings.enabled() ? new PolicyFiles(settings, clock) : null;
    this.ttlNanos = settings.decisionCacheTtl().toNanos();
  }

  /**
   * @param index the catalog, for group membership and for resolving conditional decisions
   *     against one entity
   * @throws IllegalStateException when permissions are on and a policy file cannot be read
   */
  public static Permissions create(PermissionSettings settings, EntityIndex index, Clock clock) {
    return new Permissions(settings, index, clock);
  }

  public boolean enabled() {
    return settings.enabled();
  }

  /** The caller's decision for {@code permission}, before any resource is looked at. */
  public Decision decide(Principal principal, Permission permission) {
    if (!settings.enabled()) {
      return Decision.ALLOW;
    }
    if (principal instanceof Principal.Service) {
      return PermissionDecisions.decide(principal, permission.name(), permission.action())
          == PermissionDecisions.Result.ALLOW ? Decision.ALLOW : Decision.DENY;
    }
    if (!(principal instanceof Principal.User user)) {
      return Decision.DENY;
    }
    lastOwnership.put(user.userEntityRef(), user.ownershipEntityRefs());
    RbacPolicy policy = files.current();
    long version = files.version();
    CacheKey key = new CacheKey(principal, permission.name());
    long now = System.nanoTime();
    Cached hit = ttlNanos == 0 ? null : cache.get(key);
    if (hit != null && hit.version() == version && now - hit.until() < 0) {
      return hit.decision();
    }
    Decision decision;
    try {
      decision = policy.decide(user.userEntityRef(), groupsOf(user), user.ownershipEntityRefs(), permission);
    } catch (RuntimeException e) {
      decision = Decision.DENY; // RHDH: any internal error denies
    }
    if (ttlNanos > 0) {
      if (cache.size() >= MAX_CACHED) {
        cache.clear();
      }
      cache.put(key, new Cached(decision, now + ttlNanos, version));
    }
    return decision;
  }

  /**
   * The decision for a user who is not making a request now (a task step running in the
   * background): its ownership refs are those its latest request carried, else its own ref.
   */
  public Decision decideForUser(String userEntityRef, Permission permission) {
    if (!settings.enabled()) {
      return Decision.ALLOW;
    }
    if (userEntityRef == null) {
      return Decision.DENY;
    }
    List<String> ownership = lastOwnership.getOrDefault(userEntityRef, List.of(userEntityRef));
    return decide(new Principal.User(userEntityRef, ownership), permission);
  }

  /** @throws NotAllowedException (empty message, as Backstage) unless the decision is ALLOW */
  public void require(Principal principal, Permission permission) {
    if (!(decide(principal, permission) instanceof Decision.Allow)) {
      throw new NotAllowedException("");
    }
  }

  // ---- catalog-entity ---------------------------------------------------------------------------

  /**
   * The part of the catalog the caller may read ({@code catalog.entity.read}): null for all of it,
   * {@link EntityPredicate.MatchNone} for none, else the conditions as an index filter.
   */
  public EntityPredicate readFilter(Principal principal) {
    return filterOf(decide(principal, Permission.CATALOG_ENTITY_READ));
  }

  /** The index as the caller may read it. */
  public EntityIndex readable(Principal principal) {
    EntityPredicate filter = readFilter(principal);
    return filter == null ? index : index.visibleOnly(filter);
  }

  /** Whether {@code permission} (of {@code catalog-entity}) is allowed on the entity with this ref. */
  public boolean allowedOnEntity(Principal principal, Permission permission, String entityRef) {
    Decision d = decide(principal, permission);
    if (d instanceof Decision.Conditional c) {
      return index.visibleOnly(CatalogRules.toPredicate(c.conditions())).byRef(entityRef).isPresent();
    }
    return d instanceof Decision.Allow;
  }

  /** Resolves a decision against one catalog entity: ALLOW, or DENY (also for a missing entity). */
  public Decision resolveEntity(Decision d, String entityRef) {
    if (d instanceof Decision.Conditional c) {
      return index.visibleOnly(CatalogRules.toPredicate(c.conditions())).byRef(entityRef).isPresent()
          ? Decision.ALLOW : Decision.DENY;
    }
    return d;
  }

  /** @throws NotAllowedException unless {@code permission} is allowed on the entity with this uid */
  public void requireOnEntityUid(Principal principal, Permission permission, String uid) {
    Decision d = decide(principal, permission);
    boolean ok = d instanceof Decision.Allow || (d instanceof Decision.Conditional c
        && index.visibleOnly(CatalogRules.toPredicate(c.conditions())).byUid(uid).isPresent());
    if (!ok) {
      throw new NotAllowedException("");
    }
  }

  static EntityPredicate filterOf(Decision d) {
    return switch (d) {
      case Decision.Allow a -> null;
      case Decision.Deny x -> new EntityPredicate.MatchNone();
      case Decision.Conditional c -> CatalogRules.toPredicate(c.conditions());
    };
  }

  // ---- group membership -------------------------------------------------------------------------

  /** Group refs of the token's ownership refs, the catalog's memberOf groups and their parents. */
  Set<String> groupsOf(Principal.User user) {
    Set<String> groups = new LinkedHashSet<>();
    for (String ref : user.ownershipEntityRefs()) {
      if (ref.toLowerCase(java.util.Locale.ROOT).startsWith("group:")) {
        groups.add(RbacPolicy.lower(ref));
      }
    }
    Deque<String[]> todo = new ArrayDeque<>();
    entity(user.userEntityRef()).ifPresent(u -> relations(u, "memberOf").forEach(g -> todo.add(new String[] {g, "0"})));
    groups.forEach(g -> todo.add(new String[] {g, "0"}));
    Set<String> visited = new LinkedHashSet<>();
    while (!todo.isEmpty()) {
      String[] next = todo.poll();
      String group = next[0];
      int depth = Integer.parseInt(next[1]);
      if (!visited.add(group)) {
        continue; // cycles and diamonds are walked once
      }
      groups.add(group);
      if (settings.maxDepth() != null && depth >= settings.maxDepth()) {
        continue;
      }
      entity(group).ifPresent(g -> relations(g, "childOf")
          .forEach(parent -> todo.add(new String[] {parent, Integer.toString(depth + 1)})));
    }
    return groups;
  }

  private Optional<JsonNode> entity(String ref) {
    if (index == null) {
      return Optional.empty();
    }
    try {
      String canonical = EntityRef.parse(ref).canonical();
      Optional<byte[]> bytes = index.byRef(canonical);
      return bytes.isEmpty() ? Optional.empty() : Optional.of(json.readTree(bytes.get()));
    } catch (IllegalArgumentException | IOException e) {
      return Optional.empty();
    }
  }

  private static List<String> relations(JsonNode entity, String type) {
    List<String> out = new java.util.ArrayList<>();
    for (JsonNode rel : entity.path("relations")) {
      String target = rel.path("targetRef").asText("");
      if (type.equals(rel.path("type").asText()) && target.startsWith("group:")) {
        out.add(RbacPolicy.lower(target));
      }
    }
    return out;
  }
}
