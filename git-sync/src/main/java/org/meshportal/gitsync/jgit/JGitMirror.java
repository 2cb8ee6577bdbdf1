package org.meshportal.gitsync.jgit;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.diff.RenameDetector;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.NullProgressMonitor;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.RefUpdate;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.lib.StoredConfig;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.FetchConnection;
import org.eclipse.jgit.transport.PackLock;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.TagOpt;
import org.eclipse.jgit.transport.Transport;
import org.eclipse.jgit.transport.URIish;
import org.eclipse.jgit.treewalk.TreeWalk;
import org.eclipse.jgit.treewalk.filter.TreeFilter;
import org.meshportal.gitsync.ChangeKind;
import org.meshportal.gitsync.CommitReader;
import org.meshportal.gitsync.FileChange;
import org.meshportal.gitsync.GitMirror;
import org.meshportal.gitsync.GitSyncException;
import org.meshportal.gitsync.GitSyncException.Reason;
import org.meshportal.gitsync.MirrorSpec;

/**
 * A bare repository holding exactly one branch of one remote. A fetch opens one connection, reads
 * the advertised heads, and when the branch moved receives its new objects on that connection and
 * points the local branch at it (forced, so rewrites come through); no tags.
 */
final class JGitMirror implements GitMirror {

  static final int TIMEOUT_SECONDS = 60;
  /** Asks the remote to advertise its heads only (with protocol v2; v0 advertises everything). */
  private static final RefSpec ALL_HEADS = new RefSpec("+refs/heads/*:refs/heads/*");

  private final MirrorSpec spec;
  private final Repository repo;
  private final RemoteAuth auth;
  private final String localRef;

  private JGitMirror(MirrorSpec spec, Repository repo, RemoteAuth auth) {
    this.spec = spec;
    this.repo = repo;
    this.auth = auth;
    this.localRef = Constants.R_HEADS + spec.branch();
  }

  static JGitMirror open(Path gitDir, MirrorSpec spec) {
    try {
      Files.createDirectories(gitDir);
      Repository repo = new FileRepositoryBuilder().setGitDir(gitDir.toFile()).setBare().build();
      if (!repo.getObjectDatabase().exists()) {
        repo.create(true);
      }
      // A redirect could lead an allowed host's fetch to a host nobody allowed; JGit cannot have
      // each hop checked, so mirrors follow none (the remote's final URL must be configured).
      StoredConfig config = repo.getConfig();
      if (!"false".equals(config.getString("http", null, "followRedirects"))) {
        config.setString("http", null, "followRedirects", "false");
        config.save();
      }
      return new JGitMirror(spec, repo, RemoteAuth.of(spec, gitDir));
    } catch (IOException | IllegalStateException e) {
      throw new GitSyncException(
          Reason.IO, "cannot open mirror " + spec.id() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public MirrorSpec spec() {
    return spec;
  }

  @Override
  public Optional<String> fetch() {
    Optional<String> head;
    try (Transport transport = Transport.open(repo, new URIish(spec.url()))) {
      auth.configure(transport);
      transport.setTimeout(TIMEOUT_SECONDS);
      transport.setTagOpt(TagOpt.NO_TAGS);
      // One connection: its advertisement of the heads tells an empty repository from a missing
      // branch and lets an unchanged branch stop here; otherwise the same connection negotiates and
      // receives the pack (a second one would open the remote and advertise its refs again).
      try (FetchConnection connection = transport.openFetch(List.of(ALL_HEADS))) {
        head = fetchOn(connection);
      }
    } catch (URISyntaxException | IOException | RuntimeException e) {
      if (e instanceof GitSyncException gse) {
        throw gse;
      }
      throw RemoteErrors.classify(e, spec);
    }
    try {
      // as JGit's own fetch does: once small packs pile up, repack in the background
      repo.autoGC(NullProgressMonitor.INSTANCE);
    } catch (RuntimeException e) {
      // a failed housekeeping run leaves more packs behind, nothing else
    }
    return head;
  }

  private Optional<String> fetchOn(FetchConnection connection) throws IOException {
    Map<String, Ref> advertised = connection.getRefsMap();
    if (advertised.keySet().stream().noneMatch(name -> name.startsWith(Constants.R_HEADS))) {
      return Optional.empty();
    }
    Ref remote = advertised.get(localRef);
    if (remote == null || remote.getObjectId() == null) {
      throw new GitSyncException(Reason.BRANCH_NOT_FOUND,
          "branch '" + spec.branch() + "' not found at " + spec.redactedUrl());
    }
    ObjectId advertisedId = remote.getObjectId();
    Ref local = repo.exactRef(localRef);
    if (local != null && advertisedId.equals(local.getObjectId())) {
      return Optional.of(advertisedId.name());
    }
    try {
      if (!repo.getObjectDatabase().has(advertisedId)) {
        // the local refs are offered as haves, so only the new objects come
        connection.fetch(NullProgressMonitor.INSTANCE, List.of(remote), Set.of());
      }
      RefUpdate update = repo.updateRef(localRef);
      update.setNewObjectId(advertisedId);
      update.setForceUpdate(true); // rewritten history comes through
      RefUpdate.Result result = update.update();
      switch (result) {
        case NEW, FORCED, FAST_FORWARD, NO_CHANGE -> { }
        default -> throw new IOException("cannot update " + localRef + " of mirror " + spec.id() + ": " + result);
      }
      return Optional.of(advertisedId.name());
    } finally {
      // the received pack is kept (.keep) until a ref points at it, so a concurrent gc cannot drop
      // it; released in any case, or a failed update would leave the .keep behind for good
      for (PackLock lock : connection.getPackLocks()) {
        lock.unlock();
      }
    }
  }

  @Override
  public boolean hasCommit(String commit) {
    try {
      return ObjectId.isId(commit) && repo.getObjectDatabase().has(ObjectId.fromString(commit));
    } catch (IOException e) {
      throw new GitSyncException(Reason.IO, "cannot read mirror " + spec.id(), e);
    }
  }

  @Override
  public boolean isAncestor(String ancestor, String descendant) {
    if (!hasCommit(ancestor) || !hasCommit(descendant)) {
      return false;
    }
    try (RevWalk walk = new RevWalk(repo)) {
      RevCommit a = walk.parseCommit(ObjectId.fromString(ancestor));
      RevCommit d = walk.parseCommit(ObjectId.fromString(descendant));
      return walk.isMergedInto(a, d);
    } catch (IOException e) {
      throw new GitSyncException(Reason.IO, "cannot walk history of mirror " + spec.id(), e);
    }
  }

  @Override
  public Diff diff(String fromCommit, String toCommit) {
    try (CountingObjectReader reader = new CountingObjectReader(repo.newObjectReader());
        RevWalk walk = new RevWalk(reader);
        TreeWalk treeWalk = new TreeWalk(reader)) {
      treeWalk.setRecursive(true);
      treeWalk.addTree(walk.parseCommit(ObjectId.fromString(fromCommit)).getTree());
      treeWalk.addTree(walk.parseCommit(ObjectId.fromString(toCommit)).getTree());
      // ANY_DIFF skips subtrees whose ids are equal, so untouched directories are never opened.
      treeWalk.setFilter(TreeFilter.ANY_DIFF);
      RenameDetector renames = new RenameDetector(reader, repo.getConfig().get(
          org.eclipse.jgit.diff.DiffConfig.KEY));
      renames.addAll(DiffEntry.scan(treeWalk));
      List<FileChange> changes = new ArrayList<>();
      for (DiffEntry entry : renames.compute()) {
        toFileChanges(entry, changes);
      }
      changes.sort(Comparator.comparing(FileChange::path));
      return new Diff(changes, reader.opened());
    } catch (IOException | IllegalArgumentException e) {
      throw new GitSyncException(Reason.NOT_FOUND,
          "cannot diff " + fromCommit + ".." + toCommit + " in mirror " + spec.id(), e);
    }
  }

  private static void toFileChanges(DiffEntry e, List<FileChange> out) {
    boolean oldFile = JGitCommitReader.isFile(e.getOldMode());
    boolean newFile = JGitCommitReader.isFile(e.getNewMode());
    switch (e.getChangeType()) {
      case ADD, COPY -> {
        if (newFile) {
          out.add(FileChange.added(e.getNewPath()));
        }
      }
      case DELETE -> {
        if (oldFile) {
          out.add(FileChange.deleted(e.getOldPath()));
        }
      }
      case MODIFY -> {
        // A file that became a submodule (or back) is a deletion or an addition for us.
        if (oldFile && newFile) {
          out.add(FileChange.modified(e.getNewPath()));
        } else if (oldFile) {
          out.add(FileChange.deleted(e.getOldPath()));
        } else if (newFile) {
          out.add(FileChange.added(e.getNewPath()));
        }
      }
      case RENAME -> out.add(new FileChange(ChangeKind.RENAMED, e.getOldPath(), e.getNewPath()));
    }
  }

  @Override
  public CommitReader reader(String commit) {
    return JGitCommitReader.open(repo, commit);
  }

  @Override
  public void close() {
    repo.close();
  }
}
