package org.meshportal.gitsync;

import java.util.Optional;

/**
 * Where each mirror's last processed commit is kept, so a restart (or another process taking
 * over) resumes from it. The default keeps one small file per mirror beside it; a consumer that
 * records the commit itself, atomically with what it derived from it, supplies its own.
 */
public interface ProcessedCommits {

  /** The commit the listeners last accepted for this mirror, if it still applies to its repository and branch. */
  Optional<String> load(MirrorSpec spec);

  /** Called after the listeners accepted {@code commit}. */
  void save(MirrorSpec spec, String commit);
}
