package org.civicbot.knowledge.index;

/**
 * What the index found for one article, before fusion.
 *
 * @param articleBm25    raw BM25 over the article fields
 * @param phraseBm25     the best BM25 of one of its phrasings
 * @param coverage       the idf-weighted share of the question's words it contains (0..1)
 * @param vectorCosine   the best cosine similarity between the question and one of its phrasings ({@code NaN} when
 *                       there is no vector signal)
 * @param phraseCoverage the idf-weighted share of its best-matching phrasing's words the question contains (0..1):
 *                       unlike coverage it does not fall when a citizen wraps the question in more words
 * @param matchedIdf     the idf mass of the question's words it contains (how much evidence, not which share)
 * @param rarestCovered  how far (0..1) it holds the question's rarest word, the one that says most what it is about
 */
public record Signals(String slug, double articleBm25, double phraseBm25, double coverage, double vectorCosine,
                      double phraseCoverage, double matchedIdf, double rarestCovered) {

  public Signals(String slug, double articleBm25, double phraseBm25, double coverage, double vectorCosine) {
    this(slug, articleBm25, phraseBm25, coverage, vectorCosine, 0, 0, 0);
  }

  public boolean hasVector() {
    return !Double.isNaN(vectorCosine);
  }
}
