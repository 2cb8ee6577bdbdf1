package org.meshportal.catalog.git;

import java.util.Optional;
import org.meshportal.gitsync.HostKind;
import org.meshportal.gitsync.Integrations;
import org.meshportal.gitsync.RepoLocation;
import org.meshportal.gitsync.RepoUrls;
import org.meshportal.gitsync.SourceUrls;

/** Which repository branch files come from, and the URLs Backstage shows for them. */
record RepoSource(HostKind kind, String url, String branch, Integrations integrations) {

  static RepoSource of(String url, String branch, Integrations integrations) {
    return new RepoSource(integrations.kindFor(url), url, branch, integrations);
  }

  SourceUrls urls(String path) {
    return RepoUrls.sourceUrls(kind, url, branch, path);
  }

  /** The location ref of a file: {@code url:<blob url>}, as in {@code backstage.io/managed-by-location}. */
  String location(String path) {
    return urls(path).managedByLocation();
  }

  /** The repository path an absolute URL names when it is a file of this repository branch. */
  Optional<String> pathOf(String absoluteUrl) {
    return RepoUrls.tryParse(absoluteUrl, integrations)
        .filter(l -> RepoUrls.repoKey(l.cloneUrl()).equals(RepoUrls.repoKey(url)) && l.branch().equals(branch))
        .map(RepoLocation::path);
  }
}
