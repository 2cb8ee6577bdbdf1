package org.meshportal.indexer;

import java.util.List;

/**
 * Entities as UTF-8 JSON (already projected), and the cursor for the next page of a paginated
 * list ({@code null} when there is none or the request was not paginated).
 */
public record ListResult(List<byte[]> items, String nextAfter) {}
