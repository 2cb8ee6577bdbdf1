package org.meshportal.mesh;

/**
 * A hand-written entity that stands in for one the reader would otherwise derive, e.g. a System
 * whose {@code kcp.io/path} annotation names a provider workspace. Derived entities point at
 * {@code entityRef} instead, and no second entity is emitted.
 *
 * @param entityRef canonical ref of the hand-written entity
 * @param kcpPath the workspace path it stands for ("" for mesh-wide roles such as the domain)
 * @param role what it stands for: {@code provider-system}, {@code provider-owner}, {@code domain} or {@code domain-owner}
 */
public record MeshAdoption(String entityRef, String kcpPath, String role) {}
