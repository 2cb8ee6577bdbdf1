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
 */
public record ErrorRecord(
    String source, String location, Integer documentIndex, String entityRef, String attachedTo, String name, String message) {}
