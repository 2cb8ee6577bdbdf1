package org.meshportal.catalog.permission;

import java.util.List;
import org.meshportal.model.errors.InputException;
import org.meshportal.model.query.EntityPredicate;

/**
 * The catalog's permission rules for {@code catalog-entity} (catalog-backend 4.0.5), as filters
 * over the entity filter rows the index keeps: every rule is a term lookup on the index, so a
 * conditional read is filtered there, before anything is counted or paged. Rows are lower-cased,
 * so the case-insensitive fallback of {@code HAS_ANNOTATION}/{@code HAS_LABEL} is what the index
 * matches; values longer than 200 characters are not matchable, as in Backstage's search table.
 */
public final class CatalogRules {
  public static final List<String> NAMES =
      List.of("IS_ENTITY_OWNER", "IS_ENTITY_KIND", "HAS_ANNOTATION", "HAS_LABEL", "HAS_METADATA", "HAS_SPEC");

  private CatalogRules() {}

  /**
   * @throws InputException for an unknown rule or missing parameters (a policy that names a
   *     rule the catalog does not have is refused, never read as "allow")
   */
  public static EntityPredicate toPredicate(Condition condition) {
    return switch (condition) {
      case Condition.AllOf all -> EntityPredicate.all(all.children().stream().map(CatalogRules::toPredicate).toList());
      case Condition.AnyOf any -> EntityPredicate.any(any.children().stream().map(CatalogRules::toPredicate).toList());
      case Condition.Not not -> new EntityPredicate.Not(toPredicate(not.child()));
      case Condition.Rule r -> leaf(r);
    };
  }

  private static EntityPredicate leaf(Condition.Rule r) {
    if (!Permission.CATALOG_ENTITY.equals(r.resourceType())) {
      throw new InputException("Unexpected resource types: " + r.resourceType() + ".");
    }
    return switch (r.rule()) {
      case "IS_ENTITY_OWNER" -> new EntityPredicate.ValueIn("relations.ownedBy", required(r, "claims"));
      case "IS_ENTITY_KIND" -> new EntityPredicate.ValueIn("kind", required(r, "kinds"));
      case "HAS_ANNOTATION" -> keyed("metadata.annotations.", r, "annotation");
      case "HAS_LABEL" -> keyed("metadata.labels.", r, "label");
      case "HAS_METADATA" -> keyed("metadata.", r, "key");
      case "HAS_SPEC" -> keyed("spec.", r, "key");
      default -> throw new IllegalStateException(
          "Permission rule '" + r.rule() + "' does not exist for resource type '" + r.resourceType() + "'");
    };
  }

  private static List<String> required(Condition.Rule r, String param) {
    if (!r.params().containsKey(param)) {
      throw new InputException("Parameters to rule are invalid: " + r.rule() + " needs " + param);
    }
    return r.strings(param);
  }

  private static EntityPredicate keyed(String prefix, Condition.Rule r, String param) {
    String key = r.string(param);
    if (key == null || key.isEmpty()) {
      throw new InputException("Parameters to rule are invalid: " + r.rule() + " needs " + param);
    }
    String value = r.string("value");
    return value == null
        ? new EntityPredicate.Exists(prefix + key)
        : new EntityPredicate.ValueIn(prefix + key, List.of(value));
  }
}
