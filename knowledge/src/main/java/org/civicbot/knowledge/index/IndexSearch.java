package org.civicbot.knowledge.index;

import java.util.List;
import java.util.Optional;

/**
 * What one search of the index found: the signals of every candidate article (in no particular order), facts about
 * the question, and the closest not-covered example.
 *
 * @param signals      one per candidate article
 * @param queryWords   how many content words the question has after analysis
 * @param unknownShare the idf-weighted share of the question's words that no article contains (0..1)
 * @param negative     the not-covered example most like the question, if any matched at all
 * @param corrections  misspelt words replaced by a word of the knowledge base ("pasport->passport")
 */
public record IndexSearch(List<Signals> signals, int queryWords, double unknownShare,
                          Optional<NegativeMatch> negative, List<String> corrections) {

  public static final IndexSearch EMPTY = new IndexSearch(List.of(), 0, 0, Optional.empty(), List.of());

  public IndexSearch {
    signals = List.copyOf(signals);
    corrections = List.copyOf(corrections);
  }

  /**
   * A not-covered example of article {@code slug} (its {@code topic}-th not-covered topic) and how alike it is: the
   * idf-weighted share of its words in the question, and the cosine of the question to it (NaN without vectors).
   */
  public record NegativeMatch(String slug, int topic, double phraseCoverage, double vectorCosine) {

    public String key() {
      return slug + "#" + topic;
    }

    /** The stronger of the two likenesses, with the cosine scaled like the retriever's (0.25..0.75 to 0..1). */
    public double strength() {
      double vector = Double.isNaN(vectorCosine) ? 0 : Math.max(0, Math.min(1, (vectorCosine - 0.25) / 0.5));
      return Math.max(phraseCoverage, vector);
    }
  }
}
