package org.meshportal.catalog.auth;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Objects;

/**
 * A cookie to set or clear, with Backstage's attributes for its auth cookies: always
 * {@code HttpOnly} and host-only. {@link #toString()} never shows the value.
 *
 * @param maxAge zero clears the cookie
 * @param sameSite {@code Lax} or {@code None}
 */
public record SetCookie(String name, String value, String path, Duration maxAge, boolean secure, String sameSite) {
  public SetCookie {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(value, "value");
    Objects.requireNonNull(path, "path");
  }

  /** The {@code Set-Cookie} header value (RFC 6265: values are URL-safe here, so none are quoted). */
  public String header(Instant now) {
    StringBuilder b = new StringBuilder(name).append('=').append(value)
        .append("; Max-Age=").append(maxAge.toSeconds())
        .append("; Path=").append(path)
        .append("; Expires=")
        .append(DateTimeFormatter.RFC_1123_DATE_TIME.format(now.plus(maxAge).atOffset(ZoneOffset.UTC)))
        .append("; HttpOnly");
    if (secure) {
      b.append("; Secure");
    }
    return b.append("; SameSite=").append(sameSite).toString();
  }

  @Override
  public String toString() {
    return "SetCookie[name=" + name + ", path=" + path + ", maxAge=" + maxAge + "]";
  }
}
