package org.civicbot.knowledge;

import java.util.List;
import java.util.Objects;

/**
 * A near-miss topic an article must not answer ("VAT registration of a company" on the tax article), with where to go
 * instead and how citizens ask about it. The examples teach the answer decision what the article does not cover, and
 * a question closer to them than to the article is declined with {@code refer}.
 *
 * @param topic     a short name of the topic, in the article's language
 * @param refer     one sentence saying who handles it instead
 * @param questions how citizens ask about it (at least one)
 */
public record NotCovered(String topic, String refer, List<String> questions) {

  public NotCovered {
    require(topic != null && !topic.isBlank() && topic.strip().length() <= 200,
        "not_covered topic must be 1 to 200 characters, but was '" + topic + "'");
    require(refer != null && !refer.isBlank() && refer.strip().length() <= 500,
        "not_covered refer of '" + topic + "' must be 1 to 500 characters");
    topic = topic.strip();
    refer = refer.strip();
    questions = List.copyOf(Objects.requireNonNull(questions, "questions"));
    require(!questions.isEmpty(), "not_covered '" + topic + "' must list at least one question");
    for (String q : questions) {
      require(q != null && !q.isBlank() && q.length() <= 500, "not_covered '" + topic
          + "' has an empty or too long question");
    }
    questions = questions.stream().map(String::strip).toList();
  }

  private static void require(boolean condition, String message) {
    if (!condition) {
      throw new IllegalArgumentException(message);
    }
  }
}
