package org.meshportal.catalog.store;

import java.util.List;

/**
 * One entity as stored.
 *
 * @param ref canonical entity ref (the key)
 * @param uid stable uid, kept across reprocessing
 * @param source the source that owns it ({@code location:<id>}, {@code config}, {@code provider:<id>})
 * @param hash change hash of the processed (unstitched) entity, to skip unchanged ones
 * @param file location ref of the file it was read from, or null
 * @param parents canonical refs of the entities whose processing emitted it
 * @param edges forward relation edges, encoded by the engine
 * @param orphan true when no parent emits it any more and it was kept ({@code orphanStrategy: keep})
 * @param body the final (stitched) entity JSON, UTF-8
 */
public record EntityRecord(
    String ref, String uid, String source, String hash, String file, List<String> parents, String edges,
    boolean orphan, byte[] body) {
  public EntityRecord {
    parents = List.copyOf(parents);
  }
}
