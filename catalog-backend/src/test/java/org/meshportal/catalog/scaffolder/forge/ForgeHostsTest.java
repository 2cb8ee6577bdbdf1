package org.meshportal.catalog.scaffolder.forge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.meshportal.gitsync.GitCredentials;
import org.meshportal.gitsync.HostIntegration;
import org.meshportal.gitsync.HostKind;
import org.meshportal.gitsync.Integrations;
import org.meshportal.model.errors.InputException;
import org.meshportal.model.errors.NotAllowedException;

/** Which API a repoUrl leads to, and what owner/repo text may become part of an API path. */
class ForgeHostsTest {
  private final ForgeHosts hosts = new ForgeHosts(new Integrations(List.of(
      new HostIntegration(HostKind.GITHUB, "github.com", GitCredentials.token("gh-secret")),
      new HostIntegration(HostKind.GITHUB, "ghe.example", GitCredentials.token("ghe-secret")),
      new HostIntegration(HostKind.GITLAB, "gitlab.example", GitCredentials.token("gl-secret")),
      new HostIntegration(HostKind.GITHUB, "git.example", GitCredentials.token("git-secret")),
      new HostIntegration(HostKind.GITHUB, "anon.example", GitCredentials.NONE))),
      List.of(new ForgeHosts.Endpoint(HostKind.GITHUB, "github.com", null),
          new ForgeHosts.Endpoint(HostKind.GITHUB, "GHE.example", null),
          new ForgeHosts.Endpoint(HostKind.GITLAB, "gitlab.example", "https://gitlab.example/custom/api/v4"),
          new ForgeHosts.Endpoint(HostKind.GITHUB, "anon.example", null)));

  @Test
  void the_api_is_the_entrys_or_the_forges_usual_one() {
    assertEquals("https://api.github.com", hosts.api("a", HostKind.GITHUB, "github.com").baseUrl());
    assertEquals("https://ghe.example/api/v3", hosts.api("a", HostKind.GITHUB, "ghe.example").baseUrl());
    assertEquals("https://gitlab.example/custom/api/v4", hosts.api("a", HostKind.GITLAB, "gitlab.example").baseUrl());
    assertEquals("gl-secret", hosts.api("a", HostKind.GITLAB, "gitlab.example").token());
    assertFalse(hosts.api("a", HostKind.GITLAB, "gitlab.example").toString().contains("gl-secret"));
  }

  @Test
  void hosts_that_are_not_a_forge_of_that_kind_are_not_allowed() {
    for (String[] c : List.of(new String[] {"GITLAB", "github.com"}, new String[] {"GITHUB", "gitlab.example"},
        new String[] {"GITHUB", "git.example"}, new String[] {"GITHUB", "unknown.example"})) {
      NotAllowedException e = assertThrows(NotAllowedException.class,
          () -> hosts.api("publish:x", HostKind.valueOf(c[0]), c[1]), c[1]);
      assertTrue(e.getMessage().startsWith("publish:x to '" + c[1] + "' is not allowed"), e.getMessage());
    }
    InputException noToken = assertThrows(InputException.class, () -> hosts.api("publish:x", HostKind.GITHUB, "anon.example"));
    assertTrue(noToken.getMessage().contains("has no token"), noToken.getMessage());
  }

  @Test
  void repo_urls_become_only_plain_path_segments() {
    assertEquals(new ForgeHosts.Target("gitlab.example", "group/sub", "svc"),
        ForgeHosts.parse("a", "GitLab.example?owner=group%2Fsub&repo=svc"));
    for (String bad : List.of("github.com?owner=..&repo=x", "github.com?owner=a&repo=..%2F..%2Fuser",
        "github.com?owner=a%3Fx%3D1&repo=r", "github.com?owner=a&repo=r%23frag", "github.com?owner=a",
        "https://github.com/a/r", "github.com", "?owner=a&repo=r", "github.com?owner=a&repo=b%2Fc")) {
      assertThrows(InputException.class, () -> ForgeHosts.parse("a", bad), bad);
    }
  }
}
