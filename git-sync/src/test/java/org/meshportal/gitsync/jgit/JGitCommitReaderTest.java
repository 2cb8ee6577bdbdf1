package org.meshportal.gitsync.jgit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.meshportal.gitsync.GitSyncException;

class JGitCommitReaderTest {

  @TempDir Path tmp;

  @Test
  void reading_many_paths_at_once_gives_what_reading_each_gives() throws Exception {
    try (Repository repo = new FileRepositoryBuilder().setGitDir(tmp.resolve("r.git").toFile()).setBare().build()) {
      repo.create(true);
      Map<String, Object[]> entries = new LinkedHashMap<>();
      entries.put("catalog-info.yaml", new Object[] {FileMode.REGULAR_FILE, "root"});
      entries.put("apps/a/catalog-info.yaml", new Object[] {FileMode.REGULAR_FILE, "a"});
      entries.put("apps/b/run.sh", new Object[] {FileMode.EXECUTABLE_FILE, "#!/bin/sh"});
      entries.put("apps/link.yaml", new Object[] {FileMode.SYMLINK, "a/catalog-info.yaml"});
      entries.put("apps/linked-dir", new Object[] {FileMode.SYMLINK, "a"});
      entries.put("vendor/sub", new Object[] {FileMode.GITLINK, null});
      entries.put("z/deep/er/file.yaml", new Object[] {FileMode.REGULAR_FILE, "deep"});
      String commit = commit(repo, entries);

      List<String> asked = new ArrayList<>(List.of("catalog-info.yaml", "/apps/a/catalog-info.yaml",
          "./apps/b/run.sh", "apps/link.yaml", "apps/linked-dir/catalog-info.yaml", "vendor/sub", "vendor",
          "apps", "apps/missing.yaml", "z/deep/er/file.yaml", "catalog-info.yaml", "", "nope/at/all"));
      try (JGitCommitReader reader = JGitCommitReader.open(repo, commit)) {
        Map<String, byte[]> batch = reader.readAll(asked);
        Map<String, byte[]> single = new LinkedHashMap<>();
        for (String path : asked) {
          Optional<byte[]> bytes = reader.read(path);
          bytes.ifPresent(b -> single.put(path, b));
        }
        assertEquals(List.of("catalog-info.yaml", "/apps/a/catalog-info.yaml", "./apps/b/run.sh", "apps/link.yaml",
            "z/deep/er/file.yaml"), List.copyOf(batch.keySet()), "asked order, missing paths, folders and submodules left out");
        assertEquals(single.keySet(), batch.keySet());
        single.forEach((path, bytes) -> assertArrayEquals(bytes, batch.get(path), path));
        assertEquals("a/catalog-info.yaml", new String(batch.get("apps/link.yaml"), StandardCharsets.UTF_8),
            "a symlink reads as its target path, as read() gives it");
        assertEquals(Map.of(), reader.readAll(List.of()));
        assertThrows(GitSyncException.class, () -> reader.readAll(List.of("a/../../etc/passwd")));
      }
    }
  }

  private static String commit(Repository repo, Map<String, Object[]> entries) throws Exception {
    try (ObjectInserter ins = repo.newObjectInserter()) {
      DirCache index = DirCache.newInCore();
      DirCacheBuilder b = index.builder();
      for (Map.Entry<String, Object[]> f : entries.entrySet()) {
        DirCacheEntry e = new DirCacheEntry(f.getKey());
        FileMode mode = (FileMode) f.getValue()[0];
        e.setFileMode(mode);
        e.setObjectId(mode == FileMode.GITLINK
            ? ObjectId.fromString("0123456789abcdef0123456789abcdef01234567")
            : ins.insert(Constants.OBJ_BLOB, ((String) f.getValue()[1]).getBytes(StandardCharsets.UTF_8)));
        b.add(e);
      }
      b.finish();
      CommitBuilder c = new CommitBuilder();
      c.setTreeId(index.writeTree(ins));
      PersonIdent who = new PersonIdent("Test", "test@example.org", 1_700_000_000_000L, 0);
      c.setAuthor(who);
      c.setCommitter(who);
      c.setMessage("entries");
      ObjectId id = ins.insert(c);
      ins.flush();
      return id.name();
    }
  }
}
