package org.meshportal.templates.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.meshportal.model.errors.InputException;
import org.meshportal.templates.action.ActionContext;
import org.meshportal.templates.action.Workspace;

/** fs:delete and fs:rename; both work strictly inside the workspace sandbox. */
final class FsActions {
  private FsActions() {}

  static final class Delete extends BaseAction {
    Delete() {
      super("fs:delete", "Deletes files and directories (globs allowed) from the working directory.", """
          {"type":"object","required":["files"],"properties":{
            "files":{"type":"array","items":{"type":"string"},"title":"Files","description":"Paths or globs of files and directories to delete"}}}""",
          null);
    }

    @Override
    public boolean supportsDryRun() {
      return true;
    }

    @Override
    public void execute(ActionContext ctx) throws Exception {
      Workspace ws = ctx.workspace();
      for (JsonNode f : ctx.input().get("files")) {
        String pattern = f.asText();
        if (pattern.contains("*") || pattern.contains("?") || pattern.contains("{")) {
          ws.resolve(pattern.replaceAll("[*?{}\\[\\]]", "x")); // the literal part must stay inside too
          PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
          for (String rel : ws.listFiles(ws.root())) {
            if (m.matches(Path.of(rel))) {
              deleteTree(ws.resolve(rel));
            }
          }
        } else {
          deleteTree(ws.resolve(pattern));
        }
      }
    }

    private static void deleteTree(Path p) throws IOException {
      if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
        return;
      }
      try (Stream<Path> s = Files.walk(p)) {
        for (Path x : s.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(x);
        }
      }
    }
  }

  static final class Rename extends BaseAction {
    Rename() {
      super("fs:rename", "Renames files and directories within the working directory.", """
          {"type":"object","required":["files"],"properties":{
            "files":{"type":"array","items":{"type":"object","required":["from","to"],"properties":{
              "from":{"type":"string"},"to":{"type":"string"},"overwrite":{"type":"boolean"}}}}}}""",
          null);
    }

    @Override
    public boolean supportsDryRun() {
      return true;
    }

    @Override
    public void execute(ActionContext ctx) throws Exception {
      Workspace ws = ctx.workspace();
      for (JsonNode f : ctx.input().get("files")) {
        Path from = ws.resolve(f.get("from").asText());
        Path to = ws.resolve(f.get("to").asText());
        if (!Files.exists(from, LinkOption.NOFOLLOW_LINKS)) {
          throw new InputException("File " + f.get("from").asText() + " does not exist");
        }
        boolean overwrite = flag(f, "overwrite");
        if (Files.exists(to, LinkOption.NOFOLLOW_LINKS) && !overwrite) {
          throw new InputException("File " + f.get("to").asText() + " already exists");
        }
        Files.createDirectories(to.getParent());
        if (overwrite) {
          Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        } else {
          Files.move(from, to);
        }
      }
    }
  }

  static List<BaseAction> all() {
    return List.of(new Delete(), new Rename());
  }
}
