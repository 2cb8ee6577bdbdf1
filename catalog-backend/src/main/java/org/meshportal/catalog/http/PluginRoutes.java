package org.meshportal.catalog.http;

import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import io.javalin.router.JavalinDefaultRouting;
import java.util.Set;
import org.meshportal.catalog.auth.Authenticator;

/**
 * Registers one plugin's routes under {@code /api/<pluginId>}. Routes are authenticated unless
 * added with an {@code open...} method (sign-in routes).
 */
final class PluginRoutes {
  private final String pluginId;
  private final String base;
  private final JavalinDefaultRouting routing;
  private final Set<String> openRoutes;

  PluginRoutes(String pluginId, JavalinDefaultRouting routing, Set<String> openRoutes) {
    this.pluginId = pluginId;
    this.base = "/api/" + pluginId;
    this.routing = routing;
    this.openRoutes = openRoutes;
  }

  PluginRoutes get(String path, Handler handler) {
    routing.addHttpHandler(HandlerType.GET, base + path, guarded("GET", path, handler));
    return this;
  }

  PluginRoutes post(String path, Handler handler) {
    routing.addHttpHandler(HandlerType.POST, base + path, guarded("POST", path, handler));
    return this;
  }

  PluginRoutes put(String path, Handler handler) {
    routing.addHttpHandler(HandlerType.PUT, base + path, guarded("PUT", path, handler));
    return this;
  }

  PluginRoutes delete(String path, Handler handler) {
    routing.addHttpHandler(HandlerType.DELETE, base + path, guarded("DELETE", path, handler));
    return this;
  }

  /**
   * Authenticated routes first apply the external-access token's plugin restriction, with this
   * router's id: the route that runs decides, whatever the URL looked like.
   */
  private Handler guarded(String method, String path, Handler handler) {
    if (openRoutes.contains(method + " " + base + path)) {
      return handler;
    }
    return ctx -> {
      Authenticator.requirePluginAccess(ctx.attribute(HttpServer.PRINCIPAL), pluginId);
      handler.handle(ctx);
    };
  }

  PluginRoutes openGet(String path, Handler handler) {
    openRoutes.add("GET " + base + path);
    return get(path, handler);
  }

  PluginRoutes openPost(String path, Handler handler) {
    openRoutes.add("POST " + base + path);
    return post(path, handler);
  }
}
