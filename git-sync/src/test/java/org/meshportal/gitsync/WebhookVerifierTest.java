package org.meshportal.gitsync;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WebhookVerifierTest {

  static final String SECRET = "hook-secret";
  static final byte[] GITHUB_PUSH = """
      {"ref":"refs/heads/main","after":"abc123",
       "repository":{"clone_url":"https://github.com/org/repo.git",
                     "html_url":"https://github.com/org/repo",
                     "ssh_url":"git@github.com:org/repo.git"}}
      """.getBytes(StandardCharsets.UTF_8);

  static String hex(byte[] body, String secret) {
    return HexFormat.of().formatHex(WebhookVerifier.hmacSha256(secret, body));
  }

  @Test
  void github_signature_is_checked_against_the_raw_body() {
    Map<String, String> headers = Map.of("x-hub-signature-256",
        "sha256=" + hex(GITHUB_PUSH, SECRET), "X-GitHub-Event", "push");

    assertTrue(WebhookVerifier.verify(WebhookKind.GITHUB, headers, GITHUB_PUSH, SECRET));
    assertFalse(WebhookVerifier.verify(WebhookKind.GITHUB, headers, GITHUB_PUSH, "other"));
    byte[] tampered = GITHUB_PUSH.clone();
    tampered[5] = 'X';
    assertFalse(WebhookVerifier.verify(WebhookKind.GITHUB, headers, tampered, SECRET));
    assertFalse(WebhookVerifier.verify(WebhookKind.GITHUB, Map.of(), GITHUB_PUSH, SECRET));
    assertFalse(WebhookVerifier.verify(WebhookKind.GITHUB, headers, GITHUB_PUSH, ""),
        "an empty secret verifies nothing");
  }

  @Test
  void gitlab_token_and_gitea_signature_are_checked() {
    assertTrue(WebhookVerifier.verify(WebhookKind.GITLAB, Map.of("X-Gitlab-Token", SECRET),
        GITHUB_PUSH, SECRET));
    assertFalse(WebhookVerifier.verify(WebhookKind.GITLAB, Map.of("X-Gitlab-Token", "nope"),
        GITHUB_PUSH, SECRET));
    assertTrue(WebhookVerifier.verify(WebhookKind.GITEA,
        Map.of("X-Gitea-Signature", hex(GITHUB_PUSH, SECRET)), GITHUB_PUSH, SECRET));
    assertFalse(WebhookVerifier.verify(WebhookKind.GITEA,
        Map.of("X-Gitea-Signature", hex(GITHUB_PUSH, "other")), GITHUB_PUSH, SECRET));
  }

  @Test
  void the_kind_is_detected_from_headers_gitea_first() {
    assertEquals(Optional.of(WebhookKind.GITEA), WebhookKind.detect(
        Map.of("X-GitHub-Event", "push", "X-Gitea-Event", "push")));
    assertEquals(Optional.of(WebhookKind.GITLAB),
        WebhookKind.detect(Map.of("x-gitlab-event", "Push Hook")));
    assertEquals(Optional.of(WebhookKind.GITHUB),
        WebhookKind.detect(Map.of("X-GitHub-Event", "ping")));
    assertEquals(Optional.empty(), WebhookKind.detect(Map.of()));
  }

  @Test
  void a_push_names_the_repository_urls_and_branch() {
    PushEvent push = WebhookVerifier.parsePush(WebhookKind.GITHUB,
        Map.of("X-GitHub-Event", "push"), GITHUB_PUSH).orElseThrow();

    assertEquals("main", push.branch());
    assertEquals("abc123", push.afterCommit());
    assertEquals(List.of("https://github.com/org/repo.git", "https://github.com/org/repo",
        "git@github.com:org/repo.git"), push.repositoryUrls());
  }

  @Test
  void gitlab_push_payload_reads_the_project_urls() {
    byte[] body = """
        {"object_kind":"push","ref":"refs/heads/dev","checkout_sha":"def",
         "project":{"git_http_url":"https://gitlab.com/g/r.git","web_url":"https://gitlab.com/g/r"}}
        """.getBytes(StandardCharsets.UTF_8);

    PushEvent push = WebhookVerifier.parsePush(WebhookKind.GITLAB,
        Map.of("X-Gitlab-Event", "Push Hook"), body).orElseThrow();

    assertEquals("dev", push.branch());
    assertEquals("def", push.afterCommit());
    assertTrue(push.repositoryUrls().contains("https://gitlab.com/g/r.git"));
  }

  @Test
  void other_events_and_tag_pushes_are_not_branch_pushes_and_bad_json_is_refused() {
    assertTrue(WebhookVerifier.parsePush(WebhookKind.GITHUB, Map.of("X-GitHub-Event", "ping"),
        GITHUB_PUSH).isEmpty());
    byte[] tag = """
        {"ref":"refs/tags/v1","repository":{"clone_url":"https://github.com/org/repo.git"}}
        """.getBytes(StandardCharsets.UTF_8);
    assertTrue(WebhookVerifier.parsePush(WebhookKind.GITHUB, Map.of(), tag).isEmpty());
    assertThrows(IllegalArgumentException.class, () -> WebhookVerifier.parsePush(
        WebhookKind.GITEA, Map.of(), "{not json".getBytes(StandardCharsets.UTF_8)));
  }
}
