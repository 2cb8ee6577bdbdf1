package org.meshportal.templates.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.meshportal.model.errors.InputException;
import org.meshportal.templates.TemplateFiles;
import org.meshportal.templates.action.ActionContext;
import org.meshportal.templates.render.RenderException;
import org.meshportal.templates.render.RenderOptions;
import org.meshportal.templates.render.TemplateRenderer;

/**
 * fetch:template and fetch:template:file: copy a skeleton into the workspace, rendering file
 * contents and file/directory names with {@code values} in scope. Every rendered path is resolved
 * through the workspace sandbox, so {@code ${{ values.name }}} = {@code ../x} cannot escape.
 */
final class FetchTemplateAction extends BaseAction {
  private final TemplateFiles files;
  private final TemplateRenderer renderer;
  private final boolean singleFile;

  FetchTemplateAction(TemplateFiles files, TemplateRenderer renderer, boolean singleFile) {
    super(singleFile ? "fetch:template:file" : "fetch:template",
        singleFile ? "Downloads a single file and templates variables into it."
            : "Downloads a skeleton, templates variables into file and directory names and contents, and places the result in the workspace.",
        singleFile ? """
            {"type":"object","required":["url","targetPath"],"properties":{
              "url":{"type":"string","description":"Relative path or absolute URL of the template file"},
              "targetPath":{"type":"string","description":"Target path within the working directory"},
              "values":{"type":"object","description":"Values to pass on to the templating engine"},
              "cookiecutterCompat":{"type":"boolean"},
              "replace":{"type":"boolean","description":"Replace an existing file"},
              "trimBlocks":{"type":"boolean"},"lstripBlocks":{"type":"boolean"},
              "token":{"type":"string"}}}"""
            : """
            {"type":"object","required":["url"],"properties":{
              "url":{"type":"string","description":"Relative path or absolute URL of the skeleton directory"},
              "targetPath":{"type":"string","description":"Target path within the working directory, defaults to the root"},
              "values":{"type":"object","description":"Values to pass on to the templating engine"},
              "copyWithoutRender":{"type":"array","items":{"type":"string"},"description":"Globs of files copied untouched: neither path nor contents rendered"},
              "copyWithoutTemplating":{"type":"array","items":{"type":"string"},"description":"Globs of files whose contents are not rendered (paths are)"},
              "cookiecutterCompat":{"type":"boolean","description":"Use {{ cookiecutter.x }} syntax"},
              "templateFileExtension":{"type":["string","boolean"],"description":"Only render files with this extension (true = .njk) and strip it"},
              "replace":{"type":"boolean","description":"Replace files that already exist in the workspace"},
              "trimBlocks":{"type":"boolean"},"lstripBlocks":{"type":"boolean"},
              "token":{"type":"string"}}}""",
        null, DryRun.SUPPORTED);
    this.files = files;
    this.renderer = renderer;
    this.singleFile = singleFile;
  }

  @Override
  public void execute(ActionContext ctx) throws Exception {
    JsonNode in = ctx.input();
    String url = text(in, "url", null);
    boolean cookiecutter = flag(in, "cookiecutterCompat");
    RenderOptions options = new RenderOptions(cookiecutter, flag(in, "trimBlocks"));
    boolean replace = flag(in, "replace");
    Map<String, Object> context = new HashMap<>();
    Object values = renderer.toContext(in.has("values") ? in.get("values") : JSON.createObjectNode());
    context.put(cookiecutter ? "cookiecutter" : "values", values);

    Path source = ctx.createTempDirectory();
    ctx.log("Fetching template content from remote URL");
    files.fetch(ctx.templateBaseUrl(), url, source, ctx.isDryRun());

    if (singleFile) {
      List<Path> fetched;
      try (Stream<Path> s = Files.list(source)) {
        fetched = s.toList();
      }
      if (fetched.size() != 1 || !Files.isRegularFile(fetched.get(0), LinkOption.NOFOLLOW_LINKS)) {
        throw new InputException("fetch:template:file expects " + url + " to be a single file");
      }
      Path dest = ctx.workspace().resolve(text(in, "targetPath", null));
      writeRendered(ctx, fetched.get(0), dest, true, context, options, replace);
      ctx.workspace().checkLimits();
      return;
    }

    Path targetDir = ctx.workspace().resolve(text(in, "targetPath", "./"));
    List<PathMatcher> withoutRender = globs(in.get("copyWithoutRender"));
    List<PathMatcher> withoutTemplating = globs(in.get("copyWithoutTemplating"));
    String extension = templateExtension(in.get("templateFileExtension"));

    List<Path> all;
    try (Stream<Path> s = Files.walk(source)) {
      all = s.filter(p -> !p.equals(source)).sorted().toList();
    }
    ctx.log("Listing files and directories in template");
    ctx.log("Processing " + all.size() + " template files/directories with input values");
    int written = 0;
    for (Path file : all) {
      String rel = source.relativize(file).toString().replace('\\', '/');
      if (Files.isSymbolicLink(file)) {
        throw new InputException("Template source contains a symbolic link, which is not allowed: " + rel);
      }
      boolean directory = Files.isDirectory(file, LinkOption.NOFOLLOW_LINKS);
      String location = directory ? rel + "/" : rel;
      boolean verbatim = matches(withoutRender, rel);
      boolean renderContents = !verbatim && !matches(withoutTemplating, rel);
      String targetRel = rel;
      if (extension != null) {
        if (rel.endsWith(extension)) {
          targetRel = rel.substring(0, rel.length() - extension.length());
        } else {
          renderContents = false;
        }
      }
      if (!verbatim) {
        targetRel = renderPath(targetRel, context, options);
        if (targetRel.isBlank() || targetRel.startsWith("/") || targetRel.endsWith("/") || targetRel.contains("//")) {
          continue; // a name rendered to nothing means "skip this entry" (Backstage behaviour)
        }
      }
      Path dest = ctx.workspace().resolveInside(targetDir, targetRel);
      if (Files.exists(dest, LinkOption.NOFOLLOW_LINKS) && !replace && !directory) {
        ctx.log("File " + ctx.workspace().relativize(dest) + " already exists, skipping");
        continue;
      }
      if (!renderContents && extension == null) {
        ctx.log("Copying file/directory " + location + " without processing.");
      }
      if (directory) {
        ctx.log("Writing directory " + location + " to template output path.");
        Files.createDirectories(dest);
        continue;
      }
      if (utf8Text(Files.readAllBytes(file)) == null) {
        ctx.log("Copying file binary or symbolic link at " + location + ", to template output path.");
      } else {
        ctx.log("Writing file " + location + " to template output path with mode " + mode(file) + ".");
      }
      if (writeRendered(ctx, file, dest, renderContents, context, options, true)) {
        written++;
      }
    }
    ctx.workspace().checkLimits();
    ctx.log("Template result written to " + (ctx.workspace().relativize(targetDir).isEmpty()
        ? "workspace root" : ctx.workspace().relativize(targetDir)) + " (" + written + " files)");
  }

  /** The file's st_mode as Backstage logs it (decimal, type bits included); a plausible value off Unix. */
  private static int mode(Path file) {
    try {
      return (Integer) Files.getAttribute(file, "unix:mode", LinkOption.NOFOLLOW_LINKS);
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return Files.isExecutable(file) ? 0100755 : 0100644;
    }
  }

  private String renderPath(String rel, Map<String, Object> context, RenderOptions options) throws RenderException {
    return renderer.renderText(rel, context, options);
  }

  private boolean writeRendered(ActionContext ctx, Path file, Path dest, boolean renderContents,
      Map<String, Object> context, RenderOptions options, boolean replace) throws Exception {
    if (Files.exists(dest, LinkOption.NOFOLLOW_LINKS) && !replace) {
      ctx.log("File " + ctx.workspace().relativize(dest) + " already exists, skipping");
      return false;
    }
    Files.createDirectories(dest.getParent());
    byte[] bytes = Files.readAllBytes(file);
    String text = renderContents ? utf8Text(bytes) : null;
    if (text == null) {
      Files.copy(file, dest, StandardCopyOption.REPLACE_EXISTING);
    } else {
      try {
        Files.writeString(dest, renderer.renderText(text, context, options));
      } catch (RenderException e) {
        throw new InputException("Failed to render " + ctx.workspace().relativize(dest) + ": " + e.getMessage());
      }
    }
    if (Files.isExecutable(file)) {
      dest.toFile().setExecutable(true);
    }
    return true;
  }

  /** Text to render, or null for binary content (NUL bytes or invalid UTF-8), which is copied as is. */
  private static String utf8Text(byte[] bytes) {
    for (int i = 0; i < Math.min(bytes.length, 8000); i++) {
      if (bytes[i] == 0) {
        return null;
      }
    }
    try {
      return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      return null;
    }
  }

  private static String templateExtension(JsonNode v) {
    if (v == null || v.isNull() || (v.isBoolean() && !v.booleanValue())) {
      return null;
    }
    if (v.isBoolean()) {
      return ".njk";
    }
    String ext = v.asText();
    return ext.startsWith(".") ? ext : "." + ext;
  }

  private static List<PathMatcher> globs(JsonNode list) {
    List<PathMatcher> out = new ArrayList<>();
    if (list != null && list.isArray()) {
      for (JsonNode g : list) {
        String glob = g.asText().startsWith("./") ? g.asText().substring(2) : g.asText();
        out.add(FileSystems.getDefault().getPathMatcher("glob:" + glob));
        if (glob.startsWith("**/")) {
          out.add(FileSystems.getDefault().getPathMatcher("glob:" + glob.substring(3)));
        }
      }
    }
    return out;
  }

  private static boolean matches(List<PathMatcher> matchers, String rel) {
    Path p = Path.of(rel);
    return matchers.stream().anyMatch(m -> m.matches(p));
  }
}
