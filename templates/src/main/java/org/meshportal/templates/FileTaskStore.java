package org.meshportal.templates;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.meshportal.model.errors.NotFoundException;

/**
 * Durable tasks: one directory per task under {@code <dataDir>/tasks/<id>/} holding {@code task.json}
 * (rewritten atomically via temp file + rename, fsynced, after every state change such as a finished
 * step) and {@code events.jsonl} (append-only, one event per line; only a retry rewrites it), plus
 * the task's {@code workspace/}. Plain files were chosen over embedded H2 because a task is a small
 * document with a log: files need no schema, are easy to inspect, and the per-step fsync gives the
 * "output saved before the next step starts" guarantee directly. A torn last line after a crash is
 * skipped on load. Everything is also held in memory for listing and long polls; waiters are woken
 * per task. Thread-safe. One process owns the folder, so claims always succeed and nothing is ever
 * stale: tasks left running are picked up by {@link ScaffolderService#start()}.
 */
public final class FileTaskStore implements TaskStore {
  private final Path tasksDir;
  private final ObjectMapper json;
  private final Clock clock;
  private final Map<String, Entry> tasks = new ConcurrentHashMap<>();
  private final AtomicLong eventIds = new AtomicLong();

  /** A task's persisted document plus its events; guarded by {@code lock}. */
  static final class Entry {
    final ReentrantLock lock = new ReentrantLock();
    final Condition changed = lock.newCondition();
    final Path dir;
    ObjectNode doc;
    final List<TaskEvent> events = new ArrayList<>();

    Entry(Path dir) {
      this.dir = dir;
    }
  }

  public FileTaskStore(Path dataDir, ObjectMapper json, Clock clock) {
    this.tasksDir = dataDir.resolve("tasks");
    this.json = json;
    this.clock = clock;
    try {
      Files.createDirectories(tasksDir);
      load();
    } catch (IOException e) {
      throw new UncheckedIOException("Cannot open scaffolder task store", e);
    }
  }

  private void load() throws IOException {
    long maxId = 0;
    try (Stream<Path> dirs = Files.list(tasksDir)) {
      for (Path dir : dirs.filter(Files::isDirectory).toList()) {
        Path taskFile = dir.resolve("task.json");
        if (!Files.exists(taskFile)) {
          continue; // creation interrupted before the task document was written
        }
        Entry e = new Entry(dir);
        e.doc = (ObjectNode) json.readTree(taskFile.toFile());
        Path events = dir.resolve("events.jsonl");
        if (Files.exists(events)) {
          for (String line : Files.readAllLines(events, StandardCharsets.UTF_8)) {
            try {
              TaskEvent ev = json.readValue(line, TaskEvent.class);
              e.events.add(ev);
              maxId = Math.max(maxId, ev.id());
            } catch (IOException torn) {
              // a half-written last line from a crash: ignore it
            }
          }
        }
        tasks.put(e.doc.get("id").asText(), e);
      }
    }
    eventIds.set(maxId);
  }

  @Override
  public String now() {
    return clock.instant().toString();
  }

  @Override
  public void create(ObjectNode doc, String owner) {
    String id = doc.get("id").asText();
    Entry e = new Entry(tasksDir.resolve(id));
    e.doc = doc;
    try {
      Files.createDirectories(e.dir);
      writeDoc(e);
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    }
    tasks.put(id, e);
  }

  private Entry entry(String id) {
    Entry e = id == null ? null : tasks.get(id);
    if (e == null) {
      throw new NotFoundException("Task with id " + id + " does not exist");
    }
    return e;
  }

  /** A copy of the task document. */
  @Override
  public ObjectNode doc(String id) {
    Entry e = entry(id);
    e.lock.lock();
    try {
      return e.doc.deepCopy();
    } finally {
      e.lock.unlock();
    }
  }

  @Override
  public List<ObjectNode> allDocs() {
    List<ObjectNode> out = new ArrayList<>();
    for (Entry e : tasks.values()) {
      e.lock.lock();
      try {
        out.add(e.doc.deepCopy());
      } finally {
        e.lock.unlock();
      }
    }
    return out;
  }

  /** Changes the task document under its lock and persists it before returning. */
  @Override
  public ObjectNode update(String id, Consumer<ObjectNode> change) {
    Entry e = entry(id);
    e.lock.lock();
    try {
      ObjectNode copy = e.doc.deepCopy();
      change.accept(copy);
      e.doc = copy;
      writeDoc(e);
      e.changed.signalAll();
      return copy.deepCopy();
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    } finally {
      e.lock.unlock();
    }
  }

  @Override
  public TaskEvent append(String id, String type, ObjectNode body, Boolean recoverable) {
    Entry e = entry(id);
    e.lock.lock();
    try {
      TaskEvent ev = new TaskEvent(eventIds.incrementAndGet(), id, type, body, now(), recoverable);
      Files.writeString(e.dir.resolve("events.jsonl"), json.writeValueAsString(ev) + "\n",
          StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      e.events.add(ev);
      e.changed.signalAll();
      return ev;
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    } finally {
      e.lock.unlock();
    }
  }

  /** Drops events matching {@code remove}, rewriting the log atomically (retry only). */
  @Override
  public void removeEvents(String id, Predicate<TaskEvent> remove) {
    Entry e = entry(id);
    e.lock.lock();
    try {
      e.events.removeIf(remove);
      StringBuilder sb = new StringBuilder();
      for (TaskEvent ev : e.events) {
        sb.append(json.writeValueAsString(ev)).append('\n');
      }
      writeAtomically(e.dir.resolve("events.jsonl"), sb.toString().getBytes(StandardCharsets.UTF_8));
    } catch (IOException ex) {
      throw new UncheckedIOException(ex);
    } finally {
      e.lock.unlock();
    }
  }

  /** Events with id > after, plus the completion event whatever its id, ordered by id. */
  @Override
  public List<TaskEvent> events(String id, long after) {
    Entry e = entry(id);
    e.lock.lock();
    try {
      return select(e, after, true);
    } finally {
      e.lock.unlock();
    }
  }

  /**
   * Like {@link #events} but waits up to {@code max} while there is nothing to return.
   *
   * @param includeOldCompletion false once the caller has already seen the completion event
   */
  @Override
  public List<TaskEvent> awaitEvents(String id, long after, Duration max, boolean includeOldCompletion)
      throws InterruptedException {
    Entry e = entry(id);
    long deadline = System.nanoTime() + max.toNanos();
    e.lock.lock();
    try {
      while (true) {
        List<TaskEvent> found = select(e, after, includeOldCompletion);
        long left = deadline - System.nanoTime();
        if (!found.isEmpty() || left <= 0) {
          return found;
        }
        e.changed.await(left, TimeUnit.NANOSECONDS);
      }
    } finally {
      e.lock.unlock();
    }
  }

  private static List<TaskEvent> select(Entry e, long after, boolean includeOldCompletion) {
    return e.events.stream().filter(ev -> ev.id() > after || (includeOldCompletion && ev.isCompletion())).toList();
  }

  @Override
  public Path workspaceDir(String id) {
    return tasksDir.resolve(id).resolve("workspace");
  }

  @Override
  public boolean shared() {
    return false;
  }

  @Override
  public boolean claim(String id, String owner, Duration stale) {
    entry(id);
    return true;
  }

  @Override
  public Optional<ObjectNode> heartbeat(String id, String owner) {
    return Optional.of(doc(id));
  }

  @Override
  public void release(String id, String owner) {}

  @Override
  public List<String> claimable(Duration stale) {
    return List.of();
  }

  private void writeDoc(Entry e) throws IOException {
    writeAtomically(e.dir.resolve("task.json"), json.writeValueAsBytes(e.doc));
  }

  private static void writeAtomically(Path file, byte[] bytes) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      ch.write(java.nio.ByteBuffer.wrap(bytes));
      ch.force(true);
    }
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  static ArrayNode arrayOf(ObjectNode doc, String field) {
    JsonNode n = doc.get(field);
    return n instanceof ArrayNode a ? a : doc.putArray(field);
  }
}
