package org.meshportal.templates.action;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;

/**
 * What a running action sees of its task. Log lines and outputs pass through the engine, which
 * redacts secret values before anything is stored or streamed.
 */
public interface ActionContext {
  String taskId();

  String stepId();

  /** Ref of the template that runs ({@code template:default/x}); used by catalog:write. */
  String templateRef();

  /** The template's location ({@code file:} or http(s) URL of its template.yaml), relative URLs resolve against it; may be null. */
  String templateBaseUrl();

  /** The rendered, schema-validated input. */
  JsonNode input();

  Workspace workspace();

  void log(String message);

  void output(String name, JsonNode value);

  boolean isDryRun();

  boolean isCancelled();

  /**
   * Waits until the task is cancelled or {@code max} elapsed.
   *
   * @return true if the task was cancelled
   */
  boolean awaitCancellation(Duration max) throws InterruptedException;

  /** A scratch directory outside the workspace that the engine deletes when the step ends. */
  Path createTempDirectory() throws IOException;
}
