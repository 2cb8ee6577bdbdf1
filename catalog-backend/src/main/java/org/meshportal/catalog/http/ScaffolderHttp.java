package org.meshportal.catalog.http;

import java.time.Duration;
import org.meshportal.templates.ScaffolderService;

/** Mounts the scaffolder at {@code /api/scaffolder} on a server being built (from the composition root). */
public final class ScaffolderHttp {
  /** Backstage's long-poll wait for {@code GET /v2/tasks/{id}/events}. */
  public static final Duration DEFAULT_LONG_POLL = Duration.ofSeconds(30);

  private ScaffolderHttp() {}

  public static HttpServer.Builder mount(HttpServer.Builder builder, ScaffolderService scaffolder) {
    return mount(builder, scaffolder, DEFAULT_LONG_POLL);
  }

  /** @param longPollWait how long {@code /events} waits for new events before answering {@code []} */
  public static HttpServer.Builder mount(HttpServer.Builder builder, ScaffolderService scaffolder, Duration longPollWait) {
    if (longPollWait.isNegative()) {
      throw new IllegalArgumentException("longPollWait must not be negative: " + longPollWait);
    }
    return builder.plugin(permissions -> new ScaffolderPlugin(scaffolder, longPollWait, new Json(), permissions));
  }
}
