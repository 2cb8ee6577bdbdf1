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
public record HeldDeletions(String commit, int deletions, int entities, List<String> sample, Instant at) {

  /** The form kept in the store's source state: one field per line, the sample last. */
  String encode() {
    StringBuilder sb = new StringBuilder();
    sb.append(commit).append('\n').append(deletions).append('\n').append(entities).append('\n').append(at);
    sample.forEach(ref -> sb.append('\n').append(ref));
    return sb.toString();
  }

  /** Reads {@link #encode()}'s form; null for anything else. */
  static HeldDeletions decode(String stored) {
    String[] lines = stored.split("\n");
    if (lines.length < 4) {
      return null;
    }
    try {
      return new HeldDeletions(lines[0], Integer.parseInt(lines[1]), Integer.parseInt(lines[2]),
          List.of(lines).subList(4, lines.length), Instant.parse(lines[3]));
    } catch (RuntimeException e) {
      return null;
    }
  }
}
