package org.civicbot.knowledge.lead;

import org.civicbot.knowledge.ArticleContent;
import org.civicbot.knowledge.Language;
import org.civicbot.knowledge.imports.ArticleFolder;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The part of a sample article that answers a question, without the embedding model (the lexical signals alone). */
class AnswerLeadTest {
  private static ArticleFolder.Contents sample;
  private final AnswerLead leads = new AnswerLead(Optional.empty());

  @BeforeAll
  static void read() {
    sample = ArticleFolder.readSample();
  }

  private static String answer(Language lang, String slug) {
    return sample.entries().stream().map(e -> e.article().content())
        .filter(c -> c.lang() == lang && c.slug().equals(slug)).map(ArticleContent::answer).findFirst()
        .orElseThrow();
  }

  @Test
  void should_split_an_article_at_its_second_level_headings() {
    AnswerLead.Parts parts = AnswerLead.split("Intro line.\n\n## One\nfirst\n\n```\n## not a heading\n```\n## Two\nsecond");
    assertEquals("Intro line.", parts.intro());
    assertEquals(2, parts.sections().size());
    assertEquals("One", parts.sections().get(0).heading());
    assertTrue(parts.sections().get(0).markdown().contains("## not a heading"), "a fenced block is not split");
    assertEquals("## Two\nsecond", parts.sections().get(1).markdown());
  }

  @Test
  void should_lead_with_the_price_when_the_price_is_asked() {
    String passport = answer(Language.EN, "passport-adult");
    AnswerLead.Lead lead = leads.lead(Language.EN, "How much does a passport cost for a pensioner?", passport)
        .orElseThrow();
    assertEquals("Fees 2026", lead.heading());
    assertTrue(lead.markdown().startsWith("You apply for a Danish passport"), "the introduction comes first");
    assertTrue(lead.markdown().contains("DKK 400"), lead.markdown());
    assertTrue(!lead.markdown().contains("What to bring"), "one section only");

    AnswerLead.Lead danish = leads.lead(Language.DA, "hvad koster et pas når man er 70",
        answer(Language.DA, "passport-adult")).orElseThrow();
    assertEquals("Priser 2026", danish.heading());
  }

  @Test
  void should_follow_the_words_of_the_question_to_their_section() {
    String passport = answer(Language.EN, "passport-adult");
    assertEquals("What to bring", leads.lead(Language.EN, "what do I need to bring with me?", passport)
        .orElseThrow().heading());
    assertEquals("Validity and processing time", leads.lead(Language.EN, "how long does it take?", passport)
        .orElseThrow().heading());
  }

  @Test
  void should_answer_a_short_text_whole() {
    assertEquals(Optional.empty(), leads.lead(Language.EN, "price?", "Short answer.\n\n## A\nx\n\n## B\nDKK 5"));
    assertEquals(Optional.empty(), leads.lead(Language.EN, "price?", "No sections at all. ".repeat(60)));
  }
}
