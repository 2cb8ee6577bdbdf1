package org.meshportal.templates.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.meshportal.templates.action.TemplateAction;

/** Holds the id, description and schemas every built-in action declares. */
abstract class BaseAction implements TemplateAction {
  static final ObjectMapper JSON = new ObjectMapper();

  private final String id;
  private final String description;
  private final JsonNode input;
  private final JsonNode output;

  /** Whether the action may run in a dry run: only actions with no effect outside the workspace. */
  enum DryRun { SUPPORTED, SKIPPED }

  private final DryRun dryRun;

  BaseAction(String id, String description, String inputSchema, String outputSchema) {
    this(id, description, inputSchema, outputSchema, DryRun.SKIPPED);
  }

  BaseAction(String id, String description, String inputSchema, String outputSchema, DryRun dryRun) {
    this.id = id;
    this.description = description;
    this.input = parse(inputSchema);
    this.output = parse(outputSchema == null ? "{\"type\":\"object\",\"properties\":{}}" : outputSchema);
    this.dryRun = dryRun;
  }

  private static JsonNode parse(String schema) {
    try {
      return JSON.readTree(schema);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public String id() {
    return id;
  }

  @Override
  public String description() {
    return description;
  }

  @Override
  public JsonNode inputSchema() {
    return input;
  }

  @Override
  public JsonNode outputSchema() {
    return output;
  }

  @Override
  public boolean supportsDryRun() {
    return dryRun == DryRun.SUPPORTED;
  }

  static String text(JsonNode input, String field, String dflt) {
    JsonNode v = input.get(field);
    return v == null || v.isNull() ? dflt : v.asText();
  }

  static boolean flag(JsonNode input, String field) {
    JsonNode v = input.get(field);
    return v != null && v.asBoolean(false);
  }
}
