package org.meshportal.catalog.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.meshportal.model.errors.NotFoundException;
import org.meshportal.templates.TaskEvent;
import org.meshportal.templates.TaskStore;

/** What ScaffolderService relies on from any task store; run on the file store and on PostgreSQL. */
abstract class TaskStoreContract {
  static final ObjectMapper JSON = new ObjectMapper();

  /** A store over the same data each time it is called (a second process where the store is shared). */
  abstract TaskStore store();

  static ObjectNode newTask(TaskStore store, String createdBy) {
    ObjectNode doc = JSON.createObjectNode().put("id", UUID.randomUUID().toString()).put("status", "open")
        .put("createdAt", store.now()).put("createdBy", createdBy);
    doc.putObject("spec").put("zeta", 1).put("alpha", 2);
    doc.putArray("finishedSteps");
    return doc;
  }

  static ObjectNode body(String message) {
    return JSON.createObjectNode().put("message", message);
  }

  @Test
  void documents_are_created_read_listed_and_updated_keeping_their_json_as_written() {
    TaskStore store = store();
    ObjectNode doc = newTask(store, "user:default/a");
    store.create(doc, "owner-1");
    assertEquals(doc, store.doc(doc.get("id").asText()));
    assertEquals(List.of("zeta", "alpha"), fieldNames(store.doc(doc.get("id").asText()).get("spec")));
    ObjectNode updated = store.update(doc.get("id").asText(), d -> {
      d.put("status", "processing");
      d.withArray("finishedSteps").add("one");
    });
    assertEquals("processing", updated.get("status").asText());
    assertEquals("one", store.doc(doc.get("id").asText()).at("/finishedSteps/0").asText());
    assertTrue(store.allDocs().stream().anyMatch(d -> d.equals(updated)), store.allDocs().toString());
  }

  @Test
  void unknown_ids_are_not_found_everywhere() {
    TaskStore store = store();
    String nope = "no-such-task";
    assertThrows(NotFoundException.class, () -> store.doc(nope));
    assertThrows(NotFoundException.class, () -> store.update(nope, d -> d.put("status", "failed")));
    assertThrows(NotFoundException.class, () -> store.append(nope, "log", body("x"), null));
    assertThrows(NotFoundException.class, () -> store.events(nope, -1));
    assertThrows(NotFoundException.class, () -> store.awaitEvents(nope, -1, Duration.ZERO, true));
    assertThrows(NotFoundException.class, () -> store.doc("'; DROP TABLE scaffolder_tasks; --"));
    assertThrows(NotFoundException.class, () -> store.doc("nul\0byte"));
    assertThrows(NotFoundException.class, () -> store.events("nul\0byte", -1));
    assertThrows(NotFoundException.class, () -> store.update("x".repeat(10_000), d -> d.put("status", "failed")));
    assertThrows(NotFoundException.class, () -> store.append("", "log", body("x"), null));
  }

  @Test
  void events_are_ordered_filtered_by_id_and_the_completion_is_always_returned() throws Exception {
    TaskStore store = store();
    ObjectNode doc = newTask(store, null);
    String id = doc.get("id").asText();
    store.create(doc, "owner-1");
    TaskEvent first = store.append(id, "log", body("one"), null);
    TaskEvent second = store.append(id, "log", body("two"), null);
    TaskEvent done = store.append(id, "completion", body("done"), Boolean.TRUE);
    assertTrue(first.id() < second.id() && second.id() < done.id());
    assertEquals(List.of(first, second, done), store.events(id, -1));
    assertEquals(List.of(second, done), store.events(id, first.id()));
    // After the completion's id: still returned (Backstage's clients expect it) unless already seen.
    assertEquals(List.of(done), store.events(id, done.id()));
    assertEquals(List.of(), store.awaitEvents(id, done.id(), Duration.ZERO, false));
    assertEquals(Boolean.TRUE, store.events(id, second.id()).get(0).isTaskRecoverable());

    store.removeEvents(id, TaskEvent::isCompletion);
    assertEquals(List.of(first, second), store.events(id, -1));
    TaskEvent later = store.append(id, "log", body("three"), null);
    assertTrue(later.id() > done.id(), "ids never go back");
  }

  @Test
  void an_event_wait_returns_as_soon_as_an_event_is_appended_and_times_out_empty_otherwise() throws Exception {
    TaskStore store = store();
    ObjectNode doc = newTask(store, null);
    String id = doc.get("id").asText();
    store.create(doc, "owner-1");
    TaskEvent seen = store.append(id, "log", body("seen"), null);
    assertEquals(List.of(), store.awaitEvents(id, seen.id(), Duration.ofMillis(50), true));

    TaskStore other = store();
    CompletableFuture<List<TaskEvent>> waiting = CompletableFuture.supplyAsync(() -> {
      try {
        return other.awaitEvents(id, seen.id(), Duration.ofSeconds(30), true);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    TaskEvent next = store.append(id, "log", body("next"), null);
    long t0 = System.nanoTime();
    assertEquals(List.of(next), waiting.get());
    assertTrue(System.nanoTime() - t0 < Duration.ofSeconds(5).toNanos(), "woken well before the 30 s bound");
  }

  @Test
  void a_task_s_first_claim_is_its_creator_s_and_the_creator_may_renew_it() {
    TaskStore store = store();
    ObjectNode doc = newTask(store, null);
    String id = doc.get("id").asText();
    store.create(doc, "owner-1");
    assertTrue(store.claim(id, "owner-1", Duration.ofMinutes(1)));
    assertEquals(id, store.heartbeat(id, "owner-1").orElseThrow().get("id").asText());
    assertFalse(store.claimable(Duration.ofMinutes(1)).contains(id), "a fresh claim is nobody else's to take");
  }

  private static List<String> fieldNames(com.fasterxml.jackson.databind.JsonNode node) {
    List<String> names = new java.util.ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }
}
