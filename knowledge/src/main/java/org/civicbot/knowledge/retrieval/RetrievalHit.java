package org.civicbot.knowledge.retrieval;

import org.civicbot.knowledge.Article;
import org.civicbot.knowledge.index.Signals;

/**
 * One ranked article for a question: the fused ranking score, the confidence (0..1) that it answers the question,
 * and the raw signals both were computed from.
 */
public record RetrievalHit(Article article, double score, double confidence, Signals signals) {

  public String slug() {
    return article.slug();
  }

  public int revision() {
    return article.revision();
  }
}
