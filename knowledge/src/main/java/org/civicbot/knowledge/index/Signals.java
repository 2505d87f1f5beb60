package org.civicbot.knowledge.index;

/**
 * What the index found for one article, before fusion: its raw BM25 over the article fields, the best BM25 of one
 * of its phrasings, the idf-weighted share of the question's words it contains (0..1), and the best cosine
 * similarity between the question and one of its phrasings ({@code NaN} when there is no vector signal).
 */
public record Signals(String slug, double articleBm25, double phraseBm25, double coverage, double vectorCosine) {

  public boolean hasVector() {
    return !Double.isNaN(vectorCosine);
  }
}
