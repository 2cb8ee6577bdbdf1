/**
 * Git in the catalog: {@code catalog.providers.git.<id>} providers and {@code url} locations, on
 * git-sync's mirrors under {@code <dataDir>/git}.
 *
 * <p>Each provider commit becomes one catalog generation of source {@code provider:git-<id>}:
 * the Backstage files reached from the {@code catalogPath} globs (Location targets and
 * {@code $text/$json/$yaml} placeholders resolved inside the same commit) and the Platform Mesh
 * tree under {@code kcpRoot}/{@code kcpPathOverrides} (mesh relation edges applied like spec
 * relations). A full resync is a snapshot; otherwise only changed files (and files whose
 * placeholders read them) are read again. A change deleting more than {@code maxDeletionShare}
 * of the provider's entities is held until the next commit or {@code POST
 * /api/git-sync/providers/{id}/confirm-deletions}.
 *
 * <p>Start-up does not wait for Git: the first syncs run in the background while the store serves
 * the last good catalog. Providers without {@code schedule.frequency} sync at start-up, on
 * webhooks ({@code POST /api/git-sync/webhooks}) and on {@code POST /api/git-sync/providers/{id}/sync}.
 */
package org.meshportal.catalog.git;
