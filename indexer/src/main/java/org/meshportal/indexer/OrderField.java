package org.meshportal.indexer;

/** One sort key: a filter-row key (compared lowercased) and a direction. */
public record OrderField(String field, boolean descending) {}
