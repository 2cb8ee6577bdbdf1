package org.meshportal.templates;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.meshportal.templates.action.ActionContext;
import org.meshportal.templates.action.TemplateAction;

/** Small actions that let tests observe and steer the engine. */
final class TestActions {
  private TestActions() {}

  /** Records each input it receives and outputs it back as "echo". */
  static final class Record implements TemplateAction {
    final List<JsonNode> inputs = new CopyOnWriteArrayList<>();

    @Override public String id() {
      return "test:record";
    }

    @Override public String description() {
      return "records inputs";
    }

    @Override public JsonNode inputSchema() {
      return TestFixtures.json("{\"type\":\"object\",\"required\":[\"value\"]}");
    }

    @Override public JsonNode outputSchema() {
      return TestFixtures.json("{\"type\":\"object\",\"properties\":{\"echo\":{}}}");
    }

    @Override public boolean supportsDryRun() {
      return true;
    }

    @Override public void execute(ActionContext ctx) {
      inputs.add(ctx.input());
      ctx.output("echo", ctx.input().get("value"));
    }
  }

  /** Fails with the message it is given. */
  static final class Fail implements TemplateAction {
    @Override public String id() {
      return "test:fail";
    }

    @Override public String description() {
      return "fails";
    }

    @Override public JsonNode inputSchema() {
      return TestFixtures.json("{\"type\":\"object\",\"properties\":{\"message\":{\"type\":\"string\"}}}");
    }

    @Override public JsonNode outputSchema() {
      return TestFixtures.json("{\"type\":\"object\"}");
    }

    @Override public void execute(ActionContext ctx) {
      throw new IllegalStateException(ctx.input().path("message").asText("boom"));
    }
  }

  /** Counts runs; blocks until released, cancelled or shut down. */
  static final class Block implements TemplateAction {
    final AtomicInteger runs = new AtomicInteger();
    final CountDownLatch release = new CountDownLatch(1);

    @Override public String id() {
      return "test:block";
    }

    @Override public String description() {
      return "blocks";
    }

    @Override public JsonNode inputSchema() {
      return TestFixtures.json("{\"type\":\"object\"}");
    }

    @Override public JsonNode outputSchema() {
      return TestFixtures.json("{\"type\":\"object\"}");
    }

    @Override public void execute(ActionContext ctx) throws Exception {
      runs.incrementAndGet();
      ctx.log("blocking");
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
      while (!release.await(0, TimeUnit.MILLISECONDS)) {
        if (ctx.awaitCancellation(Duration.ofMillis(20))) {
          throw new InterruptedException("aborted");
        }
        if (System.nanoTime() > deadline) {
          throw new IllegalStateException("never released");
        }
      }
      ctx.output("released", TestFixtures.JSON.getNodeFactory().booleanNode(true));
    }
  }

  /** Counts runs and outputs the count. */
  static final class Count implements TemplateAction {
    final AtomicInteger runs = new AtomicInteger();

    @Override public String id() {
      return "test:count";
    }

    @Override public String description() {
      return "counts";
    }

    @Override public JsonNode inputSchema() {
      return TestFixtures.json("{\"type\":\"object\"}");
    }

    @Override public JsonNode outputSchema() {
      return TestFixtures.json("{\"type\":\"object\"}");
    }

    @Override public void execute(ActionContext ctx) {
      ctx.output("count", TestFixtures.JSON.getNodeFactory().numberNode(runs.incrementAndGet()));
    }
  }
}
