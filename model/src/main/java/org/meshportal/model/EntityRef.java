package org.meshportal.model;

import java.util.Locale;
import java.util.Objects;

/**
 * A reference to an entity: {@code kind:namespace/name}. Identity is the lowercase canonical form;
 * the parts keep the case they were written with.
 */
public record EntityRef(String kind, String namespace, String name) {

  public static final String DEFAULT_NAMESPACE = "default";

  public EntityRef {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(namespace, "namespace");
    Objects.requireNonNull(name, "name");
  }

  /**
   * Parses {@code [<kind>:][<namespace>/]<name>}. The {@code :} only separates the kind when it
   * comes before the first {@code /}.
   *
   * @param defaultKind kind to use when the ref has none; {@code null} makes a kind-less ref an error
   * @param defaultNamespace namespace to use when the ref has none; {@code null} means "default"
   * @throws IllegalArgumentException when the ref is malformed or has no kind and no default
   */
  public static EntityRef parse(String ref, String defaultKind, String defaultNamespace) {
    if (ref == null) {
      throw new IllegalArgumentException("Entity reference must be a string");
    }
    int colon = ref.indexOf(':');
    int slash = ref.indexOf('/');
    String kind = null;
    String namespace = null;
    String rest = ref;
    if (colon >= 0 && (slash < 0 || colon < slash)) {
      kind = ref.substring(0, colon);
      rest = ref.substring(colon + 1);
      slash = rest.indexOf('/');
    }
    String name = rest;
    if (slash >= 0) {
      namespace = rest.substring(0, slash);
      name = rest.substring(slash + 1);
    }
    if ((kind != null && kind.isEmpty()) || (namespace != null && namespace.isEmpty()) || name.isEmpty()) {
      throw new IllegalArgumentException(
          "Entity reference \"" + ref + "\" was not on the form [<kind>:][<namespace>/]<name>");
    }
    if (kind == null) {
      if (defaultKind == null) {
        throw new IllegalArgumentException(
            "Entity reference \"" + ref + "\" had missing or empty kind (e.g. did not start with \"component:\" or similar)");
      }
      kind = defaultKind;
    }
    if (namespace == null) {
      namespace = defaultNamespace == null ? DEFAULT_NAMESPACE : defaultNamespace;
    }
    return new EntityRef(kind, namespace, name);
  }

  /** Parses a ref that must carry its kind; the namespace defaults to "default". */
  public static EntityRef parse(String ref) {
    return parse(ref, null, null);
  }

  /** The canonical, all-lowercase form used for identity, relations and filters. */
  public String canonical() {
    return (kind + ":" + namespace + "/" + name).toLowerCase(Locale.ROOT);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EntityRef other && canonical().equals(other.canonical());
  }

  @Override
  public int hashCode() {
    return canonical().hashCode();
  }

  @Override
  public String toString() {
    return canonical();
  }
}
