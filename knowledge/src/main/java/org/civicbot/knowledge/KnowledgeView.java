package org.civicbot.knowledge;

import org.civicbot.knowledge.retrieval.Retrieval;

import java.util.Optional;

/**
 * What a decision reads from the knowledge base: the published articles and their ranking for a question. The live
 * {@link KnowledgeBase} is one; a {@link KnowledgeBase#candidate candidate} (the knowledge base as it would be after a
 * publish) is another, so saved conversations can be replayed against a change before citizens see it.
 * Blocking: call from worker threads.
 */
public interface KnowledgeView {
  /** Ranks the tenant's published articles in {@code lang} for {@code question}. */
  Retrieval retrieveBlocking(String tenantId, Language lang, String question);

  /** The published article {@code slug} of the tenant in {@code lang}, if there is one. */
  Optional<Article> published(String tenantId, Language lang, String slug);
}
