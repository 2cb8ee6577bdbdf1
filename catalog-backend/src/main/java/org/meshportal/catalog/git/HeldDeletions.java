package org.meshportal.catalog.git;

import java.time.Instant;
import java.util.List;

/**
 * A change that would delete more than the allowed share of a provider's entities, held back
 * until the next commit or an explicit confirmation.
 *
 * @param commit the commit whose change is held
 * @param deletions how many entities it would delete
 * @param entities how many the provider has now
 * @param sample a few of the refs it would delete, sorted
 * @param at when it was held
 */
public record HeldDeletions(String commit, int deletions, int entities, List<String> sample, Instant at) {}
