package org.meshportal.gitsync.jgit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.jgit.dircache.DirCache;
import org.eclipse.jgit.dircache.DirCacheBuilder;
import org.eclipse.jgit.dircache.DirCacheEntry;
import org.eclipse.jgit.lib.CommitBuilder;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectInserter;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * A real bare "remote" repository for tests, written straight to the object database (no work
 * tree, no user config), with a fixed author and clock so runs are reproducible. Public so tests
 * in other packages need no JGit import.
 */
public final class Upstream implements AutoCloseable {

  private static final PersonIdent AUTHOR =
      new PersonIdent("Test", "test@example.org", 1_700_000_000_000L, 0);

  private final Path dir;
  private final Repository repo;
  private final String branch;
  private final TreeMap<String, byte[]> files = new TreeMap<>();
  private int tick;

  private Upstream(Path dir, Repository repo, String branch) {
    this.dir = dir;
    this.repo = repo;
    this.branch = branch;
  }

  /** Creates an empty bare repository whose commits go to {@code branch}. */
  public static Upstream create(Path dir, String branch) {
    try {
      Repository repo = new FileRepositoryBuilder().setGitDir(dir.toFile()).setBare().build();
      repo.create(true);
      repo.updateRef(Constants.HEAD).link(Constants.R_HEADS + branch);
      return new Upstream(dir, repo, branch);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public String url() {
    return dir.toUri().toString();
  }

  public Path dir() {
    return dir;
  }

  /** Commits on top of the branch: writes {@code writes}, then deletes {@code deletes}. */
  public String commit(Map<String, String> writes, String... deletes) {
    writes.forEach((p, c) -> files.put(p, c.getBytes(StandardCharsets.UTF_8)));
    for (String d : deletes) {
      if (files.remove(d) == null) {
        throw new IllegalArgumentException("no file " + d);
      }
    }
    return write(head());
  }

  public String rename(String from, String to) {
    byte[] content = files.remove(from);
    if (content == null) {
      throw new IllegalArgumentException("no file " + from);
    }
    files.put(to, content);
    return write(head());
  }

  /** Replaces the branch's history with a single new root commit holding only {@code content}. */
  public String rewriteHistory(Map<String, String> content) {
    files.clear();
    content.forEach((p, c) -> files.put(p, c.getBytes(StandardCharsets.UTF_8)));
    return write(null);
  }

  /** Copies the branch to another name (so the repository stays non-empty after a delete). */
  public void copyBranch(String name) {
    setRef(Constants.R_HEADS + name, ObjectId.fromString(head()));
  }

  public void deleteBranch() {
    try {
      RefUpdate u = repo.updateRef(Constants.R_HEADS + branch);
      u.setForceUpdate(true);
      RefUpdate.Result r = u.delete();
      if (r != RefUpdate.Result.FORCED) {
        throw new IllegalStateException("delete failed: " + r);
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  public String head() {
    try {
      Ref ref = repo.exactRef(Constants.R_HEADS + branch);
      return ref == null ? null : ref.getObjectId().name();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private String write(String parent) {
    try (ObjectInserter ins = repo.newObjectInserter()) {
      DirCache index = DirCache.newInCore();
      DirCacheBuilder b = index.builder();
      for (Map.Entry<String, byte[]> f : files.entrySet()) {
        DirCacheEntry e = new DirCacheEntry(f.getKey());
        e.setFileMode(FileMode.REGULAR_FILE);
        e.setObjectId(ins.insert(Constants.OBJ_BLOB, f.getValue()));
        b.add(e);
      }
      b.finish();
      CommitBuilder c = new CommitBuilder();
      c.setTreeId(index.writeTree(ins));
      if (parent != null) {
        c.setParentId(ObjectId.fromString(parent));
      }
      PersonIdent when = new PersonIdent(AUTHOR, AUTHOR.getWhenAsInstant().plusSeconds(tick++));
      c.setAuthor(when);
      c.setCommitter(when);
      c.setMessage("change " + tick);
      ObjectId id = ins.insert(c);
      ins.flush();
      setRef(Constants.R_HEADS + branch, id);
      return id.name();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private void setRef(String name, ObjectId id) {
    try {
      RefUpdate u = repo.updateRef(name);
      u.setNewObjectId(id);
      u.setForceUpdate(true);
      RefUpdate.Result r = u.update();
      if (r != RefUpdate.Result.NEW && r != RefUpdate.Result.FORCED
          && r != RefUpdate.Result.FAST_FORWARD && r != RefUpdate.Result.NO_CHANGE) {
        throw new IllegalStateException("ref update failed: " + r);
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void close() {
    repo.close();
  }
}
