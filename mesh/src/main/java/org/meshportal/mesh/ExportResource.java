package org.meshportal.mesh;

/**
 * One resource an APIExport serves, as the export names it.
 *
 * @param virtual for v1alpha2 {@code storage.virtual}: what serves it (may be empty); null when stored as a CRD
 */
record ExportResource(String group, String plural, String schemaName, String virtual) {}
