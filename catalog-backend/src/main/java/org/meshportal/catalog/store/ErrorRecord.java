package org.meshportal.catalog.store;

/**
 * A processing error as stored.
 *
 * @param source the source whose processing produced it
 * @param location location ref of the file, or null
 * @param documentIndex YAML document index, or null when the whole file failed
 * @param entityRef canonical ref of the failing entity when known, else null
 * @param attachedTo canonical ref of the entity whose {@code status.items} show the error, or null
 * @param name Backstage error name
 * @param message the reason
 * @param level {@code error} or {@code warning} (null is read as error: rows stored before levels existed)
 */
public record ErrorRecord(
    String source, String location, Integer documentIndex, String entityRef, String attachedTo, String name, String message,
    String level) {

  public ErrorRecord(
      String source, String location, Integer documentIndex, String entityRef, String attachedTo, String name, String message) {
    this(source, location, documentIndex, entityRef, attachedTo, name, message, "error");
  }

  /** The level as shown in {@code status.items} and the processing-errors route. */
  public String levelOrError() {
    return level == null ? "error" : level;
  }
}
