package org.meshportal.templates.render;

/** A template string could not be parsed or evaluated; the message names the problem, not the data. */
public final class RenderException extends Exception {
  public RenderException(String message, Throwable cause) {
    super(message, cause);
  }
}
