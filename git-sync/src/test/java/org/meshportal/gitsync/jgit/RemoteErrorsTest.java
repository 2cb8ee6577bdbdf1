package org.meshportal.gitsync.jgit;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.eclipse.jgit.errors.NoRemoteRepositoryException;
import org.eclipse.jgit.errors.TransportException;
import org.eclipse.jgit.transport.URIish;
import org.junit.jupiter.api.Test;
import org.meshportal.gitsync.GitSyncException.Reason;
import org.meshportal.gitsync.MirrorSpec;

class RemoteErrorsTest {
  private final MirrorSpec spec = new MirrorSpec("repo", "https://git.example.com/org/repo.git", "main");

  @Test
  void digits_in_a_path_are_not_an_http_status() throws Exception {
    // a temp folder such as junit-1049304019 holds "401"; the repository is simply missing
    Exception missing = new NoRemoteRepositoryException(
        new URIish("file:///tmp/junit-1049304019/nope.git"), "not found.");

    assertEquals(Reason.REPOSITORY_NOT_FOUND, RemoteErrors.classify(missing, spec).reason());
  }

  @Test
  void a_401_or_403_status_is_an_authentication_failure() {
    assertEquals(Reason.AUTH_FAILED, RemoteErrors.classify(
        new TransportException("https://git.example.com/org/repo.git: 401 Unauthorized"), spec).reason());
    assertEquals(Reason.AUTH_FAILED, RemoteErrors.classify(
        new TransportException("https://git.example.com/org/repo.git: status 403"), spec).reason());
  }
}
