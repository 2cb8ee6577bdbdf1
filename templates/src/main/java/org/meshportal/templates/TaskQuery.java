package org.meshportal.templates;

import java.util.List;

/**
 * Filters of {@code GET /v2/tasks}. {@code order} items are {@code asc|desc:<created_at|status|created_by>};
 * empty lists mean "no filter"; the default order is {@code desc:created_at}.
 */
public record TaskQuery(List<String> createdBy, List<String> status, Integer limit, Integer offset, List<String> order) {
  public TaskQuery {
    createdBy = createdBy == null ? List.of() : List.copyOf(createdBy);
    status = status == null ? List.of() : List.copyOf(status);
    order = order == null ? List.of() : List.copyOf(order);
  }

  public static TaskQuery all() {
    return new TaskQuery(null, null, null, null, null);
  }
}
