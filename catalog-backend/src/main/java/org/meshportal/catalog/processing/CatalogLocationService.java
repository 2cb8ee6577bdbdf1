package org.meshportal.catalog.processing;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.meshportal.catalog.service.AddLocationResult;
import org.meshportal.catalog.service.Location;
import org.meshportal.catalog.service.LocationPage;
import org.meshportal.catalog.service.LocationService;
import org.meshportal.catalog.store.CatalogStore;
import org.meshportal.catalog.store.LocationRecord;
import org.meshportal.model.Entities;
import org.meshportal.model.EntityRef;
import org.meshportal.model.errors.ConflictException;
import org.meshportal.model.errors.InputException;
import org.meshportal.model.errors.NotAllowedException;
import org.meshportal.model.errors.NotFoundException;
import org.meshportal.model.query.EntityPredicate;

/** {@link LocationService} over the engine: every write is processed before it returns. */
public final class CatalogLocationService implements LocationService {
  private final CatalogEngine engine;
  private final CatalogStore store;
  private final boolean readonly;

  public CatalogLocationService(CatalogEngine engine, CatalogStore store) {
    this(engine, store, false);
  }

  /** @param readonly {@code catalog.readonly}: location writes are refused, as Backstage does */
  public CatalogLocationService(CatalogEngine engine, CatalogStore store, boolean readonly) {
    this.engine = engine;
    this.store = store;
    this.readonly = readonly;
  }

  @Override
  public List<Location> list() {
    return store.locations().stream().map(CatalogLocationService::toLocation).toList();
  }

  @Override
  public Location get(String id) {
    return store.location(id).map(CatalogLocationService::toLocation)
        .orElseThrow(() -> new NotFoundException("Found no location with ID " + id));
  }

  @Override
  public AddLocationResult add(String type, String target, boolean dryRun, boolean onConflictRefresh) {
    if (!dryRun) {
      checkWritable();
    }
    checkInput(type, target);
    Optional<LocationRecord> existing = findExisting(type, target);
    if (dryRun) {
      List<JsonNode> entities = engine.dryRun(type, target);
      Location location = new Location(type + ":" + target, type, target, LocationEntities.ref(type, target));
      return new AddLocationResult(location, entities, existing.isPresent());
    }
    if (existing.isPresent()) {
      if (!onConflictRefresh) {
        throw new ConflictException("Location " + type + ":" + target + " already exists");
      }
      engine.refreshSource(CatalogEngine.sourceOf(existing.get().id()));
      return new AddLocationResult(toLocation(existing.get()), List.of(), null);
    }
    LocationRecord record = new LocationRecord(UUID.randomUUID().toString(), type, target);
    engine.saveLocation(record);
    return new AddLocationResult(toLocation(record), List.of(), null);
  }

  @Override
  public Location update(String id, String type, String target) {
    checkWritable();
    get(id);
    checkInput(type, target);
    LocationRecord record = new LocationRecord(id, type, target);
    engine.saveLocation(record);
    return toLocation(record);
  }

  @Override
  public void delete(String id) {
    checkWritable();
    get(id);
    engine.removeLocation(id);
  }

  @Override
  public Location byEntity(String kind, String namespace, String name) {
    String ref = new EntityRef(kind, namespace, name).canonical();
    JsonNode entity = engine.body(ref).orElseThrow(() -> new NotFoundException("found no entity for ref " + ref));
    String origin = Entities.annotation(entity, Annotations.MANAGED_BY_ORIGIN_LOCATION);
    int colon = origin == null ? -1 : origin.indexOf(':');
    if (colon <= 0) {
      throw new NotFoundException("found no origin annotation for ref " + ref);
    }
    String type = origin.substring(0, colon);
    String target = origin.substring(colon + 1);
    return findExisting(type, target).map(CatalogLocationService::toLocation)
        .orElseThrow(() -> new NotFoundException("Found no location with type " + type + " and target " + target));
  }

  @Override
  public LocationPage query(EntityPredicate filter, int limit, String cursor) {
    if (limit < 1) {
      throw new InputException("limit must be an integer >= 1, got " + limit);
    }
    String afterId = cursor == null ? null : decodeCursor(cursor);
    List<Location> matching = new ArrayList<>();
    for (Location l : list()) {
      Map<String, String> fields = Map.of("id", l.id(), "type", l.type(), "target", l.target(), "entityref", l.entityRef());
      if (LocationPredicates.matches(filter, fields)) {
        matching.add(l);
      }
    }
    List<Location> page = matching.stream()
        .filter(l -> afterId == null || l.id().compareTo(afterId) > 0)
        .limit(limit + 1L)
        .collect(Collectors.toCollection(ArrayList::new));
    String next = null;
    if (page.size() > limit) {
      page.remove(limit);
      next = encodeCursor(page.get(limit - 1).id());
    }
    return new LocationPage(page, matching.size(), next);
  }

  private static String encodeCursor(String afterId) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(afterId.getBytes(StandardCharsets.UTF_8));
  }

  private static String decodeCursor(String cursor) {
    try {
      return new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new InputException("Malformed cursor");
    }
  }

  private void checkInput(String type, String target) {
    List<String> allowed = engine.settings().allowedLocationTypes().stream().sorted().toList();
    if (type == null || !allowed.contains(type)) {
      String list = allowed.stream().map(t -> "\"" + t + "\"").collect(Collectors.joining(",", "[", "]"));
      throw new InputException("Registered locations must be of an allowed type " + list);
    }
    if (target == null || target.isBlank()) {
      throw new InputException("Location target must be a non-empty string");
    }
    engine.checkReadable(type, target);
  }

  /** Backstage's {@code catalog.readonly}: checked before anything else on the location writes. */
  @Override
  public void checkWritable() {
    if (readonly) {
      throw new NotAllowedException("This operation not allowed in readonly mode");
    }
  }

  private Optional<LocationRecord> findExisting(String type, String target) {
    return store.locations().stream().filter(l -> l.type().equals(type) && l.target().equals(target)).findFirst();
  }

  private static Location toLocation(LocationRecord r) {
    return new Location(r.id(), r.type(), r.target(), LocationEntities.ref(r.type(), r.target()));
  }
}
