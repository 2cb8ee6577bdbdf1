/**
 * What the server may read and write on behalf of requests and input files: {@link
 * org.meshportal.catalog.access.AccessPolicy} is the single decision point for local files, URLs and
 * Git pushes; {@link org.meshportal.catalog.access.HostRule} is one {@code backend.reading.allow} entry.
 */
package org.meshportal.catalog.access;
