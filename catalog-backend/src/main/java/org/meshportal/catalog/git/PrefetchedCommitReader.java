package org.meshportal.catalog.git;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.meshportal.gitsync.CommitReader;

/**
 * A commit reader that parsers on several threads may share. Files wanted in bulk are read ahead
 * in one batch ({@link CommitReader#readAll}); each is handed out once and then forgotten, so the
 * bytes live only until parsed. Other reads go to the underlying reader, one at a time (it is not
 * thread-safe).
 */
final class PrefetchedCommitReader implements CommitReader {
  private final CommitReader delegate;
  private final ReentrantLock lock = new ReentrantLock();
  private final Map<String, Optional<byte[]>> ahead = new ConcurrentHashMap<>();

  PrefetchedCommitReader(CommitReader delegate) {
    this.delegate = delegate;
  }

  /** Reads these files now; a path with no file is remembered as missing. */
  void prefetch(Collection<String> paths) {
    if (paths.isEmpty()) {
      return;
    }
    Map<String, byte[]> found;
    lock.lock();
    try {
      found = delegate.readAll(paths);
    } finally {
      lock.unlock();
    }
    for (String path : paths) {
      ahead.put(path, Optional.ofNullable(found.get(path)));
    }
  }

  /** Drops what was read ahead and not asked for. */
  void forget() {
    ahead.clear();
  }

  @Override
  public String commit() {
    return delegate.commit();
  }

  @Override
  public Optional<byte[]> read(String path) {
    Optional<byte[]> hit = ahead.remove(path);
    if (hit != null) {
      return hit;
    }
    lock.lock();
    try {
      return delegate.read(path);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public List<String> list(String glob) {
    lock.lock();
    try {
      return delegate.list(glob);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void close() {
    // the delegate belongs to git-sync
  }
}
