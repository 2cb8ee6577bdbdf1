package org.meshportal.catalog.config;

/** Configuration that cannot be used; the message names the key and the file it came from. */
public final class ConfigException extends RuntimeException {
  public ConfigException(String message) {
    super(message);
  }
}
