package org.meshportal.catalog.service;

/**
 * A file or document that failed to become an entity, or an entity that failed processing.
 *
 * @param source the source that read it: {@code location:<id>}, {@code config} or {@code provider:<id>}
 * @param location the location ref of the file, e.g. {@code file:/x/catalog-info.yaml}
 * @param documentIndex 0-based YAML document index in the file, or null when the whole file failed
 * @param entityRef the canonical ref when the document got far enough to have one, else null
 * @param name Backstage-style error name, e.g. {@code InputError}, {@code NotFoundError}
 * @param message what went wrong, naming the field or reason
 * @param level {@code error} or {@code warning}; a warning never holds back an entity's last good version
 * @param attachedTo canonical ref of an entity the source still emits whose {@code status.items} show it, or null
 */
public record ProcessingError(
    String source, String location, Integer documentIndex, String entityRef, String name, String message,
    String level, String attachedTo) {

  public static final String ERROR = "error";
  public static final String WARNING = "warning";

  public ProcessingError(String source, String location, Integer documentIndex, String entityRef, String name, String message) {
    this(source, location, documentIndex, entityRef, name, message, ERROR, null);
  }

  public boolean isWarning() {
    return WARNING.equals(level);
  }
}
