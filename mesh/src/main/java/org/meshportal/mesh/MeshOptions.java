package org.meshportal.mesh;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * How one repository is read. Build with {@link #defaults()} and the {@code with…} methods.
 *
 * @param kcpRoot folder whose sub-folders are workspace paths ({@code kcp}: {@code kcp/root/orgs/x/} is {@code root:orgs:x})
 * @param folderOverrides folder (repo-relative, e.g. {@code config/kcp}) to logical cluster path; the longest match wins over kcpRoot
 * @param namespace Backstage namespace of every derived entity
 * @param sourceLocator builds source annotations for a file
 * @param maxFileBytes files above this size are rejected with an error
 * @param maxSchemaBytes schemas (serialized) above this size are left out of API definitions with a warning
 * @param maxSearchTextChars bound of the {@code platform-mesh.io/search-text} annotation
 * @param domainOwner owner ref of a derived {@code platform-mesh} Domain; null picks a known {@code platform-owners} Group or derives one
 */
public record MeshOptions(
    String kcpRoot,
    Map<String, String> folderOverrides,
    String namespace,
    SourceLocator sourceLocator,
    long maxFileBytes,
    long maxSchemaBytes,
    int maxSearchTextChars,
    String domainOwner) {

  public static final long DEFAULT_MAX_FILE_BYTES = 5L * 1024 * 1024;
  private static final Pattern NAMESPACE = Pattern.compile("^[a-z0-9]+(?:-[a-z0-9]+)*$");
  private static final Pattern PATH = Pattern.compile(
      "^[a-z0-9]([-a-z0-9]*[a-z0-9])?(:[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");

  public MeshOptions {
    Objects.requireNonNull(kcpRoot, "kcpRoot");
    Objects.requireNonNull(sourceLocator, "sourceLocator");
    kcpRoot = trimSlashes(kcpRoot);
    if (namespace == null || namespace.length() > 63 || !NAMESPACE.matcher(namespace).matches()) {
      throw new IllegalArgumentException("namespace '" + namespace + "' is not a valid Backstage namespace");
    }
    TreeMap<String, String> overrides = new TreeMap<>();
    if (folderOverrides != null) {
      folderOverrides.forEach((folder, path) -> {
        if (path == null || !PATH.matcher(path).matches()) {
          throw new IllegalArgumentException(
              "folder override '" + folder + "' maps to '" + path + "', which is not a logical cluster path");
        }
        overrides.put(trimSlashes(folder), path);
      });
    }
    folderOverrides = java.util.Collections.unmodifiableMap(overrides);
    if (maxFileBytes <= 0 || maxSchemaBytes <= 0 || maxSearchTextChars < 64) {
      throw new IllegalArgumentException("maxFileBytes and maxSchemaBytes must be positive, maxSearchTextChars at least 64");
    }
  }

  public static MeshOptions defaults() {
    return new MeshOptions("kcp", Map.of(), "platform-mesh", SourceLocator.fileStyle(),
        DEFAULT_MAX_FILE_BYTES, 1024 * 1024, 2048, null);
  }

  public MeshOptions withKcpRoot(String folder) {
    return new MeshOptions(folder, folderOverrides, namespace, sourceLocator, maxFileBytes, maxSchemaBytes, maxSearchTextChars, domainOwner);
  }

  public MeshOptions withFolderOverrides(Map<String, String> overrides) {
    return new MeshOptions(kcpRoot, overrides, namespace, sourceLocator, maxFileBytes, maxSchemaBytes, maxSearchTextChars, domainOwner);
  }

  public MeshOptions withNamespace(String ns) {
    return new MeshOptions(kcpRoot, folderOverrides, ns, sourceLocator, maxFileBytes, maxSchemaBytes, maxSearchTextChars, domainOwner);
  }

  public MeshOptions withSourceLocator(SourceLocator locator) {
    return new MeshOptions(kcpRoot, folderOverrides, namespace, locator, maxFileBytes, maxSchemaBytes, maxSearchTextChars, domainOwner);
  }

  public MeshOptions withLimits(long fileBytes, long schemaBytes) {
    return new MeshOptions(kcpRoot, folderOverrides, namespace, sourceLocator, fileBytes, schemaBytes, maxSearchTextChars, domainOwner);
  }

  public MeshOptions withDomainOwner(String ownerRef) {
    return new MeshOptions(kcpRoot, folderOverrides, namespace, sourceLocator, maxFileBytes, maxSchemaBytes, maxSearchTextChars, ownerRef);
  }

  private static String trimSlashes(String folder) {
    String f = folder.replace('\\', '/');
    while (f.startsWith("/") || f.startsWith("./")) {
      f = f.startsWith("/") ? f.substring(1) : f.substring(2);
    }
    while (f.endsWith("/")) {
      f = f.substring(0, f.length() - 1);
    }
    return f;
  }
}
