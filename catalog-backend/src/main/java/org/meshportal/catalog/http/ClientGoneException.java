package org.meshportal.catalog.http;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * Writing a response failed: the client closed its connection (it timed out, or navigated away).
 * Nothing can be answered any more, so it is not an internal error of the server.
 */
final class ClientGoneException extends UncheckedIOException {
  ClientGoneException(IOException cause) {
    super("the client closed the connection while the response was written", cause);
  }
}
