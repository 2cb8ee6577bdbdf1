package org.meshportal.gitsync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Targets and placeholders in a mirrored repository resolve inside that repository only. */
class RepoLocationTest {
  @Test
  void relative_and_root_relative_targets_resolve_inside_the_repository() {
    assertEquals("catalog/svc/api.yaml", RepoLocation.resolvePath("catalog/svc/catalog-info.yaml", "./api.yaml"));
    assertEquals("catalog/api.yaml", RepoLocation.resolvePath("catalog/svc/catalog-info.yaml", "../api.yaml"));
    assertEquals("docs/x.md", RepoLocation.resolvePath("catalog/svc/catalog-info.yaml", "/docs/x.md"));
  }

  @Test
  void targets_that_climb_above_the_root_are_refused() {
    for (String target : new String[] {"../../../etc/passwd", "../../x", "/../x", "a/../../../../x"}) {
      assertThrows(IllegalArgumentException.class,
          () -> RepoLocation.resolvePath("catalog/catalog-info.yaml", target), target);
    }
  }
}
