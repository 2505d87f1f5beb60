package org.civicbot.knowledge;

import dev.langchain4j.data.document.Metadata;
import dev.langchain4j.data.segment.TextSegment;
import dev.langchain4j.rag.content.Content;
import dev.langchain4j.rag.content.ContentMetadata;
import dev.langchain4j.rag.content.retriever.ContentRetriever;
import dev.langchain4j.rag.query.Query;
import org.civicbot.knowledge.retrieval.RetrievalHit;

import java.util.List;
import java.util.Map;

/**
 * One tenant's knowledge base in one language as a langchain4j {@link ContentRetriever}, so an optional LLM pipeline
 * can use it: each content is an article's answer, with slug, title, source URL and revision as metadata and the
 * fused confidence as its score. Blocking.
 */
public final class KnowledgeContentRetriever implements ContentRetriever {
  private final KnowledgeBase knowledgeBase;
  private final String tenantId;
  private final Language language;

  KnowledgeContentRetriever(KnowledgeBase knowledgeBase, String tenantId, Language language) {
    this.knowledgeBase = knowledgeBase;
    this.tenantId = tenantId;
    this.language = language;
  }

  @Override
  public List<Content> retrieve(Query query) {
    return knowledgeBase.retrieveBlocking(tenantId, language, query.text()).hits().stream()
        .map(KnowledgeContentRetriever::toContent)
        .toList();
  }

  private static Content toContent(RetrievalHit hit) {
    ArticleContent c = hit.article().content();
    Metadata metadata = Metadata.from(Map.of(
        "slug", c.slug(),
        "title", c.title(),
        "url", c.sourceUrl(),
        "revision", hit.revision(),
        "lang", c.lang().code()));
    return Content.from(TextSegment.from(c.answer(), metadata),
        Map.of(ContentMetadata.SCORE, hit.confidence()));
  }
}
