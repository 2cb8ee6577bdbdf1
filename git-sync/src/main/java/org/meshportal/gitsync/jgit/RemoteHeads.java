package org.meshportal.gitsync.jgit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Ref;
import org.meshportal.gitsync.GitSyncException;
import org.meshportal.gitsync.GitSyncException.Reason;
import org.meshportal.gitsync.MirrorSpec;

/** Asks a remote which branch its {@code HEAD} points at (one ls-remote, nothing fetched). */
public final class RemoteHeads {
  private RemoteHeads() {}

  /**
   * The remote's default branch, or empty when the remote does not advertise {@code HEAD} as a
   * symbolic ref (an empty repository, or a server too old to say).
   *
   * @throws GitSyncException classified as for a fetch when the remote cannot be asked
   */
  public static Optional<String> defaultBranch(MirrorSpec spec) {
    Path scratch;
    try {
      scratch = Files.createTempDirectory("ls-remote");
    } catch (IOException e) {
      throw new GitSyncException(Reason.IO, "cannot create a scratch folder: " + e.getMessage(), e);
    }
    try {
      RemoteAuth auth = RemoteAuth.of(spec, scratch.resolve("auth.git"));
      Map<String, Ref> refs = auth.configure(Git.lsRemoteRepository().setRemote(spec.url())).callAsMap();
      Ref head = refs.get(Constants.HEAD);
      if (head == null || !head.isSymbolic()) {
        return Optional.empty();
      }
      String target = head.getTarget().getName();
      return Optional.of(target.startsWith(Constants.R_HEADS) ? target.substring(Constants.R_HEADS.length()) : target);
    } catch (GitAPIException e) {
      throw RemoteErrors.classify(e, spec);
    } finally {
      JGitPublishing.deleteQuietly(scratch);
    }
  }
}
