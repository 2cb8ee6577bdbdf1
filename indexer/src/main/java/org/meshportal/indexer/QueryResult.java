package org.meshportal.indexer;

import java.util.List;

/** A by-query page: items as UTF-8 JSON, the total, and opaque cursors (null when absent). */
public record QueryResult(List<byte[]> items, int totalItems, String nextCursor, String prevCursor) {}
