package org.meshportal.catalog.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.meshportal.indexer.EntityIndex;
import org.meshportal.indexer.ListRequest;
import org.meshportal.model.FieldProjection;
import org.meshportal.model.query.EntityPredicate;

/**
 * The catalog as sign-in sees it: User entities by ref or profile email, and what a user owns
 * through its groups. Reads the catalog's index directly (no HTTP to ourselves). Thread-safe.
 */
public final class CatalogUsers {
  /** Bounds the walk up the group tree, whatever cycles or depth the catalog holds. */
  static final int MAX_GROUPS = 1_000;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final EntityIndex index;

  public CatalogUsers(EntityIndex index) {
    this.index = index;
  }

  /** The User entity with this canonical ref. */
  Optional<JsonNode> user(String canonicalRef) {
    if (!canonicalRef.startsWith("user:")) {
      return Optional.empty();
    }
    return index.byRef(canonicalRef).map(CatalogUsers::parse);
  }

  /** User entities whose {@code spec.profile.email} is {@code email} (case-insensitive, as Backstage's filter). */
  List<JsonNode> usersByEmail(String email) {
    EntityPredicate filter = new EntityPredicate.All(List.of(
        new EntityPredicate.ValueIn("kind", List.of("user")),
        new EntityPredicate.ValueIn("spec.profile.email", List.of(email))));
    // Two are enough to tell "one" from "several".
    List<byte[]> items = index.list(new ListRequest(filter, List.of(), 2, null, null, FieldProjection.of(List.of())))
        .items();
    return items.stream().map(CatalogUsers::parse).toList();
  }

  /**
   * The user's ref, the groups it is a {@code memberOf}, and those groups' parents up the tree
   * ({@code childOf}), de-duplicated, lower-case, user first. Backstage stops at direct groups;
   * going up lets ownership of an account's parent groups (Platform Mesh account groups) count.
   */
  List<String> ownershipRefs(JsonNode user, String userRef) {
    Set<String> refs = new LinkedHashSet<>();
    refs.add(userRef);
    Deque<String> pending = new ArrayDeque<>(groupTargets(user, "memberof"));
    Set<String> seen = new LinkedHashSet<>();
    while (!pending.isEmpty() && seen.size() < MAX_GROUPS) {
      String group = pending.removeFirst();
      if (!seen.add(group)) {
        continue;
      }
      refs.add(group);
      index.byRef(group).map(CatalogUsers::parse).ifPresent(g -> pending.addAll(groupTargets(g, "childof")));
    }
    return List.copyOf(refs);
  }

  private static List<String> groupTargets(JsonNode entity, String relationType) {
    List<String> out = new ArrayList<>();
    for (JsonNode relation : entity.path("relations")) {
      String type = relation.path("type").asText("").toLowerCase(java.util.Locale.ROOT);
      String target = relation.path("targetRef").asText("").toLowerCase(java.util.Locale.ROOT);
      if (type.equals(relationType) && target.startsWith("group:")) {
        out.add(target);
      }
    }
    return out;
  }

  private static JsonNode parse(byte[] json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new UncheckedIOException("unreadable entity in the index", e);
    }
  }
}
