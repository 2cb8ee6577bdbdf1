package org.meshportal.catalog.scaffolder;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import org.meshportal.catalog.access.AccessPolicy;
import org.meshportal.gitsync.GitPublishing;
import org.meshportal.gitsync.HostKind;
import org.meshportal.gitsync.Integrations;
import org.meshportal.gitsync.RepoUrls;
import org.meshportal.model.errors.InputException;
import org.meshportal.templates.GitPublisher;

/**
 * {@link GitPublisher} over git-sync's {@link GitPublishing}: turns the template's {@code repoUrl}
 * into a clone URL, picks the host's credentials from {@code integrations}, and describes the
 * pushed branch in the URL shapes of its host. New repositories on hosted services must already
 * exist (empty); a missing {@code file://} repository is created.
 */
public final class GitSyncPublisher implements GitPublisher {
  private final GitPublishing git;
  private final Integrations integrations;
  private final AccessPolicy access;

  /** @param access decides which remotes may be pushed to; checked before anything is written */
  public GitSyncPublisher(GitPublishing git, Integrations integrations, AccessPolicy access) {
    this.git = Objects.requireNonNull(git, "git");
    this.integrations = Objects.requireNonNull(integrations, "integrations");
    this.access = Objects.requireNonNull(access, "access");
  }

  @Override
  public Published createRepository(NewRepository request) {
    String remote = cloneUrl(request.repoUrl());
    access.checkPush(remote);
    GitPublishing.Pushed pushed = git.publishNew(remote, integrations.credentialsFor(remote),
        request.defaultBranch(), request.sourceDir(), message(request.commit()));
    return published(remote, pushed);
  }

  @Override
  public Published commitToBranch(BranchCommit request) {
    String remote = cloneUrl(request.repoUrl());
    access.checkPush(remote);
    GitPublishing.Pushed pushed = git.publishOnBranch(remote, integrations.credentialsFor(remote),
        request.baseBranch(), request.branch(), request.overlayDir(), message(request.commit()));
    return published(remote, pushed);
  }

  private static GitPublishing.CommitMessage message(CommitInfo commit) {
    return commit == null ? new GitPublishing.CommitMessage(null, null, null)
        : new GitPublishing.CommitMessage(commit.message(), commit.authorName(), commit.authorEmail());
  }

  private Published published(String remote, GitPublishing.Pushed pushed) {
    return new Published(remote, contentsUrl(remote, pushed.branch()), pushed.commitHash());
  }

  /** The tree of {@code branch} in the host's URL shape, to which catalog:register appends a file path. */
  String contentsUrl(String remote, String branch) {
    HostKind kind = integrations.kindFor(remote);
    String web = kind == HostKind.FILE ? remote.replaceAll("/+$", "") : RepoUrls.webUrl(remote);
    return switch (kind) {
      case GITHUB, FILE -> web + "/blob/" + branch;
      case GITLAB -> web + "/-/blob/" + branch;
      case GITEA -> web + "/src/branch/" + branch;
      case BITBUCKET -> web + "/src/" + branch;
    };
  }

  /**
   * A clone URL from a RepoUrlPicker value ({@code host?owner=o&repo=r}, or {@code workspace} /
   * {@code project} / {@code organization} instead of owner) or from a Git URL, which is kept.
   */
  static String cloneUrl(String repoUrl) {
    if (repoUrl == null || repoUrl.isBlank()) {
      throw new InputException("repoUrl must not be empty");
    }
    if (repoUrl.contains("://") || repoUrl.matches("^[^/@\\s:]+@[^/\\s:]+:.+$")) {
      return repoUrl;
    }
    int q = repoUrl.indexOf('?');
    if (q < 0) {
      throw new InputException("repoUrl " + repoUrl + " must be host?owner=<owner>&repo=<repo> or a Git URL");
    }
    String host = repoUrl.substring(0, q);
    Map<String, String> query = new HashMap<>();
    for (String pair : repoUrl.substring(q + 1).split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0) {
        query.put(pair.substring(0, eq), URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
      }
    }
    String repo = query.get("repo");
    String owner = firstPresent(query, "owner", "workspace", "project", "organization");
    if (host.isBlank() || repo == null || repo.isBlank() || owner == null) {
      throw new InputException("repoUrl " + repoUrl + " must name a host, an owner and a repo (host?owner=o&repo=r)");
    }
    if ((owner + "/" + repo).contains("..")) {
      throw new InputException("repoUrl " + repoUrl + " must not contain '..'");
    }
    return "https://" + host + "/" + owner + "/" + repo + ".git";
  }

  private static String firstPresent(Map<String, String> query, String... keys) {
    for (String key : keys) {
      String v = query.get(key);
      if (v != null && !v.isBlank()) {
        return v;
      }
    }
    return null;
  }
}
