package org.meshportal.testfixtures;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A real smart-HTTP Git server on loopback: C git's {@code git http-backend} run as CGI behind
 * the JDK's HTTP server, with Basic auth. Serves every repository under {@code root}.
 */
public final class GitHttpServer implements AutoCloseable {

  private final HttpServer server;
  private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
  private final Path root;
  private final Map<String, String> users;
  private final Path home;

  /**
   * @param root the folder whose bare repositories are served ({@code root/org/repo.git} at {@code /org/repo.git})
   * @param home an empty folder used as the backend's {@code HOME}, so no user's Git settings apply
   * @param users user name → password for Basic auth
   */
  public GitHttpServer(Path root, Path home, Map<String, String> users) throws IOException {
    this.root = root;
    this.home = home;
    this.users = Map.copyOf(users);
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", this::handle);
    server.setExecutor(threads);
    server.start();
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  public String host() {
    return "127.0.0.1:" + server.getAddress().getPort();
  }

  private void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String user = authenticatedUser(ex.getRequestHeaders().getFirst("Authorization"));
      if (user == null) {
        ex.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"git\"");
        ex.sendResponseHeaders(401, -1);
        return;
      }
      runCgi(ex, user);
    }
  }

  private String authenticatedUser(String header) {
    if (header == null || !header.startsWith("Basic ")) {
      return null;
    }
    String decoded = new String(Base64.getDecoder().decode(header.substring(6).trim()),
        StandardCharsets.UTF_8);
    int colon = decoded.indexOf(':');
    if (colon < 0) {
      return null;
    }
    String user = decoded.substring(0, colon);
    return decoded.substring(colon + 1).equals(users.get(user)) ? user : null;
  }

  private void runCgi(HttpExchange ex, String user) throws IOException {
    ProcessBuilder pb = new ProcessBuilder("git", "http-backend");
    Map<String, String> env = pb.environment();
    env.put("GIT_PROJECT_ROOT", root.toString());
    env.put("GIT_HTTP_EXPORT_ALL", "1");
    env.put("GIT_CONFIG_NOSYSTEM", "1");
    env.put("HOME", home.toString());
    env.put("XDG_CONFIG_HOME", home.toString());
    env.put("GIT_CONFIG_GLOBAL", "/dev/null");
    env.put("PATH_INFO", ex.getRequestURI().getPath());
    env.put("QUERY_STRING", ex.getRequestURI().getRawQuery() == null ? ""
        : ex.getRequestURI().getRawQuery());
    env.put("REQUEST_METHOD", ex.getRequestMethod());
    env.put("REMOTE_USER", user);
    env.put("REMOTE_ADDR", "127.0.0.1");
    copyHeader(ex, "Content-Type", env, "CONTENT_TYPE");
    copyHeader(ex, "Content-Encoding", env, "HTTP_CONTENT_ENCODING");
    copyHeader(ex, "Git-Protocol", env, "GIT_PROTOCOL");
    byte[] body = ex.getRequestBody().readAllBytes();
    env.put("CONTENT_LENGTH", Integer.toString(body.length));
    pb.redirectError(ProcessBuilder.Redirect.DISCARD);
    Process p = pb.start();
    threads.execute(() -> {
      try (OutputStream in = p.getOutputStream()) {
        in.write(body);
      } catch (IOException ignored) {
        // the backend may stop reading early; its answer says what went wrong
      }
    });
    try (InputStream out = p.getInputStream()) {
      int status = 200;
      String line;
      while (!(line = readLine(out)).isEmpty()) {
        int colon = line.indexOf(':');
        String name = line.substring(0, colon).trim();
        String value = line.substring(colon + 1).trim();
        if (name.equalsIgnoreCase("Status")) {
          status = Integer.parseInt(value.substring(0, 3));
        } else {
          ex.getResponseHeaders().add(name, value);
        }
      }
      ex.sendResponseHeaders(status, 0);
      try (OutputStream resp = ex.getResponseBody()) {
        out.transferTo(resp);
      }
    } finally {
      p.destroy();
    }
  }

  private static void copyHeader(HttpExchange ex, String header, Map<String, String> env,
      String var) {
    String v = ex.getRequestHeaders().getFirst(header);
    if (v != null) {
      env.put(var, v);
    }
  }

  private static String readLine(InputStream in) throws IOException {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) != -1 && c != '\n') {
      if (c != '\r') {
        buf.write(c);
      }
    }
    return buf.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
