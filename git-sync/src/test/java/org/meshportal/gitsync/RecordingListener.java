package org.meshportal.gitsync;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Records every change set and the files it could read at the new commit. */
final class RecordingListener implements ChangeListener {

  record Delivery(ChangeSet change, Map<String, String> contents) {}

  final List<Delivery> deliveries = new CopyOnWriteArrayList<>();
  final AtomicInteger failuresLeft = new AtomicInteger();

  @Override
  public void onChange(ChangeSet change, CommitReader files) {
    Map<String, String> contents = new java.util.TreeMap<>();
    for (FileChange c : change.changes()) {
      if (c.newPath() != null) {
        contents.put(c.newPath(), new String(files.read(c.newPath()).orElseThrow(),
            java.nio.charset.StandardCharsets.UTF_8));
      }
    }
    deliveries.add(new Delivery(change, contents));
    if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new IllegalStateException("consumer is down");
    }
  }

  ChangeSet last() {
    return deliveries.getLast().change();
  }
}
