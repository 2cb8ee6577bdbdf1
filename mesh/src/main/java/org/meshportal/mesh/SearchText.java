package org.meshportal.mesh;

import java.util.HashSet;
import java.util.Set;

/** Collects distinct phrases for the search-text annotation and stops at a character bound. */
final class SearchText {

  private static final java.util.regex.Pattern WHITESPACE = java.util.regex.Pattern.compile("\\s+");
  private final StringBuilder text = new StringBuilder();
  private final Set<String> seen = new HashSet<>();
  private final int max;

  SearchText(int max) {
    this.max = max;
  }

  SearchText add(String phrase) {
    return add(phrase, 160);
  }

  /** Adds a phrase cut to {@code maxPhrase} characters; silently ignored once the bound is reached. */
  SearchText add(String phrase, int maxPhrase) {
    if (phrase == null) {
      return this;
    }
    String p = phrase.strip();
    if (p.indexOf('\n') >= 0 || p.indexOf('\t') >= 0 || p.contains("  ")) {
      p = WHITESPACE.matcher(p).replaceAll(" ");
    }
    if (p.length() > maxPhrase) {
      p = p.substring(0, maxPhrase);
    }
    if (p.isEmpty() || !seen.add(p)) {
      return this;
    }
    int needed = p.length() + (text.isEmpty() ? 0 : 1);
    if (text.length() + needed <= max) {
      text.append(text.isEmpty() ? "" : " ").append(p);
    }
    return this;
  }

  boolean full() {
    return text.length() >= max - 8;
  }

  @Override
  public String toString() {
    return text.toString();
  }
}
