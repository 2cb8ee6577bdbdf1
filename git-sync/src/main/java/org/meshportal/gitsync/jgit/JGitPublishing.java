package org.meshportal.gitsync.jgit;

import java.io.IOException;
import java.net.URI;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.UUID;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.PushCommand;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.PersonIdent;
import org.eclipse.jgit.lib.Ref;
import org.eclipse.jgit.revwalk.RevCommit;
import org.eclipse.jgit.transport.PushResult;
import org.eclipse.jgit.transport.RefSpec;
import org.eclipse.jgit.transport.RemoteRefUpdate;
import org.meshportal.gitsync.GitCredentials;
import org.meshportal.gitsync.GitPublishing;
import org.meshportal.gitsync.GitSyncException;
import org.meshportal.gitsync.GitSyncException.Reason;
import org.meshportal.gitsync.MirrorSpec;

/** {@link GitPublishing} with JGit: init or clone into a scratch directory, commit, push. */
public final class JGitPublishing implements GitPublishing {

  private final Path workDir;

  private JGitPublishing(Path workDir) {
    this.workDir = workDir;
  }

  public static GitPublishing create(Path workDir) {
    return new JGitPublishing(Objects.requireNonNull(workDir, "workDir"));
  }

  @Override
  public Pushed publishNew(String remoteUrl, GitCredentials credentials, String branch,
      Path sourceDir, CommitMessage commit) {
    MirrorSpec spec = spec(remoteUrl, credentials, branch);
    createLocalBareIfMissing(remoteUrl, branch);
    Path scratch = scratch();
    try (Git git = Git.init().setDirectory(scratch.resolve("work").toFile())
        .setGitDir(scratch.resolve("work.git").toFile()).setInitialBranch(branch).call()) {
      copyTree(sourceDir, scratch.resolve("work"));
      RevCommit c = commit(git, commit);
      push(git, spec, scratch, branch, "publish the new repository " + spec.redactedUrl()
          + " (does branch " + branch + " exist there already?)");
      return new Pushed(c.getName(), branch);
    } catch (GitAPIException e) {
      throw failure(e, spec);
    } finally {
      deleteQuietly(scratch);
    }
  }

  @Override
  public Pushed publishOnBranch(String remoteUrl, GitCredentials credentials, String baseBranch,
      String branch, Path overlayDir, CommitMessage commit) {
    MirrorSpec spec = spec(remoteUrl, credentials, branch);
    Path scratch = scratch();
    RemoteAuth auth = RemoteAuth.of(spec, scratch.resolve("auth.git"));
    try {
      Collection<Ref> heads = auth.configure(Git.lsRemoteRepository().setRemote(remoteUrl)
          .setHeads(true)).call();
      String start = has(heads, branch) ? branch : has(heads, baseBranch) ? baseBranch : null;
      if (start == null) {
        throw new GitSyncException(Reason.BRANCH_NOT_FOUND, "neither branch " + branch
            + " nor base branch " + baseBranch + " exists in " + spec.redactedUrl());
      }
      try (Git git = auth.configure(Git.cloneRepository().setURI(remoteUrl)
          .setDirectory(scratch.resolve("work").toFile())
          .setGitDir(scratch.resolve("work.git").toFile())
          .setBranch(Constants.R_HEADS + start)
          .setBranchesToClone(List.of(Constants.R_HEADS + start))).call()) {
        if (!start.equals(branch)) {
          git.checkout().setCreateBranch(true).setName(branch).call();
        }
        copyTree(overlayDir, scratch.resolve("work"));
        RevCommit c = commit(git, commit);
        push(git, spec, scratch, branch, "push to branch " + branch + " of " + spec.redactedUrl()
            + " (was it changed concurrently?)");
        return new Pushed(c.getName(), branch);
      }
    } catch (GitAPIException e) {
      throw failure(e, spec);
    } finally {
      deleteQuietly(scratch);
    }
  }

  private static MirrorSpec spec(String remoteUrl, GitCredentials credentials, String branch) {
    // A MirrorSpec validates the URL, branch and credentials the same way mirrors do.
    return new MirrorSpec("publish", remoteUrl, branch, credentials, null);
  }

  private static boolean has(Collection<Ref> heads, String branch) {
    return heads.stream().anyMatch(r -> r.getName().equals(Constants.R_HEADS + branch));
  }

  private static RevCommit commit(Git git, CommitMessage message) throws GitAPIException {
    git.add().addFilepattern(".").call();
    PersonIdent who = new PersonIdent(message.authorName(), message.authorEmail());
    return git.commit().setMessage(message.message()).setAuthor(who).setCommitter(who)
        .setSign(false).call();
  }

  private static void push(Git git, MirrorSpec spec, Path scratch, String branch, String what)
      throws GitAPIException {
    RemoteAuth auth = RemoteAuth.of(spec, scratch.resolve("auth.git"));
    PushCommand push = auth.configure(git.push().setRemote(spec.url())
        .setRefSpecs(new RefSpec("HEAD:" + Constants.R_HEADS + branch)));
    for (PushResult result : push.call()) {
      for (RemoteRefUpdate update : result.getRemoteUpdates()) {
        if (update.getStatus() != RemoteRefUpdate.Status.OK
            && update.getStatus() != RemoteRefUpdate.Status.UP_TO_DATE) {
          String detail = update.getMessage() == null ? "" : ", " + RemoteErrors.scrub(update.getMessage(), spec);
          throw new GitSyncException(Reason.REMOTE_ERROR, "cannot " + what + ": "
              + update.getStatus().name().toLowerCase(java.util.Locale.ROOT) + detail);
        }
      }
    }
  }

  private static GitSyncException failure(Exception e, MirrorSpec spec) {
    GitSyncException classified = RemoteErrors.classify(e, spec);
    String message = classified.getMessage().replaceFirst("^fetch failed from ", "publishing failed for ");
    return new GitSyncException(classified.reason(), message, e);
  }

  /** A missing {@code file://} remote is a new repository path: create it bare, HEAD at branch. */
  private static void createLocalBareIfMissing(String remoteUrl, String branch) {
    if (!remoteUrl.regionMatches(true, 0, "file:", 0, 5)) {
      return;
    }
    Path dir = Path.of(URI.create(remoteUrl));
    if (Files.exists(dir)) {
      return;
    }
    try (Git ignored = Git.init().setBare(true).setDirectory(dir.toFile()).setInitialBranch(branch).call()) {
      // created
    } catch (GitAPIException e) {
      throw new GitSyncException(Reason.IO, "cannot create repository " + remoteUrl, e);
    }
  }

  private Path scratch() {
    try {
      Files.createDirectories(workDir);
      Path dir = workDir.resolve("publish-" + UUID.randomUUID());
      Files.createDirectory(dir);
      return dir;
    } catch (IOException e) {
      throw new GitSyncException(Reason.IO, "cannot create a scratch directory in " + workDir, e);
    }
  }

  /** Copies regular files and directories; symbolic links and {@code .git} entries are skipped. */
  static void copyTree(Path source, Path target) {
    if (!Files.isDirectory(source, LinkOption.NOFOLLOW_LINKS)) {
      throw new GitSyncException(Reason.IO, "not a directory: " + source.getFileName());
    }
    try {
      Files.walkFileTree(source, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
          if (!dir.equals(source) && dir.getFileName().toString().equals(".git")) {
            return FileVisitResult.SKIP_SUBTREE;
          }
          Files.createDirectories(target.resolve(source.relativize(dir).toString()));
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          if (attrs.isRegularFile() && !file.getFileName().toString().equals(".git")) {
            Files.copy(file, target.resolve(source.relativize(file).toString()),
                StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
          }
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      throw new GitSyncException(Reason.IO, "cannot copy files to publish: " + e.getMessage(), e);
    }
  }

  static void deleteQuietly(Path dir) {
    try {
      if (!Files.exists(dir, LinkOption.NOFOLLOW_LINKS)) {
        return;
      }
      Files.walkFileTree(dir, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          Files.delete(file);
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
          Files.delete(d);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (IOException e) {
      // a leftover scratch clone holds no credentials and is only wasted space
    }
  }
}
