package org.meshportal.gitsync.jgit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.diff.DiffEntry;
import org.eclipse.jgit.diff.RenameDetector;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.revwalk.RevWalk;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.TagOpt;
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
 * A bare repository holding exactly one branch of one remote. Fetches use an explicit refspec
 * ({@code +refs/heads/b:refs/heads/b}, forced so rewrites come through) and no tags.
 */
final class JGitMirror implements GitMirror {

  private static final int TIMEOUT_SECONDS = 60;

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
    try (Git git = Git.wrap(repo)) {
      // Ask for the heads first: it is one cheap round trip, tells an empty repository from a
      // missing branch, and lets an unchanged branch skip the fetch entirely.
      Collection<Ref> heads = auth.configure(git.lsRemote().setRemote(spec.url()).setHeads(true))
          .setTimeout(TIMEOUT_SECONDS)
          .call();
      if (heads.isEmpty()) {
        return Optional.empty();
      }
      Ref remote = heads.stream().filter(r -> r.getName().equals(localRef)).findFirst()
          .orElseThrow(() -> new GitSyncException(Reason.BRANCH_NOT_FOUND,
              "branch '" + spec.branch() + "' not found at " + spec.redactedUrl()));
      ObjectId advertised = remote.getObjectId();
      Ref local = repo.exactRef(localRef);
      if (local != null && advertised.equals(local.getObjectId())) {
        return Optional.of(advertised.name());
      }
      auth.configure(git.fetch().setRemote(spec.url()))
          .setRefSpecs(new RefSpec("+" + localRef + ":" + localRef))
          .setTagOpt(TagOpt.NO_TAGS)
          .setRemoveDeletedRefs(false)
          .setTimeout(TIMEOUT_SECONDS)
          .call();
      Ref updated = repo.exactRef(localRef);
      if (updated == null) {
        throw new GitSyncException(Reason.BRANCH_NOT_FOUND,
            "branch '" + spec.branch() + "' not found at " + spec.redactedUrl());
      }
      return Optional.of(updated.getObjectId().name());
    } catch (GitAPIException | IOException | RuntimeException e) {
      if (e instanceof GitSyncException gse) {
        throw gse;
      }
      throw RemoteErrors.classify(e, spec);
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
