package org.meshportal.testfixtures;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A small mesh repository in the shapes real kcp and Platform Mesh repositories use (issue 15),
 * written for the tests: both APIBinding reference shapes, exports whose schemas are missing,
 * v1alpha2 virtual storage, bindings in workspaces without an Account, a binding to an unknown
 * export, Go-template placeholders, CRLF line ends and broken documents. Kept apart from
 * {@link MeshRepoGenerator}, whose output must stay byte-identical per seed.
 *
 * <p>{@link #OUTCOMES} says what each document ({@code file#index}) must become: {@code entity}
 * (it feeds a derived entity), {@code problem} (reported) or {@code unmapped} (nothing to map: a warning says why).
 */
public final class MeshShapesRepo {
  private MeshShapesRepo() {}

  public static final Map<String, String> FILES;
  public static final Map<String, String> OUTCOMES;

  static {
    Map<String, String> f = new LinkedHashMap<>();
    Map<String, String> o = new TreeMap<>();
    f.put("kcp/root/providers/pg/apiexport.yaml", """
        # the schemas live only in kcp (api-syncagent): the API says which are missing
        apiVersion: apis.kcp.io/v1alpha2
        kind: APIExport
        metadata:
          name: pg.example.io
        spec:
          resources:
            - {group: pg.example.io, name: clusters, schema: v1.clusters.pg.example.io, storage: {crd: {}}}
            - {group: pg.example.io, name: backups, schema: v1.backups.pg.example.io, storage: {crd: {}}}
        """);
    o.put("kcp/root/providers/pg/apiexport.yaml#0", "entity");
    f.put("kcp/root/providers/compute/apiexport.yaml", """
        apiVersion: apis.kcp.io/v1alpha2
        kind: APIExport
        metadata:
          name: compute.example.io
        spec:
          resources:
            - group: compute.example.io
              name: machines
              schema: v1.machines.compute.example.io
              storage:
                crd: {}
            - group: compute.example.io
              name: instances
              schema: v1.instances.compute.example.io
              storage:
                virtual:
                  reference:
                    apiGroup: cache.kcp.io
                    kind: CachedResourceEndpointSlice
                    name: instances
                  identityHash: 4f2a
        """);
    o.put("kcp/root/providers/compute/apiexport.yaml#0", "entity");
    f.put("kcp/root/providers/compute/schemas.yaml", schema("Machine", "machines") + "---\n" + schema("Instance", "instances")
        + "---\n" + schema("Orphan", "orphans"));
    o.put("kcp/root/providers/compute/schemas.yaml#0", "entity");
    o.put("kcp/root/providers/compute/schemas.yaml#1", "entity");
    o.put("kcp/root/providers/compute/schemas.yaml#2", "unmapped"); // no export names it
    f.put("kcp/root/providers/compute/providermetadata.yaml", """
        apiVersion: ui.platform-mesh.io/v1alpha1
        kind: ProviderMetadata
        metadata:
          name: compute.example.io
        spec:
          displayName: Compute
          description: Machines, and instances served from a cache.
        """);
    o.put("kcp/root/providers/compute/providermetadata.yaml#0", "entity");
    f.put("kcp/root/orgs/account-acme.yaml", crlf("""
        apiVersion: core.platform-mesh.io/v1alpha1
        kind: Account
        metadata:
          name: acme
        spec:
          type: org
          displayName: Acme
          description: "Region {{ .data.region }}"
          extensions:
            - apiVersion: example.io/v1
              kind: Quota
              specGoTemplate:
                limit: '{{ .data.limit }}'
        """));
    o.put("kcp/root/orgs/account-acme.yaml#0", "entity");
    f.put("kcp/root/orgs/acme/account-team-a.yaml", """
        apiVersion: core.platform-mesh.io/v1alpha1
        kind: Account
        metadata: {name: team-a}
        spec: {type: account, displayName: Team A}
        """);
    o.put("kcp/root/orgs/acme/account-team-a.yaml#0", "entity");
    f.put("kcp/root/orgs/acme/team-a/apibinding.yaml", """
        # kcp's older v1alpha1 reference shape
        apiVersion: apis.kcp.io/v1alpha1
        kind: APIBinding
        metadata: {name: compute.example.io}
        spec:
          reference:
            workspace: {path: 'root:providers:compute', exportName: compute.example.io}
        """);
    o.put("kcp/root/orgs/acme/team-a/apibinding.yaml#0", "entity");
    f.put("kcp/root/orgs/acme/team-a/dev/apibinding.yaml", """
        # an environment workspace without an Account: it belongs to team-a
        apiVersion: apis.kcp.io/v1alpha2
        kind: APIBinding
        metadata: {name: pg.example.io}
        spec:
          reference:
            export: {path: 'root:providers:pg', name: pg.example.io}
        """);
    o.put("kcp/root/orgs/acme/team-a/dev/apibinding.yaml#0", "entity");
    f.put("kcp/root/orgs/nobody/apibinding.yaml", """
        apiVersion: apis.kcp.io/v1alpha2
        kind: APIBinding
        metadata: {name: pg.example.io}
        spec:
          reference:
            export: {path: 'root:providers:pg', name: pg.example.io}
        """);
    o.put("kcp/root/orgs/nobody/apibinding.yaml#0", "problem"); // no account at or above root:orgs:nobody
    f.put("kcp/root/orgs/acme/bindings.yaml", """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: settings}
        data: {owner: '{{ .data.owner }}'}
        ---
        apiVersion: apis.kcp.io/v1alpha1
        kind: APIBinding
        metadata: {name: gone}
        spec: {reference: {workspace: {path: 'root:providers:gone', exportName: gone.example.io}}}
        ---
        apiVersion: apis.kcp.io/v1alpha1
        kind: APIBinding
        metadata: {name: nameless}
        spec: {reference: {workspace: {path: 'root:providers:pg'}}}
        """);
    o.put("kcp/root/orgs/acme/bindings.yaml#0", "unmapped");
    o.put("kcp/root/orgs/acme/bindings.yaml#1", "problem"); // the export is not in the repository
    o.put("kcp/root/orgs/acme/bindings.yaml#2", "problem"); // no exportName
    f.put("kcp/root/orgs/acme/account-team-b.yaml", """
        apiVersion: core.platform-mesh.io/v1alpha1
        kind: Account
        metadata: {name: team-b}
        spec:
          type: account
          displayName: {{ .data.team }}
        """);
    o.put("kcp/root/orgs/acme/account-team-b.yaml#0", "entity"); // and a warning: the placeholder was unquoted
    f.put("kcp/root/orgs/acme/broken.yaml", """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: ClusterRole
        metadata: {name: bind-pg}
        ---
        apiVersion: apis.kcp.io/v1alpha2
        kind: APIBinding
        metadata: {name: twice, name: again}
        ---
        just: a map
        """);
    o.put("kcp/root/orgs/acme/broken.yaml#0", "unmapped");
    o.put("kcp/root/orgs/acme/broken.yaml#1", "problem"); // duplicate key
    o.put("kcp/root/orgs/acme/broken.yaml#2", "problem"); // no apiVersion or kind
    FILES = Collections.unmodifiableMap(f);
    OUTCOMES = Collections.unmodifiableMap(o);
  }

  /** An APIResourceSchema of the compute provider, as the fixture writes them. */
  public static String schema(String kind, String plural) {
    return """
        apiVersion: apis.kcp.io/v1alpha1
        kind: APIResourceSchema
        metadata: {name: v1.%2$s.compute.example.io}
        spec:
          group: compute.example.io
          names: {kind: %1$s, plural: %2$s, singular: %3$s}
          scope: Namespaced
          versions:
            - name: v1
              served: true
              storage: true
              schema: {type: object, properties: {spec: {type: object}}}
        """.formatted(kind, plural, plural.substring(0, plural.length() - 1));
  }

  private static String crlf(String text) {
    return text.replace("\n", "\r\n");
  }

  /** Writes the files below {@code dir}. */
  public static void write(Path dir) {
    try {
      for (Map.Entry<String, String> e : FILES.entrySet()) {
        Path file = dir.resolve(e.getKey());
        Files.createDirectories(file.getParent());
        Files.writeString(file, e.getValue(), StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
