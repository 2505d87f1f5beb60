package org.civicbot.knowledge.retrieval;

/**
 * Weights of the hybrid ranking score and the answer decision's override. The ranking defaults were tuned on the
 * development question set (see docs/BENCHMARKS.md); the answer probability is learned from the knowledge base unless
 * an operator sets it.
 *
 * @param lexicalWeight     weight of BM25 relative to the best candidate's BM25 (0..1), in the ranking score only
 * @param phraseWeight      how much the best single phrasing's BM25 adds to the article's BM25
 * @param coverageWeight    weight of the share of the question's words the article contains (0..1)
 * @param vectorWeight      weight of the scaled cosine similarity, for languages the embedding model supports
 * @param vectorFloor       cosine at or below which the vector signal counts as 0
 * @param vectorCeiling     cosine at or above which the vector signal counts as 1
 * @param answerProbability probability (0..1) from which the best article is given as the answer; NaN: the
 *                          threshold learned with the answer model
 * @param maxHits           how many ranked hits a retrieval returns
 */
public record RetrievalSettings(
    double lexicalWeight,
    double phraseWeight,
    double coverageWeight,
    double vectorWeight,
    double vectorFloor,
    double vectorCeiling,
    double answerProbability,
    int maxHits) {

  public static final RetrievalSettings DEFAULTS = new RetrievalSettings(1.0, 0.5, 1.0, 1.0, 0.25, 0.75, Double.NaN,
      5);

  public RetrievalSettings {
    if (lexicalWeight < 0 || phraseWeight < 0 || coverageWeight < 0 || vectorWeight < 0) {
      throw new IllegalArgumentException("retrieval weights must not be negative");
    }
    if (coverageWeight + vectorWeight == 0) {
      throw new IllegalArgumentException("coverageWeight and vectorWeight cannot both be 0");
    }
    if (!(vectorFloor < vectorCeiling)) {
      throw new IllegalArgumentException("vectorFloor " + vectorFloor + " must be below vectorCeiling " + vectorCeiling);
    }
    if (!Double.isNaN(answerProbability) && (answerProbability <= 0 || answerProbability >= 1)) {
      throw new IllegalArgumentException("answerProbability must be between 0 and 1, but was " + answerProbability);
    }
    if (maxHits < 1) {
      throw new IllegalArgumentException("maxHits must be at least 1, but was " + maxHits);
    }
  }

  /** These settings with a fixed answer probability (NaN: the learned one). */
  public RetrievalSettings withAnswerProbability(double probability) {
    return new RetrievalSettings(lexicalWeight, phraseWeight, coverageWeight, vectorWeight, vectorFloor,
        vectorCeiling, probability, maxHits);
  }
}
