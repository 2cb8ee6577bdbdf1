package org.meshportal.catalog.store;

/**
 * The lease term a leader-only write belongs to: the commit is refused unless {@code holder} still
 * holds the catalog lease in term {@code epoch}, so a leader that was paused past its lease
 * cannot commit work it computed before another replica took over.
 */
public record WriteFence(String holder, long epoch) {}
