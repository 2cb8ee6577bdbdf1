package org.meshportal.indexer;

/** A facet value in its original case, and how many matching entities carry it. */
public record FacetCount(String value, int count) {}
