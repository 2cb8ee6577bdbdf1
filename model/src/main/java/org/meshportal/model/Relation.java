package org.meshportal.model;

/** A relation as served in {@code relations[]}: a camelCase type and a canonical target ref. */
public record Relation(String type, String targetRef) implements Comparable<Relation> {
  @Override
  public int compareTo(Relation o) {
    int c = type.compareTo(o.type);
    return c != 0 ? c : targetRef.compareTo(o.targetRef);
  }
}
