package org.meshportal.catalog.store;

/** The store could not be read or written; the message says which operation failed. */
public class StoreException extends RuntimeException {
  public StoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
