package org.meshportal.catalog.service;

/** A registered location as served by {@code /locations}: id is a UUID, entityRef the Location entity. */
public record Location(String id, String type, String target, String entityRef) {}
