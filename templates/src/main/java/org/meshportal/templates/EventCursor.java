package org.meshportal.templates;

import java.time.Duration;
import java.util.List;

/**
 * A reader of one task's events for SSE: each {@link #next} returns the events not yet delivered,
 * waiting up to {@code maxWait} for some. {@link #finished()} turns true once a completion event of
 * a non-recoverable task has been delivered; the stream should end then. Not thread-safe.
 */
public interface EventCursor {
  List<TaskEvent> next(Duration maxWait) throws InterruptedException;

  boolean finished();
}
