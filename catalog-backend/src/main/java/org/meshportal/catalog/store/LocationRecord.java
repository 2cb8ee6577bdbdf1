package org.meshportal.catalog.store;

/** A registered location row. */
public record LocationRecord(String id, String type, String target) {}
