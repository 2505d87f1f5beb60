package org.civicbot.knowledge.decision;

import java.util.List;

/**
 * The features of one candidate article for one question, each about 0..1 and none growing with the question's
 * length. {@link #NAMES} says what each position means; the decision trace stores them by name.
 */
public final class AnswerFeatures {

  public static final List<String> NAMES = List.of(
      "bias",
      "coverage",            // share of the question's content words the article holds
      "coverageLead",        // ... minus the best other candidate's
      "phraseCoverage",      // share of the article's best-matching phrasing the question holds
      "phraseLead",          // ... minus the best other candidate's
      "vector",              // scaled cosine to the nearest phrasing (0 without vectors)
      "vectorLead",          // ... minus the best other candidate's
      "lexical",             // BM25 relative to the best candidate's
      "scoreShare",          // fused ranking score relative to the best candidate's
      "queryWords",          // log of the number of content words, scaled
      "unknownWords",        // share of the question's words no article holds
      "evidence",            // idf mass of the question the article holds, capped
      "notCovered",          // how much more the question looks like a not-covered example than like the article
      "rankedFirst",         // 1 for the candidate the fused score ranks first
      "agreement",           // the lesser of word coverage and phrasing likeness: both sides agree
      "rarestWord");         // how far the article holds the question's rarest word

  public static final int SIZE = NAMES.size();
  public static final int RANKED_FIRST = NAMES.indexOf("rankedFirst");

  /** The raw per-candidate signals the features are made from. */
  public record Candidate(double coverage, double phraseCoverage, double vector, double lexical, double score,
                          double matchedIdf, double rarestCovered) {
  }

  private AnswerFeatures() {
  }

  /** {@code features} by name, in {@link #NAMES} order, rounded to four decimals: for traces and reports. */
  public static java.util.LinkedHashMap<String, Double> named(double[] features) {
    java.util.LinkedHashMap<String, Double> named = new java.util.LinkedHashMap<>();
    for (int i = 0; i < features.length && i < SIZE; i++) {
      named.put(NAMES.get(i), Math.round(features[i] * 10_000) / 10_000.0);
    }
    return named;
  }

  /**
   * The features of {@code candidates.get(i)}, given every candidate, the question's word count and unknown share,
   * and the strength (0..1) of the most alike not-covered example.
   */
  public static double[] of(List<Candidate> candidates, int i, int queryWords, double unknownShare,
                            double negativeStrength) {
    Candidate c = candidates.get(i);
    double otherCoverage = 0;
    double otherPhrase = 0;
    double otherVector = 0;
    double maxLexical = 0;
    double maxScore = 0;
    int first = 0;
    for (int j = 0; j < candidates.size(); j++) {
      Candidate o = candidates.get(j);
      maxLexical = Math.max(maxLexical, o.lexical());
      if (o.score() > candidates.get(first).score()) {
        first = j;
      }
      maxScore = Math.max(maxScore, o.score());
      if (j != i) {
        otherCoverage = Math.max(otherCoverage, o.coverage());
        otherPhrase = Math.max(otherPhrase, o.phraseCoverage());
        otherVector = Math.max(otherVector, o.vector());
      }
    }
    double[] f = new double[SIZE];
    f[0] = 1;
    f[1] = c.coverage();
    f[2] = c.coverage() - otherCoverage;
    f[3] = c.phraseCoverage();
    f[4] = c.phraseCoverage() - otherPhrase;
    f[5] = c.vector();
    f[6] = c.vector() - otherVector;
    f[7] = maxLexical == 0 ? 0 : c.lexical() / maxLexical;
    f[8] = maxScore == 0 ? 0 : c.score() / maxScore;
    f[9] = Math.min(1, Math.log1p(queryWords) / Math.log1p(30));
    f[10] = unknownShare;
    f[11] = Math.min(1, c.matchedIdf() / 12);
    f[12] = Math.max(0, negativeStrength - Math.max(c.phraseCoverage(), c.vector()));
    f[13] = i == first ? 1 : 0;
    f[14] = Math.min(c.coverage(), Math.max(c.phraseCoverage(), c.vector()));
    f[15] = c.rarestCovered();
    return f;
  }
}
