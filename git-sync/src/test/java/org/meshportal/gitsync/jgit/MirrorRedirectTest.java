package org.meshportal.gitsync.jgit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshportal.gitsync.GitMirrors;
import org.meshportal.gitsync.MirrorSpec;
import org.meshportal.gitsync.SyncResult;

/**
 * A mirror's remote that answers with a redirect must not lead the server to the redirect's
 * target: the host allowed for reading is not the host the redirect names.
 */
class MirrorRedirectTest {
  @TempDir Path tmp;

  private HttpServer allowed;
  private HttpServer target;
  private final List<String> targetRequests = Collections.synchronizedList(new ArrayList<>());
  private final List<String> allowedRequests = Collections.synchronizedList(new ArrayList<>());

  @BeforeEach
  void servers() throws IOException {
    target = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    target.createContext("/", exchange -> {
      targetRequests.add(exchange.getRequestURI().toString());
      exchange.sendResponseHeaders(404, -1);
      exchange.close();
    });
    target.start();
    allowed = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    allowed.createContext("/", exchange -> {
      allowedRequests.add(exchange.getRequestURI().toString());
      exchange.getResponseHeaders().add("Location",
          "http://127.0.0.1:" + target.getAddress().getPort() + exchange.getRequestURI());
      exchange.sendResponseHeaders(302, -1);
      exchange.close();
    });
    allowed.start();
  }

  @AfterEach
  void stop() {
    allowed.stop(0);
    target.stop(0);
  }

  @Test
  void fetch_does_not_follow_a_redirect() {
    try (GitMirrors mirrors = GitMirrors.builder(tmp.resolve("mirrors")).build()) {
      mirrors.add(new MirrorSpec("repo", "http://127.0.0.1:" + allowed.getAddress().getPort() + "/org/repo.git",
          "main"));
      SyncResult result = mirrors.sync("repo");
      assertEquals(SyncResult.Outcome.FAILED, result.outcome());
      assertFalse(allowedRequests.isEmpty(), "the configured remote was asked");
      assertTrue(targetRequests.isEmpty(), "the redirect target was contacted: " + targetRequests);
    }
  }
}
