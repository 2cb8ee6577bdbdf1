package org.meshportal.catalog.git;

/** Thrown to git-sync so that the processed commit stays while a mass deletion waits for confirmation. */
final class DeletionsHeldException extends Exception {
  DeletionsHeldException(String message) {
    super(message, null, false, false);
  }
}
