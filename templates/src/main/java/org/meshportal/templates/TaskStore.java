package org.meshportal.templates;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Where scaffolder tasks and their events live. A task is a JSON document (never holding secrets)
 * plus an ordered event log; event ids are monotonic across the whole store. {@link FileTaskStore}
 * is the embedded one (one process); a store {@link #shared()} by several processes also records
 * which process runs each task (a claim renewed by heartbeats), so that exactly one runs it and
 * another takes it over when the claim goes stale. Implementations are thread-safe; unknown ids
 * throw {@code NotFoundException}.
 */
public interface TaskStore {
  /** The store's clock as an ISO-8601 instant, for timestamps in documents. */
  String now();

  /** Stores a new task, claimed by {@code owner} from the first moment (no other process may start it). */
  void create(ObjectNode doc, String owner);

  /** A copy of the task document. */
  ObjectNode doc(String id);

  /** Copies of every task document. */
  List<ObjectNode> allDocs();

  /** Changes the task document atomically (no concurrent change is lost) and persists it before returning. */
  ObjectNode update(String id, Consumer<ObjectNode> change);

  TaskEvent append(String id, String type, ObjectNode body, Boolean recoverable);

  /**
   * {@link #update} by the runner holding the claim: where the store is shared, fails with
   * {@link ClaimLostException} (changing nothing) once {@code owner} no longer holds it, so a
   * stalled runner cannot write over the process that took its task over.
   */
  default ObjectNode updateClaimed(String id, String owner, Consumer<ObjectNode> change) {
    return update(id, change);
  }

  /** {@link #append} by the runner holding the claim; see {@link #updateClaimed}. */
  default TaskEvent appendClaimed(String id, String owner, String type, ObjectNode body, Boolean recoverable) {
    return append(id, type, body, recoverable);
  }

  /** Drops events matching {@code remove} (retry only). */
  void removeEvents(String id, Predicate<TaskEvent> remove);

  /** Events with id > after, plus the completion event whatever its id, ordered by id. */
  List<TaskEvent> events(String id, long after);

  /**
   * Like {@link #events} but waits up to {@code max} while there is nothing to return; sees events
   * appended by any process sharing the store.
   *
   * @param includeOldCompletion false once the caller has already seen the completion event
   */
  List<TaskEvent> awaitEvents(String id, long after, Duration max, boolean includeOldCompletion)
      throws InterruptedException;

  /** How many tasks are in each status (statuses with none left out). */
  default Map<String, Long> countByStatus() {
    Map<String, Long> counts = new TreeMap<>();
    allDocs().forEach(d -> counts.merge(d.path("status").asText("unknown"), 1L, Long::sum));
    return counts;
  }

  /** The task's working directory on this machine's disk. */
  Path workspaceDir(String id);

  /** True when other processes use the same store: claims, heartbeats and takeover then matter. */
  boolean shared();

  /**
   * Claims the task for {@code owner} if nobody holds it, {@code owner} already does, or the
   * holder's heartbeat is older than {@code stale}. At most one caller wins.
   */
  boolean claim(String id, String owner, Duration stale);

  /**
   * Renews {@code owner}'s claim and returns the current document, or empty when the claim is
   * no longer {@code owner}'s (taken over): the caller must then stop running the task.
   */
  Optional<ObjectNode> heartbeat(String id, String owner);

  /** Gives up {@code owner}'s claim (a finished task), so that a retry on any process may claim it. */
  void release(String id, String owner);

  /** Ids of open or processing tasks that nobody holds or whose holder's heartbeat is older than {@code stale}. */
  List<String> claimable(Duration stale);

  /**
   * Keeps a copy of the workspace after a step, for a takeover elsewhere, while {@code owner} holds
   * the claim ({@link ClaimLostException} otherwise); no-op where disk is not shared.
   */
  default void saveWorkspaceArchive(String id, String owner, byte[] archive) {}

  /** The copy saved by {@link #saveWorkspaceArchive}, if any. */
  default Optional<byte[]> workspaceArchive(String id) {
    return Optional.empty();
  }

  default void deleteWorkspaceArchive(String id) {}
}
