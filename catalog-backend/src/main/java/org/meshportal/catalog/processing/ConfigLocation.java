package org.meshportal.catalog.processing;

/** One {@code catalog.locations} entry: {@code type} is {@code file} or {@code url}. */
public record ConfigLocation(String type, String target) {}
