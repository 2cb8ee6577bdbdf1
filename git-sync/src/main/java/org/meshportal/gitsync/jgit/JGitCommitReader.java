package org.meshportal.gitsync.jgit;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jgit.lib.FileMode;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.ObjectReader;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevTree;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.PathFilterGroup;
import org.meshportal.gitsync.CommitReader;
import org.meshportal.gitsync.GitSyncException;
import org.meshportal.gitsync.GitSyncException.Reason;

/** Reads blobs and lists paths of one commit's tree, from the object database only. */
final class JGitCommitReader implements CommitReader {

  private final ObjectReader reader;
  private final ObjectId commitId;
  private final RevTree tree;

  private JGitCommitReader(ObjectReader reader, ObjectId commitId, RevTree tree) {
    this.reader = reader;
    this.commitId = commitId;
    this.tree = tree;
  }

  static JGitCommitReader open(Repository repo, String commit) {
    ObjectReader reader = repo.newObjectReader();
    boolean ok = false;
    try (RevWalk walk = new RevWalk(reader)) {
      ObjectId id = ObjectId.fromString(commit);
      RevTree tree = walk.parseCommit(id).getTree();
      ok = true;
      return new JGitCommitReader(reader, id, tree);
    } catch (IllegalArgumentException | IOException e) {
      throw new GitSyncException(Reason.NOT_FOUND, "commit " + commit + " is not in the mirror", e);
    } finally {
      if (!ok) {
        reader.close();
      }
    }
  }

  @Override
  public String commit() {
    return commitId.name();
  }

  @Override
  public Optional<byte[]> read(String path) {
    String clean = normalize(path);
    if (clean.isEmpty()) {
      return Optional.empty();
    }
    try (TreeWalk walk = TreeWalk.forPath(reader, clean, tree)) {
      if (walk == null || !isFile(walk.getFileMode(0))) {
        return Optional.empty();
      }
      return Optional.of(reader.open(walk.getObjectId(0)).getBytes());
    } catch (IOException e) {
      throw new GitSyncException(Reason.IO, "cannot read " + clean + " at " + commit(), e);
    }
  }

  /**
   * One recursive walk limited to the wanted paths (the filter skips subtrees that hold none of
   * them) instead of a {@link TreeWalk#forPath} per file, which parses every tree on the way again.
   */
  @Override
  public Map<String, byte[]> readAll(Collection<String> paths) {
    Map<String, List<String>> asked = new HashMap<>();
    for (String path : paths) {
      String clean = normalize(path);
      if (!clean.isEmpty()) {
        asked.computeIfAbsent(clean, c -> new ArrayList<>(1)).add(path);
      }
    }
    Map<String, byte[]> found = new HashMap<>();
    if (!asked.isEmpty()) {
      try (TreeWalk walk = new TreeWalk(reader)) {
        walk.addTree(tree);
        walk.setRecursive(true);
        walk.setFilter(PathFilterGroup.createFromStrings(asked.keySet()));
        while (walk.next()) {
          String path = walk.getPathString();
          // the filter also lets through entries below a wanted path (a wanted "a" that is a folder)
          if (asked.containsKey(path) && isFile(walk.getFileMode(0))) {
            found.put(path, reader.open(walk.getObjectId(0)).getBytes());
          }
        }
      } catch (IOException e) {
        throw new GitSyncException(Reason.IO, "cannot read " + asked.size() + " files at " + commit(), e);
      }
    }
    Map<String, byte[]> out = new LinkedHashMap<>();
    for (String path : paths) {
      String clean = normalize(path);
      byte[] bytes = found.get(clean);
      if (bytes != null) {
        out.put(path, bytes);
      }
    }
    return out;
  }

  @Override
  public List<String> list(String glob) {
    String pattern = normalize(glob);
    PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + pattern);
    // "**/x" should also match "x" at the root, as in Backstage's and git's globs.
    PathMatcher rootMatcher = pattern.startsWith("**/")
        ? FileSystems.getDefault().getPathMatcher("glob:" + pattern.substring(3))
        : null;
    List<String> paths = new ArrayList<>();
    try (TreeWalk walk = new TreeWalk(reader)) {
      walk.addTree(tree);
      walk.setRecursive(true);
      while (walk.next()) {
        if (!isFile(walk.getFileMode(0))) {
          continue;
        }
        String path = walk.getPathString();
        Path p = Path.of(path);
        if (matcher.matches(p) || (rootMatcher != null && rootMatcher.matches(p))) {
          paths.add(path);
        }
      }
    } catch (IOException e) {
      throw new GitSyncException(Reason.IO, "cannot list files at " + commit(), e);
    }
    paths.sort(null);
    return paths;
  }

  @Override
  public void close() {
    reader.close();
  }

  static boolean isFile(FileMode mode) {
    return mode == FileMode.REGULAR_FILE || mode == FileMode.EXECUTABLE_FILE
        || mode == FileMode.SYMLINK;
  }

  /** Repository-relative path without leading "/" or "./"; rejects escapes with "..". */
  static String normalize(String path) {
    String p = path.replace('\\', '/');
    while (p.startsWith("/") || p.startsWith("./")) {
      p = p.startsWith("/") ? p.substring(1) : p.substring(2);
    }
    for (String segment : p.split("/")) {
      if (segment.equals("..")) {
        throw new GitSyncException(Reason.NOT_FOUND, "path '" + path + "' leaves the repository");
      }
    }
    return p;
  }
}
