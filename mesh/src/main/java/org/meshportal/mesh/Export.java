package org.meshportal.mesh;

import java.util.List;

/** A normalized APIExport (v1alpha1 and v1alpha2 alike), with the schemas found for it and those missing. */
record Export(MeshDoc doc, String ws, String name, List<ExportResource> resources,
    List<String> claims, List<ResourceSchema> schemas, List<String> missing) {}
