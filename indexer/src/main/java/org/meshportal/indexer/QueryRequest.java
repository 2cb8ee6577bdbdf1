package org.meshportal.indexer;

import java.util.List;
import org.meshportal.model.FieldProjection;
import org.meshportal.model.query.EntityPredicate;

/**
 * {@code GET/POST /entities/by-query}. When {@code cursor} is set, only {@code limit} and
 * {@code fields} apply; the cursor determines the rest. {@code fullText} may be null.
 * Only the first order field is used, and entities lacking it are excluded (Backstage 3.7+).
 */
public record QueryRequest(
    EntityPredicate filter,
    List<OrderField> orderFields,
    FullTextFilter fullText,
    int limit,
    int offset,
    boolean countTotal,
    String cursor,
    FieldProjection fields) {
  public QueryRequest {
    orderFields = List.copyOf(orderFields);
  }
}
