package org.meshportal.catalog.http;

import org.meshportal.catalog.git.GitCatalog;

/** Mounts the Git provider routes at {@code /api/git-sync} on a server being built (from the composition root). */
public final class GitSyncHttp {
  private GitSyncHttp() {}

  public static HttpServer.Builder mount(HttpServer.Builder builder, GitCatalog git) {
    return builder.plugin(new GitSyncPlugin(git, new Json()));
  }
}
