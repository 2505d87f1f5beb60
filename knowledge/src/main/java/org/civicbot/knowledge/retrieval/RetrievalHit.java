package org.civicbot.knowledge.retrieval;

import org.civicbot.knowledge.Article;
import org.civicbot.knowledge.index.Signals;

/**
 * One ranked article for a question: the fused ranking score, the probability (0..1) that it is the right answer,
 * the raw signals, and the features the probability was computed from (see
 * {@link org.civicbot.knowledge.decision.AnswerFeatures}).
 */
public record RetrievalHit(Article article, double score, double confidence, Signals signals, double[] features) {

  public String slug() {
    return article.slug();
  }

  public int revision() {
    return article.revision();
  }
}
