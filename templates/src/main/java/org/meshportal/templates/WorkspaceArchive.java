package org.meshportal.templates;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.meshportal.templates.action.Workspace;

/**
 * A task workspace as a zip, so that a replica taking a task over can rebuild the files the
 * finished steps wrote on another machine. Regular files only (workspaces hold no links); an entry
 * is named {@code x/<path>} for an executable file, {@code f/<path>} otherwise. Extraction goes
 * through the workspace sandbox.
 */
final class WorkspaceArchive {
  private WorkspaceArchive() {}

  static byte[] create(Workspace workspace) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ZipOutputStream zip = new ZipOutputStream(bytes)) {
      for (String rel : workspace.listFiles(workspace.root())) {
        Path file = workspace.resolve(rel);
        zip.putNextEntry(new ZipEntry((Files.isExecutable(file) ? "x/" : "f/") + rel));
        Files.copy(file, zip);
        zip.closeEntry();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("Could not archive the task workspace", e);
    }
    return bytes.toByteArray();
  }

  static void extract(byte[] archive, Workspace workspace) {
    try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(archive))) {
      for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
        String name = entry.getName();
        if (entry.isDirectory() || name.length() < 3 || name.charAt(1) != '/') {
          continue;
        }
        Path target = workspace.resolve(name.substring(2));
        Files.createDirectories(target.getParent());
        Files.copy(zip, target);
        if (name.charAt(0) == 'x') {
          target.toFile().setExecutable(true);
        }
      }
      workspace.checkLimits();
    } catch (IOException e) {
      throw new UncheckedIOException("Could not restore the task workspace", e);
    }
  }
}
