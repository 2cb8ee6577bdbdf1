package org.meshportal.templates.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.time.Duration;
import org.meshportal.model.errors.InputException;
import org.meshportal.templates.action.ActionContext;

/** debug:log and debug:wait. */
final class DebugActions {
  private DebugActions() {}

  static final class Log extends BaseAction {
    Log() {
      super("debug:log", "Writes a message into the log and/or lists all files in the workspace.", """
          {"type":"object","properties":{
            "message":{"type":"string","title":"Message to output."},
            "listWorkspace":{"title":"List all files in the workspace, if true.",
              "oneOf":[{"type":"boolean"},{"type":"string","enum":["with-filenames","with-contents"]}]},
            "extra":{"description":"Extra info to print in the log"}}}""",
          null, DryRun.SUPPORTED);
    }

    @Override
    public void execute(ActionContext ctx) throws Exception {
      JsonNode in = ctx.input();
      if (in.hasNonNull("message")) {
        ctx.log(in.get("message").asText());
      }
      if (in.hasNonNull("extra")) {
        ctx.log(JSON.writeValueAsString(in.get("extra")));
      }
      JsonNode list = in.get("listWorkspace");
      if (list != null && (list.asBoolean(false) || list.isTextual())) {
        boolean contents = "with-contents".equals(list.asText());
        StringBuilder out = new StringBuilder("Workspace:");
        for (String rel : ctx.workspace().listFiles(ctx.workspace().root())) {
          out.append("\n - ").append(rel);
          if (contents) {
            out.append(":\n").append(Files.readString(ctx.workspace().resolve(rel)));
          }
        }
        ctx.log(out.toString());
      }
    }
  }

  static final class Wait extends BaseAction {
    private final Duration max;

    Wait(Duration max) {
      super("debug:wait", "Waits for a certain period of time (bounded, aborted by cancel).", """
          {"type":"object","properties":{
            "minutes":{"type":"number","title":"Waiting period in minutes."},
            "seconds":{"type":"number","title":"Waiting period in seconds."},
            "milliseconds":{"type":"number","title":"Waiting period in milliseconds."}}}""",
          null, DryRun.SUPPORTED);
      this.max = max;
    }

    @Override
    public void execute(ActionContext ctx) throws Exception {
      JsonNode in = ctx.input();
      long ms = (long) (in.path("minutes").asDouble(0) * 60_000 + in.path("seconds").asDouble(0) * 1000
          + in.path("milliseconds").asDouble(0));
      Duration d = Duration.ofMillis(ms);
      if (d.compareTo(max) > 0) {
        throw new InputException("Waiting duration " + d + " is longer than the maximum allowed " + max);
      }
      ctx.log("Waiting for " + ms + " ms");
      if (ctx.awaitCancellation(d)) {
        throw new InterruptedException("Step was cancelled while waiting");
      }
    }
  }
}
