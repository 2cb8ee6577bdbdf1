package org.meshportal.gitsync;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Backstage's source annotations for a file in a repository.
 *
 * @param managedByLocation {@code url:<blob url>}
 * @param sourceLocation {@code url:<tree url of the file's directory>/}
 * @param viewUrl the blob URL
 * @param editUrl the host's edit page, or {@code null} when the host has none (file://)
 */
public record SourceUrls(
    String managedByLocation, String sourceLocation, String viewUrl, String editUrl) {

  public static final String MANAGED_BY_LOCATION = "backstage.io/managed-by-location";
  public static final String MANAGED_BY_ORIGIN_LOCATION = "backstage.io/managed-by-origin-location";
  public static final String SOURCE_LOCATION = "backstage.io/source-location";
  public static final String VIEW_URL = "backstage.io/view-url";
  public static final String EDIT_URL = "backstage.io/edit-url";

  /** The annotations as a map, in a stable order, leaving out absent values. */
  public Map<String, String> annotations() {
    Map<String, String> map = new LinkedHashMap<>();
    map.put(MANAGED_BY_LOCATION, managedByLocation);
    map.put(SOURCE_LOCATION, sourceLocation);
    map.put(VIEW_URL, viewUrl);
    if (editUrl != null) {
      map.put(EDIT_URL, editUrl);
    }
    return map;
  }
}
