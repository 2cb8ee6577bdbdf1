package org.meshportal.catalog.store;

/**
 * A commit was refused because the store moved past the generation its writer had read (another
 * replica committed first), or because the writer's lease was lost. Nothing of the batch was
 * written; the writer catches up and decides again.
 */
public final class StaleGenerationException extends StoreException {
  public StaleGenerationException(String message) {
    super(message, null);
  }
}
