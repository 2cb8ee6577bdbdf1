package org.meshportal.mesh;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/**
 * What one read of a repository derived. Immutable; entities are fresh trees the caller may keep.
 *
 * @param entities derived Backstage entities ({@code backstage.io/v1alpha1} envelopes), sorted by ref
 * @param relations extra relation edges, both directions, sorted
 * @param problems errors and warnings per file and document
 * @param documentCounts documents read per {@code apiVersion|kind}, including skipped ones
 * @param skippedCounts the part of {@code documentCounts} that mapped to nothing (each also has a warning in
 *     {@code problems} saying why)
 * @param sourceFiles canonical entity ref to the repository files it was derived from
 * @param adoptions hand-written entities used in place of derived ones
 * @param descriptors one warning per Backstage descriptor document in the kcp tree (the mapping only adopts
 *     from them): the caller reports those of files it does not also read as catalog files, where they
 *     become entities or errors of their own
 */
public record MeshResult(
    List<ObjectNode> entities,
    List<MeshRelation> relations,
    List<MeshProblem> problems,
    Map<String, Integer> documentCounts,
    Map<String, Integer> skippedCounts,
    Map<String, List<String>> sourceFiles,
    List<MeshAdoption> adoptions,
    List<MeshProblem> descriptors) {

  public List<MeshProblem> errors() {
    return problems.stream().filter(MeshProblem::isError).toList();
  }

  public List<MeshProblem> warnings() {
    return problems.stream().filter(p -> !p.isError()).toList();
  }
}
