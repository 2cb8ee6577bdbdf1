package org.meshportal.gitsync.jgit;

import java.io.IOException;
import org.eclipse.jgit.errors.MissingObjectException;
import org.eclipse.jgit.lib.AnyObjectId;
import org.eclipse.jgit.lib.ObjectLoader;
import org.eclipse.jgit.lib.ObjectReader;

/** Counts objects opened, to show the cost of a diff follows the change, not the repository. */
final class CountingObjectReader extends ObjectReader.Filter {

  private final ObjectReader delegate;
  private long opened;

  CountingObjectReader(ObjectReader delegate) {
    this.delegate = delegate;
  }

  @Override
  protected ObjectReader delegate() {
    return delegate;
  }

  @Override
  public ObjectLoader open(AnyObjectId objectId) throws MissingObjectException, IOException {
    opened++;
    return delegate.open(objectId);
  }

  @Override
  public ObjectLoader open(AnyObjectId objectId, int typeHint) throws IOException {
    opened++;
    return delegate.open(objectId, typeHint);
  }

  long opened() {
    return opened;
  }
}
