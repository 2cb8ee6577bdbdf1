package org.meshportal.gitsync.jgit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.net.URISyntaxException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.FetchConnection;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.URIish;
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
    try (Repository repo = new FileRepositoryBuilder().setGitDir(scratch.resolve("probe.git").toFile())
        .setBare().build()) {
      repo.create(true);
      // As for mirrors: a redirect could lead an allowed host to one nobody allowed.
      StoredConfig config = repo.getConfig();
      config.setString("http", null, "followRedirects", "false");
      config.save();
      try (Transport transport = Transport.open(repo, new URIish(spec.url()))) {
        RemoteAuth.of(spec, scratch.resolve("auth.git")).configure(transport);
        transport.setTimeout(JGitMirror.TIMEOUT_SECONDS);
        try (FetchConnection connection = transport.openFetch()) {
          Ref head = connection.getRef(Constants.HEAD);
          if (head == null || !head.isSymbolic()) {
            return Optional.empty();
          }
          String target = head.getTarget().getName();
          return Optional.of(target.startsWith(Constants.R_HEADS)
              ? target.substring(Constants.R_HEADS.length()) : target);
        }
      }
    } catch (IOException | URISyntaxException e) {
      throw RemoteErrors.classify(e, spec);
    } finally {
      JGitPublishing.deleteQuietly(scratch);
    }
  }
}
