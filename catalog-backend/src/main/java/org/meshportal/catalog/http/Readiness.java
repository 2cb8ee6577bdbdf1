package org.meshportal.catalog.http;

/** Lifecycle as the readiness probe reports it. */
enum Readiness {
  STARTING("Backend has not started yet"),
  READY(null),
  STOPPING("Backend is shutting down");

  final String message;

  Readiness(String message) {
    this.message = message;
  }
}
