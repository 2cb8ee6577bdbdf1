package org.meshportal.templates.builtin;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.meshportal.model.errors.InputException;
import org.meshportal.templates.TemplateFiles;
import org.meshportal.templates.action.ActionContext;

/** fetch:plain and fetch:plain:file: copy template files into the workspace untouched. */
final class FetchPlainAction extends BaseAction {
  private final TemplateFiles files;
  private final boolean singleFile;

  FetchPlainAction(TemplateFiles files, boolean singleFile) {
    super(singleFile ? "fetch:plain:file" : "fetch:plain",
        singleFile ? "Downloads a single file and places it in the workspace."
            : "Downloads a directory and places it in the workspace.",
        singleFile ? """
            {"type":"object","required":["url","targetPath"],"properties":{
              "url":{"type":"string","title":"Fetch URL","description":"Relative path or absolute URL of the file"},
              "targetPath":{"type":"string","title":"Target Path","description":"Target path within the working directory"},
              "token":{"type":"string"}}}"""
            : """
            {"type":"object","required":["url"],"properties":{
              "url":{"type":"string","title":"Fetch URL","description":"Relative path or absolute URL of the directory tree"},
              "targetPath":{"type":"string","title":"Target Path","description":"Target path within the working directory, defaults to the working directory root"},
              "token":{"type":"string"}}}""",
        null, DryRun.SUPPORTED);
    this.files = files;
    this.singleFile = singleFile;
  }

  @Override
  public void execute(ActionContext ctx) throws Exception {
    String url = text(ctx.input(), "url", null);
    Path target = ctx.workspace().resolve(text(ctx.input(), "targetPath", "./"));
    Path tmp = ctx.createTempDirectory();
    ctx.log("Fetching plain content from " + url);
    files.fetch(ctx.templateBaseUrl(), url, tmp, ctx.isDryRun());
    if (singleFile) {
      List<Path> fetched;
      try (var s = Files.list(tmp)) {
        fetched = s.toList();
      }
      if (fetched.size() != 1 || !Files.isRegularFile(fetched.get(0))) {
        throw new InputException("fetch:plain:file expects " + url + " to be a single file");
      }
      ctx.workspace().copyTreeInto(fetched.get(0), target, true);
    } else {
      ctx.workspace().copyTreeInto(tmp, target, true);
    }
  }
}
