package org.meshportal.catalog.service;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Result of {@code POST /locations}. For a real registration {@code entities} is empty and
 * {@code exists} null; for a dry run {@code entities} holds every processed entity and
 * {@code exists} says whether the location was registered already.
 */
public record AddLocationResult(Location location, List<JsonNode> entities, Boolean exists) {}
