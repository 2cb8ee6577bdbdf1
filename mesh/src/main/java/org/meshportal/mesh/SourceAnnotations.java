package org.meshportal.mesh;

/**
 * Source annotation values for one file, as Backstage expects them: {@code managedByLocation} and
 * {@code managedByOriginLocation} like {@code url:https://host/org/repo/blob/main/kcp/x.yaml},
 * {@code sourceLocation} like {@code url:https://host/org/repo/tree/main/kcp/}, and plain
 * {@code viewUrl}/{@code editUrl}. Null values are left out of the entity.
 */
public record SourceAnnotations(
    String managedByLocation,
    String managedByOriginLocation,
    String sourceLocation,
    String viewUrl,
    String editUrl) {}
