package org.meshportal.catalog.git;

/**
 * What {@code GET /api/git-sync/providers/{id}} shows. Never holds a secret: the url is redacted
 * and error messages come from git-sync and the catalog, which leave credentials out.
 *
 * @param state {@code PENDING}, {@code OK}, {@code EMPTY}, {@code ERROR} (from the mirror), {@code HELD}, or
 *     {@code STANDBY} on a replica that does not run Git sync (another replica leads; what it shows
 *     comes from the shared store)
 * @param lastCommit the last commit applied to the catalog
 * @param fetchedCommit the branch head after the last successful fetch
 * @param lastFetchAt ISO-8601 start of the last fetch attempt
 * @param lastFetchDurationMs how long it took
 * @param lastAppliedAt ISO-8601 time the catalog last took a change of this provider
 * @param lastApplyDurationMs how long reading and applying that change took
 * @param lastChangeFilesRead files read from the commit for that change
 * @param entityCount entities the provider has in the catalog
 * @param lastError why the last attempt failed, or null
 * @param processingErrors the provider's current processing errors (files and documents that
 *     did not become entities), at most 100
 * @param heldDeletions a mass deletion waiting for confirmation, or null
 */
public record GitProviderStatus(
    String id,
    String url,
    String branch,
    String state,
    String lastCommit,
    String fetchedCommit,
    String lastFetchAt,
    Long lastFetchDurationMs,
    String lastAppliedAt,
    Long lastApplyDurationMs,
    Long lastChangeFilesRead,
    int entityCount,
    boolean syncing,
    Error lastError,
    java.util.List<org.meshportal.catalog.service.ProcessingError> processingErrors,
    Held heldDeletions) {

  /** @param reason git-sync's reason ({@code UNREACHABLE}, {@code AUTH_FAILED}, {@code CONSUMER_FAILED} …) */
  public record Error(String reason, String message, String at) {}

  public record Held(String commit, int deletions, int entities, java.util.List<String> sample, String at) {}
}
