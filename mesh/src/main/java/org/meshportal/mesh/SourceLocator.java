package org.meshportal.mesh;

/** Builds the source annotations of a repository file; supplied by the caller, who knows the repository URL. */
@FunctionalInterface
public interface SourceLocator {

  SourceAnnotations locate(String path);

  /** {@code file:<path>} locations and no view/edit URLs; the default when the repository URL is unknown. */
  static SourceLocator fileStyle() {
    return path -> {
      String dir = path.contains("/") ? path.substring(0, path.lastIndexOf('/') + 1) : "./";
      return new SourceAnnotations("file:" + path, "file:" + path, "file:" + dir, null, null);
    };
  }

  /**
   * GitHub/GitLab-style URLs: {@code <repoUrl>/blob/<branch>/<path>} to view,
   * {@code <repoUrl>/edit/<branch>/<path>} to edit, {@code <repoUrl>/tree/<branch>/<dir>/} as source.
   */
  static SourceLocator blobUrls(String repoUrl, String branch) {
    String base = repoUrl.endsWith("/") ? repoUrl.substring(0, repoUrl.length() - 1) : repoUrl;
    return path -> {
      String dir = path.contains("/") ? path.substring(0, path.lastIndexOf('/') + 1) : "";
      String view = base + "/blob/" + branch + "/" + path;
      return new SourceAnnotations("url:" + view, "url:" + view,
          "url:" + base + "/tree/" + branch + "/" + dir, view, base + "/edit/" + branch + "/" + path);
    };
  }
}
