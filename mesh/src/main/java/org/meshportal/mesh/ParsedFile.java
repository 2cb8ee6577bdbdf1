package org.meshportal.mesh;

import java.util.List;

/** The cached outcome of reading one file: its documents and the problems found while reading. */
record ParsedFile(String path, String workspace, List<MeshDoc> documents, List<MeshProblem> problems) {}
