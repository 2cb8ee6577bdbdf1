package org.meshportal.indexer.lucene;

/** Names of the Lucene fields of an entity document, and the separator inside row terms. */
final class IndexFields {
  /** Canonical (lowercase) entity ref; keyword + sorted doc values. */
  static final String REF = "_ref";
  static final String UID = "_uid";
  /** The final entity JSON (UTF-8), binary doc values: uncompressed and memory-mapped, cheap to read. */
  static final String JSON = "_json";
  /** The public search document JSON (UTF-8), binary doc values. */
  static final String SEARCH_DOC = "_sdoc";

  /** One term per filter-row key that exists (null values included): {@code lowerKey}. */
  static final String ROW_KEY = "rk";
  /** One term per non-null filter row: {@code lowerKey SEP lowerValue}. */
  static final String ROW = "rv";
  /**
   * Original-case values for facets, written only where {@link #ROW} cannot tell them: one term
   * per row whose value has upper case, plus a row's lowercase value when the same entity also has
   * a cased variant of it under the same key. Most values are lowercase, so this stays small; a
   * {@link #ROW} value of an entity without such a term here is its original value.
   */
  static final String ROW_ORIGINAL = "ro";

  /** Search: analysed text, from most to least important. */
  static final String TEXT_NAME = "s_name";
  static final String TEXT_TAGS = "s_tags";
  static final String TEXT_DESCRIPTION = "s_desc";
  static final String TEXT_OTHER = "s_other";
  /** Search: whole lowercased name and title, for the exact-name boost. */
  static final String EXACT_NAME = "x_name";
  /** Search: whole lowercased identifiers (kcp path and its segments), for exact boosts. */
  static final String EXACT_OTHER = "x_other";
  /** Search filters: {@code sf.<document field>} = lowercased value. */
  static final String SEARCH_FILTER_PREFIX = "sf.";

  /** Separates key and value inside a row term; cannot occur in a flattened key. */
  static final char SEP = '\u0000';

  private IndexFields() {}

  static String row(String lowerKey, String value) {
    return lowerKey + SEP + value;
  }

  static String rowPrefix(String lowerKey) {
    return lowerKey + SEP;
  }
}
