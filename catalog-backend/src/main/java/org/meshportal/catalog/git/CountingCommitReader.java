package org.meshportal.catalog.git;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.meshportal.gitsync.CommitReader;

/** Counts the files read from a commit, so the status shows that a change costs what it touches. */
final class CountingCommitReader implements CommitReader {
  private final CommitReader delegate;
  private final AtomicLong reads = new AtomicLong();

  CountingCommitReader(CommitReader delegate) {
    this.delegate = delegate;
  }

  long reads() {
    return reads.get();
  }

  @Override
  public String commit() {
    return delegate.commit();
  }

  @Override
  public Optional<byte[]> read(String path) {
    reads.incrementAndGet();
    return delegate.read(path);
  }

  @Override
  public List<String> list(String glob) {
    return delegate.list(glob);
  }

  @Override
  public void close() {
    // the delegate belongs to git-sync
  }
}
