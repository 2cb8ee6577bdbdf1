package org.meshportal.templates;

/**
 * A runner tried to write to a task whose claim another process has taken over (this one stalled
 * longer than the takeover timeout): it must stop at once and leave the task to the new holder.
 */
public final class ClaimLostException extends RuntimeException {
  public ClaimLostException(String taskId) {
    super("Task " + taskId + " was taken over by another replica", null, false, false);
  }
}
