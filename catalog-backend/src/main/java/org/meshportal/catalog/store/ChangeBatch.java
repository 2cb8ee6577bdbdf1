package org.meshportal.catalog.store;

import java.util.List;
import java.util.Map;

/**
 * What changed in the store after a generation a replica had applied, read in one snapshot.
 *
 * @param generation the store generation the snapshot shows
 * @param upserts the current rows (with bodies) of every entity written since
 * @param deletes refs of entities deleted since
 * @param errors every source whose errors were replaced since, with its current errors (possibly none)
 */
public record ChangeBatch(
    long generation, List<EntityRecord> upserts, List<String> deletes, Map<String, List<ErrorRecord>> errors) {}
