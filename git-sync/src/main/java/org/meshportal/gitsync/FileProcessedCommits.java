package org.meshportal.gitsync;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.Properties;

/**
 * The last processed commit of each mirror, one small file per mirror, so a restart resumes from
 * it. The file also records the repository and branch it belongs to: when either changes in
 * configuration, the old commit no longer counts and the next sync is a full resync.
 */
final class FileProcessedCommits implements ProcessedCommits {

  private final Path directory;

  FileProcessedCommits(Path directory) {
    this.directory = directory;
  }

  @Override
  public Optional<String> load(MirrorSpec spec) {
    Path file = file(spec.id());
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    Properties p = new Properties();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      p.load(r);
    } catch (IOException | IllegalArgumentException e) {
      // A damaged state file costs one full resync, not a stuck mirror.
      return Optional.empty();
    }
    if (!RepoUrls.repoKey(spec.url()).equals(p.getProperty("repo"))
        || !spec.branch().equals(p.getProperty("branch"))) {
      return Optional.empty();
    }
    return Optional.ofNullable(p.getProperty("commit")).filter(c -> c.matches("[0-9a-f]{40,64}"));
  }

  @Override
  public void save(MirrorSpec spec, String commit) {
    Properties p = new Properties();
    p.setProperty("repo", RepoUrls.repoKey(spec.url()));
    p.setProperty("branch", spec.branch());
    p.setProperty("commit", commit);
    Path file = file(spec.id());
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try {
      Files.createDirectories(directory);
      try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
        p.store(w, "git-sync: last commit accepted by the listeners");
      }
      try {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } catch (IOException e) {
      throw new GitSyncException(GitSyncException.Reason.IO,
          "cannot record processed commit of mirror " + spec.id(), e);
    }
  }

  private Path file(String id) {
    return directory.resolve(id + ".state");
  }
}
