package org.meshportal.mesh;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Turns one file's bytes into documents, or into problems naming the file and document. */
final class FileParser {

  private final SafeYaml yaml = new SafeYaml(50, 64);
  private final long maxFileBytes;

  FileParser(long maxFileBytes) {
    this.maxFileBytes = maxFileBytes;
  }

  static ParsedFile failed(String path, String workspace, String message) {
    return new ParsedFile(path, workspace, List.of(),
        List.of(new MeshProblem(MeshProblem.Severity.ERROR, path, -1, message)));
  }

  ParsedFile parse(String path, String workspace, byte[] bytes) {
    if (bytes.length > maxFileBytes) {
      return failed(path, workspace, "file is " + bytes.length + " bytes, over the limit of " + maxFileBytes + " bytes");
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      return failed(path, workspace, "file is not valid UTF-8");
    }
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1);
    }
    SafeYaml.Parsed parsed = yaml.parse(text, path);
    List<MeshDoc> docs = new ArrayList<>();
    List<MeshProblem> problems = new ArrayList<>();
    for (int i = 0; i < parsed.documents().size(); i++) {
      JsonNode node = parsed.documents().get(i);
      if (node.isNull() || node.isMissingNode()) {
        continue;
      }
      if (!(node instanceof ObjectNode object)) {
        problems.add(new MeshProblem(MeshProblem.Severity.ERROR, path, i,
            "document is a " + node.getNodeType().name().toLowerCase() + ", expected a mapping with apiVersion and kind"));
        continue;
      }
      String apiVersion = MeshDoc.text(object.path("apiVersion"));
      String kind = MeshDoc.text(object.path("kind"));
      if (apiVersion == null || kind == null) {
        problems.add(new MeshProblem(MeshProblem.Severity.WARNING, path, i,
            "document has no apiVersion or kind; skipped"));
        continue;
      }
      docs.add(new MeshDoc(path, i, apiVersion, kind, object, workspace, bytes.length));
    }
    if (parsed.error() != null) {
      problems.add(new MeshProblem(MeshProblem.Severity.ERROR, path, parsed.errorDocument(), parsed.error()));
    }
    return new ParsedFile(path, workspace, List.copyOf(docs), List.copyOf(problems));
  }
}
