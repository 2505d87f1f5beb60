package org.civicbot.bot;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Splits a message that asks several things ("How do I renew my passport? And when is the bin collected?") into its
 * questions, so the main one can be answered and the others offered. A message of one sentence is one part.
 */
final class QuestionParts {

  /** Sentence ends, and the words citizens start a second question with. */
  private static final Pattern BOUNDARY = Pattern.compile(
      "(?<=[?!.;])\\s+|\\s+(?=(?:and also|also|og så|og saa|desuden|plus|another thing|en anden ting)\\b)",
      Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
  static final int MAX_PARTS = 3;
  private static final int MIN_WORDS = 3;

  private QuestionParts() {
  }

  /** The parts of {@code text} with at least three words each, in order; fewer than two means one question. */
  static List<String> split(String text) {
    List<String> parts = new ArrayList<>();
    for (String piece : BOUNDARY.split(text)) {
      String p = piece.strip();
      if (p.split("\\s+").length >= MIN_WORDS) {
        parts.add(p);
      }
    }
    return parts.size() < 2 ? List.of() : parts.subList(0, Math.min(MAX_PARTS, parts.size()));
  }
}
