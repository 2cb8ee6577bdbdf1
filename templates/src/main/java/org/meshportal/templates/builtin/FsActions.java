package org.meshportal.templates.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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

/** fs:delete, fs:rename and fs:readdir; all work strictly inside the workspace sandbox. */
final class FsActions {
  private FsActions() {}

  static final class Delete extends BaseAction {
    Delete() {
      super("fs:delete", "Deletes files and directories (globs allowed) from the working directory.", """
          {"type":"object","required":["files"],"properties":{
            "files":{"type":"array","items":{"type":"string"},"title":"Files","description":"Paths or globs of files and directories to delete"}}}""",
          null, DryRun.SUPPORTED);
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
          null, DryRun.SUPPORTED);
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

  static final class ReadDir extends BaseAction {
    ReadDir() {
      super("fs:readdir", "Reads files and directories from the workspace", """
          {"type":"object","required":["paths"],"properties":{
            "paths":{"type":"array","items":{"type":"string","minLength":1},"description":"Workspace directories to list"},
            "recursive":{"type":"boolean","default":false,"description":"Also list the contents of subdirectories"}}}""", """
          {"type":"object","properties":{
            "files":{"type":"array","items":{"$ref":"#/$defs/entry"}},
            "folders":{"type":"array","items":{"$ref":"#/$defs/entry"}}},
           "$defs":{"entry":{"type":"object","required":["name","path","fullPath"],"properties":{
            "name":{"type":"string","description":"Name of the file or directory"},
            "path":{"type":"string","description":"path to the file or directory relative to the workspace"},
            "fullPath":{"type":"string","description":"full path to the file or directory"}}}}}""", DryRun.SUPPORTED);
    }

    @Override
    public void execute(ActionContext ctx) throws Exception {
      Workspace ws = ctx.workspace();
      boolean recursive = flag(ctx.input(), "recursive");
      ArrayNode files = JSON.createArrayNode();
      ArrayNode folders = JSON.createArrayNode();
      for (JsonNode p : ctx.input().get("paths")) {
        Path dir = ws.resolve(p.asText());
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
          throw new InputException("Cannot read directory " + p.asText() + ": it does not exist or is not a directory");
        }
        List<Path> entries;
        try (Stream<Path> s = recursive ? Files.walk(dir) : Files.list(dir)) {
          entries = s.filter(x -> !x.equals(dir)).sorted().toList();
        }
        for (Path entry : entries) {
          ObjectNode item = JSON.createObjectNode()
              .put("name", entry.getFileName().toString())
              .put("path", ws.relativize(entry))
              .put("fullPath", entry.toString());
          (Files.isDirectory(entry, LinkOption.NOFOLLOW_LINKS) ? folders : files).add(item);
        }
      }
      ctx.output("files", files);
      ctx.output("folders", folders);
    }
  }

  static List<BaseAction> all() {
    return List.of(new Delete(), new Rename(), new ReadDir());
  }
}
