package org.civicbot.knowledge.retrieval;

import org.civicbot.knowledge.Language;
import org.civicbot.knowledge.NotCovered;

import java.util.List;
import java.util.Optional;

/**
 * The ranked answer candidates for one question, most probable first, with the probability the answer needs.
 *
 * @param notCovered   a not-covered topic of an article that the question looks more like than like any phrasing of
 *                     the best candidate: where to send the citizen when the question is declined
 * @param queryWords   the question's content words after analysis
 * @param unknownShare the share of the question's words no article holds
 * @param corrections  misspelt words that were replaced ("pasport->passport")
 */
public record Retrieval(String query, Language language, List<RetrievalHit> hits, double threshold,
                        Optional<NotCoveredHit> notCovered, int queryWords, double unknownShare,
                        List<String> corrections) {

  /** The question is about {@code topic}, which article {@code slug} says it does not cover. */
  public record NotCoveredHit(String slug, NotCovered topic, double strength) {
  }

  public Retrieval {
    hits = List.copyOf(hits);
    corrections = List.copyOf(corrections);
  }

  public Optional<RetrievalHit> best() {
    return hits.isEmpty() ? Optional.empty() : Optional.of(hits.get(0));
  }

  /** Whether the best hit is probable enough to be given as the answer. */
  public boolean confident() {
    return best().filter(hit -> hit.confidence() >= threshold).isPresent();
  }
}
