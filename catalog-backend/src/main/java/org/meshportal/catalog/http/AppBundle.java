package org.meshportal.catalog.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Serves a built Backstage app: files from the dist folder ({@code /static/} cached as immutable),
 * {@code index.html} with the runtime config injected for every other path outside
 * {@code /api} and {@code /.backstage}.
 */
final class AppBundle {
  private static final Map<String, String> TYPES = Map.ofEntries(
      Map.entry("html", "text/html; charset=utf-8"),
      Map.entry("js", "text/javascript; charset=utf-8"),
      Map.entry("mjs", "text/javascript; charset=utf-8"),
      Map.entry("css", "text/css; charset=utf-8"),
      Map.entry("json", "application/json"),
      Map.entry("map", "application/json"),
      Map.entry("svg", "image/svg+xml"),
      Map.entry("png", "image/png"),
      Map.entry("jpg", "image/jpeg"),
      Map.entry("gif", "image/gif"),
      Map.entry("ico", "image/x-icon"),
      Map.entry("woff", "font/woff"),
      Map.entry("woff2", "font/woff2"),
      Map.entry("ttf", "font/ttf"),
      Map.entry("txt", "text/plain; charset=utf-8"),
      Map.entry("webmanifest", "application/manifest+json"));

  private final Path root;
  private final byte[] indexHtml;

  /**
   * @param permissionEnabled tells the frontend to ask {@code /api/permission/authorize} (it
   *     treats everything as allowed otherwise); when false the page's config is unchanged
   */
  AppBundle(AppSettings settings, String backendBaseUrl, Json json, boolean permissionEnabled) {
    try {
      this.root = settings.distDirectory().toRealPath();
      String raw = Files.readString(root.resolve("index.html"), StandardCharsets.UTF_8);
      ObjectNode runtime = json.mapper().createObjectNode().put("context", "runtime");
      ObjectNode data = runtime.putObject("data");
      data.putObject("app").put("baseUrl", settings.appBaseUrl());
      data.putObject("backend").put("baseUrl", backendBaseUrl);
      if (permissionEnabled) {
        data.putObject("permission").put("enabled", true);
      }
      List<ObjectNode> config = List.of(runtime);
      // \u003c keeps a "</script>" inside a value from closing the tag
      String tag = "<script type=\"backstage.io/config\">"
          + new String(json.bytes(config), StandardCharsets.UTF_8).replace("<", "\\u003c")
          + "</script>";
      int head = raw.indexOf("</head>");
      String page = head < 0 ? tag + raw : raw.substring(0, head) + tag + raw.substring(head);
      this.indexHtml = page.getBytes(StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("app.distDir " + settings.distDirectory() + " has no readable index.html", e);
    }
  }

  void serve(Context ctx) throws IOException {
    String path = ctx.path();
    if (path.startsWith("/api/") || path.equals("/api") || path.startsWith("/.backstage/")) {
      ctx.status(404).result("");
      return;
    }
    String rel;
    try {
      rel = URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException malformed) {
      rel = "/";
    }
    Path file = resolve(rel);
    if (file != null) {
      String name = file.getFileName().toString();
      int dot = name.lastIndexOf('.');
      String ext = dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
      ctx.status(200)
          .contentType(TYPES.getOrDefault(ext, "application/octet-stream"))
          .header("Cache-Control", rel.startsWith("/static/") ? "public, max-age=31536000, immutable" : "no-store")
          .result(Files.newInputStream(file));
      return;
    }
    if (rel.startsWith("/static/")) {
      ctx.status(404).result("");
      return;
    }
    ctx.status(200).contentType("text/html; charset=utf-8").header("Cache-Control", "no-store").result(indexHtml);
  }

  /** The regular file for a request path inside the dist folder, or null (index.html is always rendered). */
  private Path resolve(String rel) {
    if (rel.equals("/") || rel.equals("/index.html") || rel.indexOf('\0') >= 0) {
      return null;
    }
    try {
      Path candidate = root.resolve(rel.substring(1)).normalize();
      if (!candidate.startsWith(root) || !Files.isRegularFile(candidate)) {
        return null;
      }
      Path real = candidate.toRealPath();
      return real.startsWith(root) ? real : null;
    } catch (InvalidPathException | IOException e) {
      return null;
    }
  }
}
