package org.meshportal.templates;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.meshportal.model.Entities;
import org.meshportal.model.EntityRef;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** Real, simple collaborators over temp dirs (no mocks). */
final class TestFixtures {
  static final ObjectMapper JSON = new ObjectMapper();

  private TestFixtures() {}

  static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** A catalog held in memory; locations are YAML files on disk. */
  static final class MemoryCatalog implements TemplateCatalog {
    final Map<String, JsonNode> entities = new ConcurrentHashMap<>();
    final List<String> registered = Collections.synchronizedList(new ArrayList<>());

    void add(JsonNode entity) {
      entities.put(Entities.ref(entity).canonical(), entity);
    }

    @Override
    public Optional<JsonNode> findEntity(EntityRef ref) {
      return Optional.ofNullable(entities.get(ref.canonical()));
    }

    @Override
    public List<JsonNode> registerLocation(String type, String target) {
      registered.add(type + ":" + target);
      try {
        String yaml = Files.readString(Path.of(target));
        List<JsonNode> out = new ArrayList<>();
        for (Object doc : new Load(LoadSettings.builder().build()).loadAllFromString(yaml)) {
          out.add(JSON.valueToTree(doc));
        }
        return out;
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read " + target, e);
      }
    }
  }

  /** GitPublisher over the git CLI and bare repositories in a temp dir; repoUrl is a bare repo path. */
  static final class CliGitPublisher implements GitPublisher {
    final Path root;
    final List<String> calls = Collections.synchronizedList(new ArrayList<>());

    CliGitPublisher(Path root) {
      this.root = root;
    }

    Path bareRepo(String repoUrl) {
      String name = repoUrl.contains("repo=") ? repoUrl.replaceAll(".*repo=([^&]+).*", "$1") : repoUrl;
      return root.resolve(name + ".git");
    }

    @Override
    public Published createRepository(NewRepository r) throws IOException {
      calls.add("create " + r.repoUrl());
      Path bare = bareRepo(r.repoUrl());
      git(root, "init", "-q", "--bare", "-b", r.defaultBranch(), bare.toString());
      Path work = Files.createTempDirectory(root, "work");
      git(work, "init", "-q", "-b", r.defaultBranch());
      copy(r.sourceDir(), work);
      return commitAndPush(work, bare, r.defaultBranch(), r.commit());
    }

    @Override
    public Published commitToBranch(BranchCommit r) throws IOException {
      calls.add("branch " + r.repoUrl() + " " + r.branch());
      Path bare = bareRepo(r.repoUrl());
      Path work = Files.createTempDirectory(root, "work");
      git(root, "clone", "-q", "-b", r.baseBranch(), bare.toString(), work.toString());
      if (!r.branch().equals(r.baseBranch())) {
        git(work, "checkout", "-q", "-b", r.branch());
      }
      copy(r.overlayDir(), work);
      return commitAndPush(work, bare, r.branch(), r.commit());
    }

    private Published commitAndPush(Path work, Path bare, String branch, CommitInfo c) throws IOException {
      git(work, "add", "-A");
      git(work, "-c", "user.name=" + c.authorName(), "-c", "user.email=" + c.authorEmail(), "commit", "-q", "-m", c.message());
      git(work, "push", "-q", bare.toString(), "HEAD:refs/heads/" + branch);
      String hash = git(work, "rev-parse", "HEAD").strip();
      return new Published(bare.toUri().toString(), bare.toUri() + "#" + branch, hash);
    }

    static void copy(Path from, Path to) throws IOException {
      try (Stream<Path> s = Files.walk(from)) {
        for (Path p : s.toList()) {
          Path dest = to.resolve(from.relativize(p).toString());
          if (Files.isDirectory(p)) {
            Files.createDirectories(dest);
          } else {
            Files.copy(p, dest, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
          }
        }
      }
    }

    static String git(Path dir, String... args) throws IOException {
      List<String> cmd = new ArrayList<>();
      cmd.add("git");
      cmd.addAll(List.of(args));
      ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
      // Isolate from the machine's git configuration.
      pb.environment().put("GIT_CONFIG_GLOBAL", "/dev/null");
      pb.environment().put("GIT_CONFIG_NOSYSTEM", "1");
      pb.environment().put("HOME", dir.toString());
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes());
      try {
        if (p.waitFor() != 0) {
          throw new IOException("git " + String.join(" ", args) + " failed: " + out);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IOException(e);
      }
      return out;
    }
  }

  /** Waits (bounded) for the completion event and returns all events. */
  static List<TaskEvent> awaitCompletion(ScaffolderService service, String taskId) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    long after = -1;
    List<TaskEvent> all = new ArrayList<>();
    while (System.nanoTime() < deadline) {
      for (TaskEvent e : service.awaitEvents(taskId, after, Duration.ofMillis(500))) {
        if (e.id() > after) {
          all.add(e);
          after = e.id();
        }
        if (e.isCompletion()) {
          return service.events(taskId, -1L);
        }
      }
    }
    fail("task " + taskId + " did not complete; events: " + all);
    return all;
  }

  /** Waits (bounded) for a log event whose message contains {@code text}. */
  static void awaitLog(ScaffolderService service, String taskId, String text) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    long after = -1;
    while (System.nanoTime() < deadline) {
      for (TaskEvent e : service.awaitEvents(taskId, after, Duration.ofMillis(500))) {
        after = Math.max(after, e.id());
        if (e.body().path("message").asText().contains(text)) {
          return;
        }
      }
    }
    fail("no log line containing '" + text + "' in task " + taskId);
  }

  static TaskEvent completion(List<TaskEvent> events) {
    List<TaskEvent> c = events.stream().filter(TaskEvent::isCompletion).toList();
    assertEquals(1, c.size(), "exactly one completion event");
    return c.get(0);
  }

  static ObjectNode template(String name, Path dir, String specJson) throws IOException {
    ObjectNode t = (ObjectNode) json("""
        {"apiVersion":"scaffolder.backstage.io/v1beta3","kind":"Template",
         "metadata":{"name":"%s","namespace":"default","title":"T %s","annotations":{}},
         "spec":%s}""".formatted(name, name, specJson));
    Files.createDirectories(dir);
    ((ObjectNode) t.at("/metadata/annotations")).put("backstage.io/managed-by-location",
        "file:" + dir.resolve("template.yaml"));
    return t;
  }
}
