package org.civicbot.knowledge.store;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import org.civicbot.knowledge.Article;
import org.civicbot.knowledge.ArticleContent;
import org.civicbot.knowledge.Concept;
import org.civicbot.knowledge.Language;

import java.util.List;
import java.util.Optional;

/**
 * Articles per tenant, with every edit kept as a revision and one revision per article published.
 * All methods are non-blocking.
 */
public interface ArticleStore {

  static ArticleStore create(Pool pool) {
    return new PgArticleStore(pool);
  }

  /** Creates the tenant if it does not exist yet. */
  Future<Void> ensureTenant(String tenantId, String name);

  Future<List<String>> tenants();

  /**
   * Stores {@code content} as the next revision of its article (the first creates the article). Content equal to the
   * latest revision creates nothing and returns that revision, so re-importing unchanged files is harmless.
   */
  Future<Article> saveRevision(String tenantId, ArticleContent content, String author);

  /** Makes {@code revision} the one citizens see and bumps the tenant's knowledge version for that language. */
  Future<Article> publish(String tenantId, String slug, Language lang, int revision);

  /**
   * Takes the article out of what citizens see (its revisions stay) and bumps the knowledge version; completes with
   * whether it was published.
   */
  Future<Boolean> unpublish(String tenantId, String slug, Language lang);

  /** Every article of the tenant in every state: its latest revision and which revision is published. */
  Future<List<ArticleEntry>> list(String tenantId);

  /** An article as the editors' list shows it: its latest revision and the published one's number, if any. */
  record ArticleEntry(Article latest, Optional<Integer> publishedRevision) {
    public boolean published() {
      return publishedRevision.isPresent();
    }

    /** Whether the latest revision is a draft that is not published yet. */
    public boolean hasDraft() {
      return publishedRevision.map(p -> p != latest.revision()).orElse(true);
    }
  }

  /** Fails with {@link IllegalArgumentException} when the article does not exist. */
  Future<Optional<Article>> latest(String tenantId, String slug, Language lang);

  /** All revisions, oldest first. */
  Future<List<Article>> revisions(String tenantId, String slug, Language lang);

  /** The published revision of every published article in the tenant and language. */
  Future<List<Article>> published(String tenantId, Language lang);

  /** Number of articles (in any state, any language) the tenant has. */
  Future<Long> countArticles(String tenantId);

  /** The tenant's concept lists (empty when it has none). */
  Future<List<Concept>> concepts(String tenantId);

  /**
   * Replaces the tenant's concept lists; when they changed, bumps the knowledge version of every language so the
   * indexes are rebuilt with them. Completes with whether they changed.
   */
  Future<Boolean> saveConcepts(String tenantId, List<Concept> concepts);

  /** A number that changes whenever something is published in the tenant and language. */
  Future<Long> knowledgeVersion(String tenantId, Language lang);
}
