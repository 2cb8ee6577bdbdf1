package org.meshportal.testfixtures;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The {@code git} command line for tests that need a real Git repository or server, isolated from
 * the machine: its own empty HOME, no system or global config, a fixed identity, so a developer's
 * settings (hooks, default branch, signing, aliases) cannot change results.
 */
public final class GitCli {
  private static Path home;

  private GitCli() {}

  /** Runs {@code git args...} in {@code cwd}; returns its output (stdout and stderr); fails on a non-zero exit. */
  public static String git(Path cwd, String... args) {
    List<String> cmd = new ArrayList<>();
    cmd.add("git");
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectErrorStream(true);
    isolate(pb.environment());
    try {
      Process p = pb.start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
        p.destroyForcibly();
        throw new IllegalStateException(String.join(" ", cmd) + " failed in " + cwd + ": " + out);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(String.join(" ", cmd) + " (is git on the PATH?)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Sets the environment of a git process (or of anything that starts git) to the isolated one. */
  public static void isolate(Map<String, String> env) {
    String h = home().toString();
    env.put("HOME", h);
    env.put("XDG_CONFIG_HOME", h);
    env.put("GIT_CONFIG_NOSYSTEM", "1");
    env.put("GIT_CONFIG_GLOBAL", "/dev/null");
    env.put("GIT_TERMINAL_PROMPT", "0");
    env.put("GIT_AUTHOR_NAME", "Test");
    env.put("GIT_AUTHOR_EMAIL", "test@example.com");
    env.put("GIT_COMMITTER_NAME", "Test");
    env.put("GIT_COMMITTER_EMAIL", "test@example.com");
  }

  private static synchronized Path home() {
    if (home == null) {
      try {
        home = Files.createTempDirectory("git-home");
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      home.toFile().deleteOnExit();
    }
    return home;
  }
}
