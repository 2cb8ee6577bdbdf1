package org.meshportal.catalog.http;

/**
 * One Backstage backend plugin's router, mounted at {@code /api/<id>}. To add the scaffolder,
 * write a {@code ScaffolderPlugin} in this package, add it with
 * {@link HttpServer.Builder#plugin(Plugin)}, and add {@code openapi/.../scaffolder.yaml}.
 */
interface Plugin {
  /** The plugin id, e.g. {@code catalog}; also names its OpenAPI document. */
  String id();

  void addRoutes(PluginRoutes routes);
}
