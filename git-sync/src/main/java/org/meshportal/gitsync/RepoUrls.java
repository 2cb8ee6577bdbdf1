package org.meshportal.gitsync;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and writes the web URLs of files in hosted repositories: parses {@code url} Location
 * targets of the GitHub, GitLab, Gitea and Bitbucket shapes, and builds the view, edit and source
 * URLs Backstage shows. Pure functions, no I/O.
 */
public final class RepoUrls {

  private static final Pattern USER_INFO = Pattern.compile("(?i)\\b([a-z][a-z0-9+.-]*://)[^/@\\s]+@");
  private static final Pattern SCP_LIKE = Pattern.compile("^[^/@\\s:]+@([^/\\s:]+):(.+)$");

  private RepoUrls() {}

  /** Replaces user-info ({@code user:secret@}) in every URL inside {@code text}. */
  public static String redact(String text) {
    return text == null ? null : USER_INFO.matcher(text).replaceAll("$1***@");
  }

  /**
   * Parses a file URL such as {@code https://github.com/org/repo/blob/main/catalog-info.yaml},
   * {@code https://gitlab.com/group/sub/repo/-/blob/main/x.yaml},
   * {@code https://gitea.example/org/repo/src/branch/main/x.yaml},
   * {@code https://bitbucket.org/ws/repo/src/main/x.yaml} or
   * {@code file:///srv/repo.git/blob/main/x.yaml}. The branch is the one path segment after the
   * marker (branch names with {@code /} are not supported, as in Backstage).
   *
   * @throws IllegalArgumentException naming the target and what is wrong with it
   */
  public static RepoLocation parse(String target, Integrations integrations) {
    URI uri;
    try {
      uri = new URI(target);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("target '" + redact(target) + "' is not a URL");
    }
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    String rawPath = uri.getPath() == null ? "" : uri.getPath();
    List<String> seg = Arrays.stream(rawPath.split("/")).filter(s -> !s.isEmpty()).toList();
    if (scheme.equals("file")) {
      return parseFile(target, seg);
    }
    if (!scheme.equals("https") && !scheme.equals("http") || uri.getHost() == null) {
      throw new IllegalArgumentException(
          "target '" + redact(target) + "' must be an http(s) or file URL of a repository file");
    }
    String origin = scheme + "://" + uri.getRawAuthority().replaceFirst("^.*@", "");
    HostKind configured = integrations.forHost(hostPort(uri)).map(HostIntegration::kind)
        .orElse(null);
    int dash = seg.indexOf("-");
    if (dash >= 1 && dash + 2 < seg.size() && isGitLabMarker(seg.get(dash + 1))) {
      return location(HostKind.GITLAB, origin, seg.subList(0, dash), seg, dash + 2, target);
    }
    for (int i = 1; i + 2 < seg.size(); i++) {
      if (seg.get(i).equals("src") && List.of("branch", "commit", "tag").contains(seg.get(i + 1))) {
        return location(HostKind.GITEA, origin, seg.subList(0, i), seg, i + 2, target);
      }
    }
    if (seg.size() >= 4 && List.of("blob", "tree", "edit", "raw").contains(seg.get(2))) {
      // GitLab still answers its old /blob/ shape; every other host with it is GitHub-like.
      HostKind kind = configured == HostKind.GITLAB ? HostKind.GITLAB : HostKind.GITHUB;
      return location(kind, origin, seg.subList(0, 2), seg, 3, target);
    }
    if (seg.size() >= 4 && seg.get(2).equals("src")) {
      return location(HostKind.BITBUCKET, origin, seg.subList(0, 2), seg, 3, target);
    }
    throw new IllegalArgumentException("target '" + redact(target) + "' is not a file URL of a"
        + " GitHub (/blob/), GitLab (/-/blob/), Gitea (/src/branch/) or Bitbucket (/src/) repository");
  }

  /** Like {@link #parse} without integrations config. */
  public static RepoLocation parse(String target) {
    return parse(target, Integrations.none());
  }

  public static Optional<RepoLocation> tryParse(String target, Integrations integrations) {
    try {
      return Optional.of(parse(target, integrations));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
  }

  private static boolean isGitLabMarker(String s) {
    return List.of("blob", "tree", "edit", "raw").contains(s);
  }

  private static RepoLocation location(HostKind kind, String origin, List<String> repoSegments,
      List<String> seg, int branchIndex, String target) {
    String repoPath = String.join("/", repoSegments);
    if (repoPath.endsWith(".git")) {
      repoPath = repoPath.substring(0, repoPath.length() - 4);
    }
    String web = origin + "/" + repoPath;
    String branch = seg.get(branchIndex);
    String path = String.join("/", seg.subList(branchIndex + 1, seg.size()));
    if (branch.isEmpty()) {
      throw new IllegalArgumentException("target '" + redact(target) + "' names no branch");
    }
    return new RepoLocation(kind, web, web + ".git", branch, path);
  }

  private static RepoLocation parseFile(String target, List<String> seg) {
    for (int i = 1; i + 1 < seg.size(); i++) {
      if (seg.get(i).equals("blob") || seg.get(i).equals("tree")) {
        String repo = "file:///" + String.join("/", seg.subList(0, i));
        return new RepoLocation(HostKind.FILE, repo, repo, seg.get(i + 1),
            String.join("/", seg.subList(i + 2, seg.size())));
      }
    }
    throw new IllegalArgumentException("target '" + target
        + "' must look like file:///path/to/repo/blob/<branch>/<path>");
  }

  /**
   * The source annotations for a file of a mirrored repository.
   *
   * @param remoteUrl the clone URL ({@code https://host/org/repo.git}, {@code git@host:org/repo},
   *     {@code ssh://…} or {@code file://…}); turned into the web URL of the repository
   */
  public static SourceUrls sourceUrls(HostKind kind, String remoteUrl, String branch, String path) {
    // A file:// repository is its own "web" address; its .git suffix is part of the directory.
    String web = kind == HostKind.FILE ? remoteUrl.replaceAll("/+$", "") : webUrl(remoteUrl);
    String file = path.startsWith("/") ? path.substring(1) : path;
    int slash = file.lastIndexOf('/');
    String dir = slash < 0 ? "" : file.substring(0, slash + 1);
    String blob = blobUrl(kind, web, branch, file);
    String tree = switch (kind) {
      case GITHUB, FILE -> web + "/tree/" + branch + "/" + dir;
      case GITLAB -> web + "/-/tree/" + branch + "/" + dir;
      case GITEA -> web + "/src/branch/" + branch + "/" + dir;
      case BITBUCKET -> web + "/src/" + branch + "/" + dir;
    };
    String edit = switch (kind) {
      case GITHUB -> web + "/edit/" + branch + "/" + file;
      case GITLAB -> web + "/-/edit/" + branch + "/" + file;
      case GITEA -> web + "/_edit/" + branch + "/" + file;
      case BITBUCKET -> blob + "?mode=edit";
      case FILE -> null;
    };
    return new SourceUrls("url:" + blob, "url:" + tree, blob, edit);
  }

  static String blobUrl(HostKind kind, String web, String branch, String path) {
    return switch (kind) {
      case GITHUB, FILE -> web + "/blob/" + branch + "/" + path;
      case GITLAB -> web + "/-/blob/" + branch + "/" + path;
      case GITEA -> web + "/src/branch/" + branch + "/" + path;
      case BITBUCKET -> web + "/src/" + branch + "/" + path;
    };
  }

  /**
   * The https web address of a repository from any of its clone URLs: user-info, {@code .git} and
   * trailing slashes dropped; ssh forms become https on the same host.
   */
  public static String webUrl(String remoteUrl) {
    Matcher scp = SCP_LIKE.matcher(remoteUrl);
    if (scp.matches()) {
      return "https://" + scp.group(1) + "/" + stripGit(trimSlashes(scp.group(2)));
    }
    try {
      URI uri = new URI(remoteUrl);
      String scheme = uri.getScheme() == null ? "https" : uri.getScheme().toLowerCase(Locale.ROOT);
      if (scheme.equals("file")) {
        return stripGit(remoteUrl);
      }
      String host = uri.getHost() == null ? "" : uri.getHost();
      String port = scheme.equals("ssh") || uri.getPort() < 0 ? "" : ":" + uri.getPort();
      String webScheme = scheme.equals("http") ? "http" : "https";
      return webScheme + "://" + host + port + "/" + stripGit(trimSlashes(uri.getPath()));
    } catch (URISyntaxException e) {
      return stripGit(redact(remoteUrl));
    }
  }

  /**
   * A key identifying a repository whatever URL form names it ({@code https}, {@code ssh},
   * scp-like, with or without {@code .git}): lowercased {@code host/path}, or the path for file
   * URLs. Used to match webhook payloads and location targets to mirrors.
   */
  public static String repoKey(String url) {
    if (url.regionMatches(true, 0, "file:", 0, 5)) {
      String p = url.replaceFirst("(?i)^file:(//)?", "");
      return stripGit(trimSlashes(p));
    }
    Matcher scp = SCP_LIKE.matcher(url);
    if (scp.matches()) {
      return (scp.group(1) + "/" + stripGit(trimSlashes(scp.group(2)))).toLowerCase(Locale.ROOT);
    }
    try {
      URI uri = new URI(url);
      String host = uri.getHost() == null ? "" : uri.getHost();
      return (host + "/" + stripGit(trimSlashes(uri.getPath() == null ? "" : uri.getPath())))
          .toLowerCase(Locale.ROOT);
    } catch (URISyntaxException e) {
      return stripGit(trimSlashes(url)).toLowerCase(Locale.ROOT);
    }
  }

  /** The host ({@code host} or {@code host:port}) of a remote URL, or null for file URLs. */
  public static String host(String url) {
    Matcher scp = SCP_LIKE.matcher(url);
    if (scp.matches()) {
      return scp.group(1).toLowerCase(Locale.ROOT);
    }
    try {
      URI uri = new URI(url);
      return uri.getHost() == null ? null : hostPort(uri);
    } catch (URISyntaxException e) {
      return null;
    }
  }

  private static String hostPort(URI uri) {
    String host = uri.getHost().toLowerCase(Locale.ROOT);
    return uri.getPort() < 0 ? host : host + ":" + uri.getPort();
  }

  private static String trimSlashes(String s) {
    return s.replaceAll("^/+", "").replaceAll("/+$", "");
  }

  private static String stripGit(String s) {
    String t = s.replaceAll("/+$", "");
    return t.endsWith(".git") ? t.substring(0, t.length() - 4) : t;
  }
}
