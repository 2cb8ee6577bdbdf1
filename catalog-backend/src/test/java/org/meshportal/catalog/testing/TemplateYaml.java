package org.meshportal.catalog.testing;

/** Template entities for tests that run the scaffolder through the server. */
public final class TemplateYaml {
  private TemplateYaml() {}

  /** A v1beta3 Template named {@code name} whose {@code steps} are YAML list items written at column 0. */
  public static String template(String name, String steps) {
    return template(name, "group:default/team-a", steps);
  }

  /** As {@link #template(String, String)}, owned by {@code owner}. */
  public static String template(String name, String owner, String steps) {
    return """
        apiVersion: scaffolder.backstage.io/v1beta3
        kind: Template
        metadata:
          name: %s
        spec:
          owner: %s
          type: service
          steps:
        %s
        """.formatted(name, owner, steps.lines().map(l -> "    " + l).reduce("", (a, b) -> a + b + "\n"));
  }
}
