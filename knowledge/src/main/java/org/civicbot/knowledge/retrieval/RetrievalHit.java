package org.civicbot.knowledge.retrieval;

import org.civicbot.knowledge.Article;
import org.civicbot.knowledge.index.Signals;

/**
 * One ranked article for a question: the fused ranking score, the probability (0..1) that it is the right answer,
 * the raw signals, and the features the probability was computed from (see
 * {@link org.civicbot.knowledge.decision.AnswerFeatures}). {@code peerConfidence} is the probability it would have
 * if the ranking had put it first: two candidates that rank nearly alike are compared by it, since which of them the
 * ranking puts first is then an accident.
 */
public record RetrievalHit(Article article, double score, double confidence, Signals signals, double[] features,
                           double peerConfidence) {

  public RetrievalHit(Article article, double score, double confidence, Signals signals, double[] features) {
    this(article, score, confidence, signals, features, confidence);
  }

  public String slug() {
    return article.slug();
  }

  public int revision() {
    return article.revision();
  }
}
