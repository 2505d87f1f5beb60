package org.civicbot.knowledge.index;

/** Field names of the knowledge index. */
final class IndexFields {
  static final String TYPE = "type";
  static final String TYPE_ARTICLE = "article";
  static final String TYPE_PHRASE = "phrase";
  static final String SLUG = "slug";
  static final String SLUG_DV = "slug_dv";
  static final String TITLE = "title";
  static final String QUESTIONS = "questions";
  static final String KEYWORDS = "keywords";
  static final String ANSWER = "answer";
  static final String PHRASE = "phrase";
  static final String VECTOR = "vector";

  /** Commit user data keys. */
  static final String META_VERSION = "knowledgeVersion";
  static final String META_MODEL = "embeddingModel";
  static final String META_FORMAT = "indexFormat";
  static final String META_COMPOUNDS = "compoundWords";

  /** Bump when analysis or document layout changes: older indexes are then rebuilt at startup. */
  static final String FORMAT = "2";

  private IndexFields() {
  }
}
