package org.meshportal.templates;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Set;
import org.meshportal.templates.action.Workspace;

/** What {@link TaskRunner} runs against: a durable task or an in-memory dry run. */
interface RunTarget {
  String taskId();

  /**
   * The task spec the engine runs: never masked (masking applies to what a run shows, see
   * {@link Redactor}). Secrets are not part of it.
   */
  ObjectNode spec();

  Workspace workspace();

  boolean dryRun();

  /** Outputs of steps finished before (a resumed task), by step id. */
  ObjectNode stepOutputs();

  /** Ids of steps already finished (completed, skipped or failed) before this run. */
  Set<String> finishedSteps();

  /** True if a step failed before this run (resumed task). */
  boolean failedBefore();

  void event(String type, ObjectNode body);

  void stepStarted(String stepId);

  /** Persists a finished step before the next starts; {@code output} is already redacted. */
  void stepFinished(String stepId, ObjectNode output, boolean failed);

  /** Final status and the completion event body. */
  void complete(String status, ObjectNode completionBody);

  TaskSignal signal();
}
