package org.meshportal.mesh;

import java.util.Map;

/**
 * Maps a repository file to the logical cluster path it applies in: folders under the kcp root
 * (or under an overridden folder) are workspace names; folders starting with {@code _} or
 * {@code .} hold helper files of the enclosing workspace.
 */
final class WorkspaceLocator {

  /** Where a file applies: a workspace path, or a problem with the folder that caused it. Null means out of scope. */
  record Location(String workspace, String badFolder, String problem) {}

  private final String kcpRoot;
  private final Map<String, String> overrides;

  WorkspaceLocator(String kcpRoot, Map<String, String> overrides) {
    this.kcpRoot = kcpRoot;
    this.overrides = overrides;
  }

  static boolean isYaml(String path) {
    return path.endsWith(".yaml") || path.endsWith(".yml");
  }

  /** Null when the file is not a YAML file under the kcp root or an overridden folder. */
  Location locate(String path) {
    if (!isYaml(path)) {
      return null;
    }
    String base = null;
    String baseFolder = null;
    for (Map.Entry<String, String> o : overrides.entrySet()) {
      String folder = o.getKey();
      if ((folder.isEmpty() || path.startsWith(folder + "/"))
          && (baseFolder == null || folder.length() > baseFolder.length())) {
        base = o.getValue();
        baseFolder = folder;
      }
    }
    if (baseFolder == null) {
      if (!kcpRoot.isEmpty() && !path.startsWith(kcpRoot + "/")) {
        return null;
      }
      base = "";
      baseFolder = kcpRoot;
    }
    String rest = baseFolder.isEmpty() ? path : path.substring(baseFolder.length() + 1);
    String[] parts = rest.split("/");
    StringBuilder ws = new StringBuilder(base);
    StringBuilder folder = new StringBuilder(baseFolder);
    for (int i = 0; i < parts.length - 1; i++) {
      String segment = parts[i];
      folder.append(folder.isEmpty() ? "" : "/").append(segment);
      if (segment.startsWith("_") || segment.startsWith(".")) {
        break;
      }
      if (!Names.isWorkspaceName(segment)) {
        return new Location(null, folder.toString(),
            "folder name '" + segment + "' is not a valid workspace name ([a-z0-9]([-a-z0-9]*[a-z0-9])?, at most 63 characters)");
      }
      ws.append(ws.isEmpty() ? "" : ":").append(segment);
    }
    if (ws.isEmpty()) {
      return new Location(null, path, "file is not inside a workspace folder (e.g. " + kcpRoot + "/root/...)");
    }
    return new Location(ws.toString(), null, null);
  }
}
