package org.meshportal.catalog.processing;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.meshportal.catalog.store.ErrorRecord;

/**
 * Everything one pass over a source produced.
 *
 * @param failedFiles files that could not be read or parsed as a whole: what they produced before stays
 * @param failedRefs refs whose document was found but rejected: their last good version stays
 * @param failedFolders folder refs ({@code file:/dir/}) a glob could not walk: what any file below
 *     them produced before stays
 */
record SourceOutput(List<EmittedEntity> entities, List<ErrorRecord> errors, Set<String> failedFiles,
    Set<String> failedRefs, Set<String> failedFolders) {
  static SourceOutput empty() {
    return new SourceOutput(new ArrayList<>(), new ArrayList<>(), new LinkedHashSet<>(), new LinkedHashSet<>(),
        new LinkedHashSet<>());
  }

  /** Whether what {@code file} produced before must stay: it, or the folder it is in, failed. */
  boolean keepsFile(String file) {
    if (failedFiles.contains(file)) {
      return true;
    }
    for (String folder : failedFolders) {
      if (file.startsWith(folder)) {
        return true;
      }
    }
    return false;
  }
}
