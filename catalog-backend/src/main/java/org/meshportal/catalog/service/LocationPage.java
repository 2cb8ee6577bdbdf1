package org.meshportal.catalog.service;

import java.util.List;

/** A page of {@code POST /locations/by-query}; nextCursor null when there is no next page. */
public record LocationPage(List<Location> items, int totalItems, String nextCursor) {}
