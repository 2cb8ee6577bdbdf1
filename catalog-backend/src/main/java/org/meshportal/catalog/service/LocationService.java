package org.meshportal.catalog.service;

import org.meshportal.model.query.EntityPredicate;
import java.util.List;

/**
 * Registered locations ({@code /api/catalog/locations}). Registration processes the location
 * before it returns, so its entities are readable when the response is sent.
 */
public interface LocationService {
  List<Location> list();

  /** @throws org.meshportal.model.errors.NotFoundException "Found no location with ID <id>" */
  Location get(String id);

  /**
   * @param onConflictRefresh true for {@code onConflict=refresh}: return the existing location
   *     and reprocess it instead of failing with 409
   * @throws org.meshportal.model.errors.InputException for a disallowed type or bad target
   * @throws org.meshportal.model.errors.ConflictException "Location <type>:<target> already exists"
   */
  AddLocationResult add(String type, String target, boolean dryRun, boolean onConflictRefresh);

  Location update(String id, String type, String target);

  /** Unregisters and deletes every entity that came only from it. */
  void delete(String id);

  /**
   * Refuses location writes when the catalog is read-only; the routes call it before their
   * permission check, as Backstage's router does.
   *
   * @throws org.meshportal.model.errors.NotAllowedException "This operation not allowed in readonly mode"
   */
  default void checkWritable() {}

  /** The registered location an entity came from (its managed-by-origin-location). */
  Location byEntity(String kind, String namespace, String name);

  /** {@code filter} is over the keys id, type, target, entityRef. */
  LocationPage query(EntityPredicate filter, int limit, String cursor);
}
