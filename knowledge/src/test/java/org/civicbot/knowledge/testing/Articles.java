package org.civicbot.knowledge.testing;

import org.civicbot.knowledge.ArticleContent;
import org.civicbot.knowledge.Language;

import java.util.List;

/** Small article contents for tests. */
public final class Articles {
  private Articles() {
  }

  public static ArticleContent article(String slug, Language lang, String title, String... questions) {
    return ArticleContent.builder()
        .slug(slug)
        .lang(lang)
        .title(title)
        .area("test")
        .questions(List.of(questions))
        .answer("Answer about " + title + ".")
        .spoken("Spoken answer about " + title + ".")
        .sourceUrl("https://www.eksempel-kommune.dk/" + slug)
        .build();
  }
}
