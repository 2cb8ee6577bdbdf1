package org.meshportal.catalog.processing;

import java.util.List;
import org.meshportal.gitsync.HostKind;

/** Finds the catalog files of a repository for {@code POST /analyze-location}. */
public interface RepositoryScanner {

  /**
   * Files named {@code fileName}, anywhere in the repository's default branch. The caller has
   * checked the URL against the sandbox already.
   *
   * @return null when no integration serves the URL (then nothing was contacted)
   * @throws org.meshportal.model.errors.PortalException (input, not found) when the repository
   *     cannot be read, with a message that says why
   */
  Scan scan(String repositoryUrl, String fileName);

  /**
   * @param kind the integration's kind (for Backstage's {@code <host>/project-slug} annotation)
   * @param owner the repository's owner path (GitLab groups keep their sub-groups)
   * @param name the repository's name
   * @param fileUrls the blob URL of each file found, sorted
   */
  record Scan(HostKind kind, String owner, String name, List<String> fileUrls) {}
}
