package org.civicbot.knowledge.index;

import org.civicbot.knowledge.Article;
import org.civicbot.knowledge.ArticleContent;
import org.civicbot.knowledge.Concept;
import org.civicbot.knowledge.Language;
import org.civicbot.knowledge.NotCovered;
import org.civicbot.knowledge.embedding.TextEmbedder;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.civicbot.knowledge.testing.Articles.article;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Concept lists at index time, misspelt words, phrase coverage of long questions and not-covered examples. */
class KnowledgeIndexTest {
  private static final TextEmbedder LEXICAL = TextEmbedder.bundled(Set.of());

  private static Article published(ArticleContent content) {
    return new Article("t", content, 1, Article.Status.PUBLISHED, "test", Instant.EPOCH);
  }

  private static final List<Article> ARTICLES = List.of(
      published(article("street-light", Language.DA, "Gadelys der ikke virker", "En gadelampe er gået ud")),
      published(article("bins", Language.DA, "Tømning af skraldespand", "Hvornår bliver min skraldespand tømt")),
      published(article("passport", Language.EN, "Passport for adults", "How do I renew my passport")
          .toBuilder().notCovered(List.of(new NotCovered("Visas", "Visas are issued by the embassy.",
              List.of("do I need a visa for the United States")))).build()));

  private static Signals signals(IndexSearch search, String slug) {
    return search.signals().stream().filter(s -> s.slug().equals(slug)).findFirst()
        .orElseThrow(() -> new AssertionError(slug + " not among " + search.signals()));
  }

  @Test
  void should_find_an_article_by_a_term_of_a_concept_it_mentions() {
    List<Article> danish = ARTICLES.stream().filter(a -> a.lang() == Language.DA).toList();
    Concept light = new Concept("roads", Map.of(Language.DA, List.of("gadelampe", "lygtepæl")));
    try (KnowledgeIndex without = KnowledgeIndex.inMemory(Language.DA, LEXICAL);
         KnowledgeIndex with = KnowledgeIndex.inMemory(Language.DA, LEXICAL)) {
      without.rebuild(danish, List.of(), 1, d -> { });
      with.rebuild(danish, List.of(light), 1, d -> { });

      assertTrue(without.search("lygtepæl").signals().isEmpty(), "no article holds the word itself");
      assertEquals(1.0, signals(with.search("lygtepæl"), "street-light").coverage(), 1e-9);
    }
  }

  @Test
  void should_replace_a_misspelt_word_by_the_knowledge_bases_own() {
    try (KnowledgeIndex index = KnowledgeIndex.inMemory(Language.EN, LEXICAL)) {
      index.rebuild(ARTICLES.stream().filter(a -> a.lang() == Language.EN).toList(), 1, d -> { });

      IndexSearch search = index.search("how do i renew my pasport");

      assertEquals(List.of("pasport->passport"), search.corrections());
      assertEquals(1.0, signals(search, "passport").phraseCoverage(), 1e-9);
    }
  }

  @Test
  void should_keep_phrase_coverage_when_a_question_is_wrapped_in_more_words() {
    try (KnowledgeIndex index = KnowledgeIndex.inMemory(Language.EN, LEXICAL)) {
      index.rebuild(ARTICLES.stream().filter(a -> a.lang() == Language.EN).toList(), 1, d -> { });

      Signals plain = signals(index.search("renew my passport"), "passport");
      Signals chatty = signals(index.search("hi so my husband and I are going to Spain in the summer with the kids "
          + "and I need to renew my passport before we go"), "passport");

      assertEquals(plain.phraseCoverage(), chatty.phraseCoverage(), 1e-9);
      assertTrue(chatty.coverage() < plain.coverage(), "coverage of the question's words falls with length");
    }
  }

  @Test
  void should_find_the_closest_not_covered_example_unless_it_is_left_out() {
    try (KnowledgeIndex index = KnowledgeIndex.inMemory(Language.EN, LEXICAL)) {
      index.rebuild(ARTICLES.stream().filter(a -> a.lang() == Language.EN).toList(), 1, d -> { });

      IndexSearch search = index.search("do I need a visa to travel to the United States");

      assertEquals("passport#0", search.negative().orElseThrow().key());
      assertTrue(search.negative().get().strength() > 0.9, search.negative().toString());
      assertTrue(index.search("do I need a visa", "passport#0"::equals).negative().isEmpty());
    }
  }
}
