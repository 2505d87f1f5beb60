package org.civicbot.knowledge.retrieval;

/**
 * Weights and thresholds of hybrid retrieval. The defaults were tuned on the development question set
 * (see docs/BENCHMARKS.md); operators may override them.
 *
 * @param lexicalWeight     weight of BM25 relative to the best candidate's BM25 (0..1), in the ranking score only
 * @param phraseWeight      how much the best single phrasing's BM25 adds to the article's BM25
 * @param coverageWeight    weight of the share of the question's words the article contains (0..1)
 * @param vectorWeight      weight of the scaled cosine similarity, for languages the embedding model supports
 * @param vectorFloor       cosine at or below which the vector signal counts as 0
 * @param vectorCeiling     cosine at or above which the vector signal counts as 1
 * @param answerThreshold   confidence from which the best article is taken as the answer, where the confidence
 *                          fuses coverage and vector similarity
 * @param lexicalAnswerThreshold the same where the language has no vector signal and confidence is coverage alone
 *                          (its values run lower: a paraphrase covers fewer of the question's words)
 * @param maxHits           how many ranked hits a retrieval returns
 */
public record RetrievalSettings(
    double lexicalWeight,
    double phraseWeight,
    double coverageWeight,
    double vectorWeight,
    double vectorFloor,
    double vectorCeiling,
    double answerThreshold,
    double lexicalAnswerThreshold,
    int maxHits) {

  public static final RetrievalSettings DEFAULTS = new RetrievalSettings(1.0, 0.5, 1.0, 1.0, 0.25, 0.75, 0.55, 0.40,
      5);

  public RetrievalSettings {
    if (lexicalWeight < 0 || phraseWeight < 0 || coverageWeight < 0 || vectorWeight < 0) {
      throw new IllegalArgumentException("retrieval weights must not be negative");
    }
    if (coverageWeight + vectorWeight == 0) {
      throw new IllegalArgumentException("coverageWeight and vectorWeight cannot both be 0: confidence needs one");
    }
    if (!(vectorFloor < vectorCeiling)) {
      throw new IllegalArgumentException("vectorFloor " + vectorFloor + " must be below vectorCeiling " + vectorCeiling);
    }
    if (answerThreshold < 0 || answerThreshold > 1) {
      throw new IllegalArgumentException("answerThreshold must be between 0 and 1, but was " + answerThreshold);
    }
    if (lexicalAnswerThreshold < 0 || lexicalAnswerThreshold > 1) {
      throw new IllegalArgumentException("lexicalAnswerThreshold must be between 0 and 1, but was "
          + lexicalAnswerThreshold);
    }
    if (maxHits < 1) {
      throw new IllegalArgumentException("maxHits must be at least 1, but was " + maxHits);
    }
  }

  public RetrievalSettings withAnswerThresholds(double fused, double lexical) {
    return new RetrievalSettings(lexicalWeight, phraseWeight, coverageWeight, vectorWeight, vectorFloor,
        vectorCeiling, fused, lexical, maxHits);
  }

  /** The answer threshold for a confidence with or without the vector signal. */
  public double thresholdFor(boolean withVector) {
    return withVector ? answerThreshold : lexicalAnswerThreshold;
  }
}
