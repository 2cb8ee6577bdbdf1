package org.meshportal.catalog.store;

import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.io.TempDir;
import org.meshportal.templates.FileTaskStore;
import org.meshportal.templates.TaskStore;

/** The task store contract on the embedded file store (one process: every store() call reads the same folder). */
class FileTaskStoreTest extends TaskStoreContract {
  @TempDir Path dir;
  private FileTaskStore store;

  @Override
  TaskStore store() {
    // One instance: a second FileTaskStore on the folder is a second process, which the file store does not support.
    if (store == null) {
      store = new FileTaskStore(dir, JSON, Clock.systemUTC());
    }
    return store;
  }
}
