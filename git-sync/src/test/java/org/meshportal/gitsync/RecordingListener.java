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
  /** Resume calls and change sets in the order received, e.g. {@code "resume repo@<commit> b=<content of b>"}. */
  final List<String> events = new CopyOnWriteArrayList<>();
  final List<String> resumed = new CopyOnWriteArrayList<>();
  volatile boolean failResume;

  @Override
  public void onResume(String repoId, String branch, CommitReader processed) {
    String b = processed.read("b").map(x -> new String(x, java.nio.charset.StandardCharsets.UTF_8)).orElse("-");
    events.add("resume " + repoId + "@" + processed.commit() + " b=" + b);
    resumed.add(processed.commit());
    if (failResume) {
      throw new IllegalStateException("cannot resume");
    }
  }

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
    events.add("change " + change.fromCommit() + ".." + change.toCommit());
    if (failuresLeft.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
      throw new IllegalStateException("consumer is down");
    }
  }

  ChangeSet last() {
    return deliveries.getLast().change();
  }
}
