package org.meshportal.mesh;

/**
 * An error or warning about one file (and document, when known) of the repository.
 *
 * @param file repository-relative path of the file, or of the folder for folder-level problems
 * @param document zero-based index of the YAML document in the file, or -1 for the whole file
 * @param entityRef canonical ref of the derived entity the problem is about (its status shows it), or null
 */
public record MeshProblem(Severity severity, String file, int document, String message, String entityRef) {

  public enum Severity { ERROR, WARNING }

  public MeshProblem(Severity severity, String file, int document, String message) {
    this(severity, file, document, message, null);
  }

  public boolean isError() {
    return severity == Severity.ERROR;
  }

  @Override
  public String toString() {
    return severity + " " + file + (document >= 0 ? "#" + document : "") + ": " + message;
  }
}
