package org.civicbot.knowledge;

import java.time.Instant;
import java.util.Objects;

/** One stored revision of an article in a tenant's knowledge base. */
public record Article(
    String tenantId,
    ArticleContent content,
    int revision,
    Status status,
    String author,
    Instant createdAt) {

  /** Whether this revision is the one citizens see. */
  public enum Status { DRAFT, PUBLISHED }

  public Article {
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(content, "content");
    Objects.requireNonNull(status, "status");
    if (revision < 1) {
      throw new IllegalArgumentException("revision must be at least 1, but was " + revision);
    }
  }

  public String slug() {
    return content.slug();
  }

  public Language lang() {
    return content.lang();
  }
}
