package org.meshportal.catalog.http;

/**
 * {@code search.*} limits and highlighting of {@code GET /api/search/query}.
 *
 * @param maxTermLength longest accepted {@code term}
 * @param maxPageLimit largest accepted {@code pageLimit}
 * @param highlight whether results carry highlighted fields
 */
public record SearchSettings(
    int maxTermLength, int maxPageLimit, int defaultPageLimit, boolean highlight, String preTag, String postTag,
    int fragmentDelimiterLength) {

  public static SearchSettings defaults() {
    return new SearchSettings(100, 100, 25, true, "<mark>", "</mark>", 10);
  }

  public SearchSettings {
    if (maxTermLength < 1 || maxPageLimit < 1 || defaultPageLimit < 0 || defaultPageLimit > maxPageLimit) {
      throw new IllegalArgumentException("search limits must be positive and default page size at most the max");
    }
  }
}
