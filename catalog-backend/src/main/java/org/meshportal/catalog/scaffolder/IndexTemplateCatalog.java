package org.meshportal.catalog.scaffolder;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.meshportal.catalog.service.LocationService;
import org.meshportal.indexer.EntityIndex;
import org.meshportal.model.EntityRef;
import org.meshportal.model.FieldProjection;
import org.meshportal.templates.TemplateCatalog;

/**
 * The catalog as the scaffolder sees it: entities read from the index (what the catalog API
 * serves), locations registered through the location service (processed before it returns).
 */
public final class IndexTemplateCatalog implements TemplateCatalog {
  private static final FieldProjection ALL_FIELDS = FieldProjection.of(List.of());

  private final ObjectMapper json = new ObjectMapper();
  private final EntityIndex index;
  private final LocationService locations;

  public IndexTemplateCatalog(EntityIndex index, LocationService locations) {
    this.index = Objects.requireNonNull(index, "index");
    this.locations = Objects.requireNonNull(locations, "locations");
  }

  @Override
  public Optional<JsonNode> findEntity(EntityRef ref) {
    return index.byRef(ref.canonical()).map(this::parse);
  }

  @Override
  public List<JsonNode> fetchEntities(List<EntityRef> refs) {
    if (refs.isEmpty()) {
      return List.of();
    }
    List<byte[]> found = index.byRefs(refs.stream().map(EntityRef::canonical).toList(), null, ALL_FIELDS);
    return found.stream().filter(Objects::nonNull).map(this::parse).toList();
  }

  /** Registers (or refreshes an existing registration), then reads what the location holds, as Backstage does. */
  @Override
  public List<JsonNode> registerLocation(String type, String target) {
    locations.add(type, target, false, true);
    return locations.add(type, target, true, false).entities();
  }

  private JsonNode parse(byte[] bytes) {
    try {
      return json.readTree(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException("entity JSON from the index is unreadable", e);
    }
  }
}
