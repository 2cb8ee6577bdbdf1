package org.meshportal.catalog.audit;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One event in the shape of Backstage's auditor events: the emitting plugin, an event id, a
 * severity ({@code low|medium|high|critical}) and event-specific {@code meta}. Who did it, from
 * where, the request and the outcome are added when it is written. {@code meta} must never hold
 * a secret (tokens, passwords, template secrets).
 */
public record AuditEvent(String plugin, String eventId, String severityLevel, Map<String, Object> meta) {
  public AuditEvent {
    Objects.requireNonNull(plugin, "plugin");
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(severityLevel, "severityLevel");
    meta = meta == null ? new LinkedHashMap<>() : new LinkedHashMap<>(meta);
  }

  public static AuditEvent of(String plugin, String eventId, String severityLevel) {
    return new AuditEvent(plugin, eventId, severityLevel, null);
  }

  /** Adds a meta field (ignored when the value is null); returns this event. */
  public AuditEvent with(String key, Object value) {
    if (value != null) {
      meta.put(key, value);
    }
    return this;
  }
}
