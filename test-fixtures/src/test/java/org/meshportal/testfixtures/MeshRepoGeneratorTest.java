package org.meshportal.testfixtures;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MeshRepoGeneratorTest {
  @TempDir
  Path tmp;

  @Test
  void draws_match_cpython_random_for_a_string_seed() {
    // printed by CPython 3.11: r = random.Random("mesh-42"); r.random(), r.randint(0, 23),
    // r.choice(range(46)), r.sample(range(18), 7), r.sample(range(46), 3), r.random()
    PyRandom r = new PyRandom("mesh-42");
    assertEquals(0.06874916578054768, r.random());
    assertEquals(5, r.randint(0, 23));
    assertEquals(41, r.choice(range(46)));
    assertEquals(List.of(1, 15, 7, 9, 8, 3, 14), r.sample(range(18), 7));
    assertEquals(List.of(22, 43, 1), r.sample(range(46), 3));
    assertEquals(0.6545007500500004, r.random());
  }

  @Test
  void the_same_seed_writes_the_same_bytes_and_another_seed_does_not() throws IOException {
    MeshRepoGenerator.Result a = MeshRepoGenerator.write(tmp.resolve("a"), 7, 1, true);
    MeshRepoGenerator.write(tmp.resolve("b"), 7, 1, true);
    MeshRepoGenerator.write(tmp.resolve("c"), 8, 1, true);
    assertEquals(contents(tmp.resolve("a")), contents(tmp.resolve("b")));
    assertNotEquals(contents(tmp.resolve("a")), contents(tmp.resolve("c")));
    assertTrue(a.badFiles().contains("catalog/components/zz-empty/catalog-info.yaml"), a.badFiles().toString());
    assertTrue(a.orgs() >= 2 && a.accounts() > a.orgs() && a.apiExports() >= a.providers(), a.toString());
    assertTrue(Files.size(tmp.resolve("a/gen-manifest.json")) > 0);
  }

  @Test
  void long_names_are_cut_to_63_characters_with_a_hash_of_the_whole() {
    assertEquals("acme.team-a", MeshRepoGenerator.derivedAccountGroupName("root:orgs:acme:team-a"));
    assertEquals("pg_pg.example.io", MeshRepoGenerator.derivedApiName("pg", "pg.example.io"));
    String cut = MeshRepoGenerator.derivedApiName("some-provider-with-long-name",
        "a-very-long-export-name-that-goes-on.and-on.example-platform-mesh.io");
    assertTrue(cut.length() <= 63, cut);
    assertTrue(cut.startsWith("some-provider-with-long-name_a-very-long-export-name-th"), cut);
  }

  private static List<Integer> range(int n) {
    return java.util.stream.IntStream.range(0, n).boxed().toList();
  }

  private static Map<String, String> contents(Path root) throws IOException {
    Map<String, String> out = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        out.put(root.relativize(p).toString(), java.util.HexFormat.of().formatHex(
            java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(p))));
      }
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    return out;
  }
}
