package org.meshportal.indexer;

import java.util.List;
import org.meshportal.model.FieldProjection;
import org.meshportal.model.query.EntityPredicate;

/**
 * {@code GET /entities}. Without limit/offset/after the whole matching set is returned, ordered by
 * the FIRST order field only, and entities lacking it are excluded. With any of them, every order
 * field applies, entities lacking a field sort last, and a next cursor is returned when more rows
 * exist. {@code after} (an opaque cursor from a previous {@link ListResult}) overrides limit/offset.
 */
public record ListRequest(
    EntityPredicate filter,
    List<OrderField> order,
    Integer limit,
    Integer offset,
    String after,
    FieldProjection fields) {
  public ListRequest {
    order = List.copyOf(order);
  }

  public boolean paginated() {
    return limit != null || offset != null || after != null;
  }
}
