package org.meshportal.templates;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.meshportal.templates.TestFixtures.awaitCompletion;
import static org.meshportal.templates.TestFixtures.completion;
import static org.meshportal.templates.TestFixtures.json;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshportal.model.errors.ConflictException;
import org.meshportal.model.errors.NotFoundException;
import org.meshportal.templates.action.ActionRegistry;
import org.meshportal.templates.builtin.MeshRepoSettings;

class MeshActionsTest {
  @TempDir Path tmp;

  private static final String SPEC = """
      {"type":"mesh","steps":[
        {"id":"account","action":"mesh:account:create","input":{"name":"${{ parameters.name }}",
           "parentPath":"root:orgs:acme","displayName":"Team ${{ parameters.name }}","creator":"ada@example.com"}},
        {"id":"bind","action":"mesh:apibinding:create","input":{"workspacePath":"${{ steps.account.output.workspacePath }}",
           "exportPath":"root:providers:dbaas","exportName":"postgres.dbaas.example.io"}}],
       "output":{"branch":"${{ steps.bind.output.branch }}","file":"${{ steps.account.output.filePath }}"}}""";

  /** A mesh repo laid out like the generated ones (test-fixtures): kcp/root/orgs/<org>/account-<name>.yaml. */
  private TestFixtures.CliGitPublisher meshRepo() throws Exception {
    Path gitRoot = Files.createDirectories(tmp.resolve("git"));
    Path seed = Files.createDirectories(tmp.resolve("seed/kcp/root/orgs/acme"));
    Files.writeString(seed.resolve("../account-acme.yaml"),
        "apiVersion: core.platform-mesh.io/v1alpha1\nkind: Account\nmetadata:\n  name: acme\nspec:\n  type: org\n  displayName: Acme Inc.\n");
    TestFixtures.CliGitPublisher git = new TestFixtures.CliGitPublisher(gitRoot);
    git.createRepository(new GitPublisher.NewRepository("mesh", tmp.resolve("seed"), "main", null,
        new GitPublisher.CommitInfo("seed", "t", "t@example.com")));
    return git;
  }

  private String show(TestFixtures.CliGitPublisher git, String rev) throws Exception {
    return TestFixtures.CliGitPublisher.git(tmp, "--git-dir=" + git.bareRepo("mesh"), "show", rev);
  }

  private ScaffolderService service(TestFixtures.CliGitPublisher git, ExecutorService exec, MeshRepoSettings settings)
      throws Exception {
    TestFixtures.MemoryCatalog catalog = new TestFixtures.MemoryCatalog();
    catalog.add(TestFixtures.template("mesh-account", tmp.resolve("tpl"), SPEC));
    ScaffolderService s = ScaffolderService.builder().dataDir(tmp.resolve("data")).catalog(catalog).publisher(git)
        .executor(exec).mesh(settings).build();
    s.start();
    return s;
  }

  @Test
  void account_and_binding_manifests_land_in_workspace_folders_on_main() throws Exception {
    var git = meshRepo();
    try (ExecutorService exec = Executors.newVirtualThreadPerTaskExecutor();
         ScaffolderService s = service(git, exec, new MeshRepoSettings("mesh", "kcp", "main", null))) {
      String id = s.createTask("template:default/mesh-account", json("{\"name\":\"team-x\"}"), null, null).get("id").asText();
      TaskEvent done = completion(awaitCompletion(s, id));
      assertEquals("Run completed with status: completed", done.body().get("message").asText(), done.toString());
      assertEquals("main", done.body().at("/output/branch").asText());
      assertEquals("kcp/root/orgs/acme/account-team-x.yaml", done.body().at("/output/file").asText());

      String account = show(git, "main:kcp/root/orgs/acme/account-team-x.yaml");
      assertTrue(account.contains("apiVersion: core.platform-mesh.io/v1alpha1"), account);
      assertTrue(account.contains("kind: Account") && account.contains("name: team-x"), account);
      assertTrue(account.contains("type: account") && account.contains("displayName: Team team-x"), account);
      String binding = show(git, "main:kcp/root/orgs/acme/team-x/apibinding-postgres.dbaas.example.io.yaml");
      assertTrue(binding.contains("apiVersion: apis.kcp.io/v1alpha2") && binding.contains("kind: APIBinding"), binding);
      assertTrue(binding.contains("path: root:providers:dbaas") && binding.contains("name: postgres.dbaas.example.io"), binding);
      assertTrue(show(git, "main:kcp/root/orgs/account-acme.yaml").contains("Acme Inc."), "existing files kept");
    }
  }

  @Test
  void with_a_branch_prefix_changes_go_to_a_review_branch_and_bad_paths_fail() throws Exception {
    var git = meshRepo();
    try (ExecutorService exec = Executors.newVirtualThreadPerTaskExecutor();
         ScaffolderService s = service(git, exec, new MeshRepoSettings("mesh", null, null, "scaffolder/"))) {
      String id = s.createTask("template:default/mesh-account", json("{\"name\":\"team-y\"}"), null, null).get("id").asText();
      TaskEvent done = completion(awaitCompletion(s, id));
      assertEquals("scaffolder/apibinding-postgres.dbaas.example.io", done.body().at("/output/branch").asText(), done.toString());
      assertTrue(show(git, "scaffolder/account-team-y:kcp/root/orgs/acme/account-team-y.yaml").contains("kind: Account"));
      assertThrows(java.io.IOException.class, () -> show(git, "main:kcp/root/orgs/acme/account-team-y.yaml"));

      String bad = s.createTask("template:default/mesh-account", json("{\"name\":\"../../etc\"}"), null, null).get("id").asText();
      String msg = completion(awaitCompletion(s, bad)).body().at("/error/message").asText();
      assertTrue(msg.startsWith("Invalid input passed to action mesh:account:create"), msg);
    }
  }

  @Test
  void registry_rejects_duplicates_and_unknown_ids() {
    var a = new TestActions.Count();
    assertThrows(ConflictException.class, () -> new ActionRegistry(List.of(a, new TestActions.Count())));
    ActionRegistry registry = new ActionRegistry(List.of(a));
    assertEquals(a, registry.get("test:count"));
    assertThrows(NotFoundException.class, () -> registry.get("nope"));
  }
}
