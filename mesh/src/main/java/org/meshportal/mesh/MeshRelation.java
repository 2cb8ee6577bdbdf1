package org.meshportal.mesh;

/**
 * A relation edge the catalog cannot derive from entity specs (e.g. a Group consuming an API), in
 * canonical lowercase refs. The result lists both directions explicitly.
 */
public record MeshRelation(String sourceRef, String type, String targetRef) {}
