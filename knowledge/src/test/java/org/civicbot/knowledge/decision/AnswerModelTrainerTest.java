package org.civicbot.knowledge.decision;

import org.civicbot.knowledge.Article;
import org.civicbot.knowledge.Language;
import org.civicbot.knowledge.embedding.TextEmbedder;
import org.civicbot.knowledge.imports.ArticleFolder;
import org.civicbot.knowledge.index.KnowledgeIndex;
import org.civicbot.knowledge.retrieval.HybridRetriever;
import org.civicbot.knowledge.retrieval.Retrieval;
import org.civicbot.knowledge.retrieval.RetrievalSettings;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The answer model learned from a part of the sample knowledge base (Danish, lexical only, so it runs fast): the same
 * knowledge base gives the same model, and a question whose article is removed is declined where it is answered while
 * the article exists.
 */
class AnswerModelTrainerTest {
  private static final LocalDate TODAY = LocalDate.of(2026, 6, 1);
  private static final TextEmbedder LEXICAL = TextEmbedder.bundled(Set.of());
  /** Articles of several areas; the library has no close neighbour among them. */
  private static final List<String> SLUGS = List.of("library", "passport-adult", "passport-lost", "waste-collection",
      "bulky-waste", "recycling-centre", "parking-fine", "parking-resident-permit", "daycare", "school-enrollment",
      "tax", "property-tax", "building-permit", "voting", "jobs", "sports-facilities", "health-card",
      "change-of-address", "marriage", "snow-clearing");
  private static Map<String, Article> articles;

  @BeforeAll
  static void sampleArticles() {
    articles = new LinkedHashMap<>();
    ArticleFolder.readSample().entries().stream()
        .filter(e -> e.article().content().lang() == Language.DA && SLUGS.contains(e.article().content().slug()))
        .forEach(e -> articles.put(e.article().content().slug(), new Article("t", e.article().content(), 1,
            Article.Status.PUBLISHED, "test", Instant.EPOCH)));
    assertEquals(SLUGS.size(), articles.size(), "the sample articles exist");
  }

  private static AnswerModelTrainer.Result train(Map<String, Article> kb) {
    return AnswerModelTrainer.train(Language.DA, kb.values(), List.of(), LEXICAL, RetrievalSettings.DEFAULTS, TODAY);
  }

  @Test
  void should_learn_the_same_model_from_the_same_knowledge_base() {
    AnswerModelTrainer.Result first = train(articles);
    AnswerModelTrainer.Result second = train(new LinkedHashMap<>(articles));

    assertNotEquals(AnswerModel.DEFAULT, first.model(), "a model is learned, not the default");
    assertArrayEquals(first.model().weights(), second.model().weights());
    assertEquals(first.model().threshold(), second.model().threshold());
    assertEquals(first.crossValidation(), second.crossValidation());
    assertTrue(first.crossValidation().heldOut() > 100, first.crossValidation().toString());
  }

  @Test
  void should_decline_a_question_whose_article_was_removed() {
    String question = "hvornår har biblioteket åbent om lørdagen";
    Map<String, Article> without = new LinkedHashMap<>(articles);
    without.remove("library");

    Retrieval with = retrieve(articles, question);
    Retrieval missing = retrieve(without, question);

    assertTrue(with.confident(), "answered while the article exists: " + with.best());
    assertEquals("library", with.best().orElseThrow().slug());
    assertFalse(missing.confident(), "declined without it: " + missing.best());
  }

  @Test
  void should_fall_back_to_the_default_model_for_a_tiny_knowledge_base() {
    Map<String, Article> tiny = new LinkedHashMap<>();
    tiny.put("library", articles.get("library"));

    assertEquals(AnswerModel.DEFAULT, train(tiny).model());
  }

  @Test
  void should_lower_the_threshold_only_for_a_clear_winner() {
    AnswerModel model = new AnswerModel(AnswerModel.DEFAULT.weights(), 0.3, 0.2, 4, "test");

    assertEquals(0.2, model.threshold(0.25, 0.05), "five times as probable as the next");
    assertEquals(0.3, model.threshold(0.25, 0.1), "not clearly ahead");
    assertEquals(0.3, model.threshold(0.15, 0.0), "below the lead threshold too");
    assertEquals(0.3, new AnswerModel(AnswerModel.DEFAULT.weights(), 0.3, "no lead").threshold(0.25, 0.0));
    AnswerModel learned = train(articles).model();
    assertTrue(learned.leadThreshold() <= learned.threshold(), learned.toString());
    AnswerModel stored = AnswerModel.fromJson(learned.toJson());
    assertEquals(learned.leadThreshold(), stored.leadThreshold(), "the lead rule is stored with the model");
    assertEquals(learned.leadRatio(), stored.leadRatio());
  }

  @Test
  void should_store_and_read_back_a_model_for_its_version_only(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    java.nio.file.Path file = dir.resolve("model.json");
    AnswerModel model = new AnswerModel(AnswerModel.DEFAULT.weights(), 0.33, "test");

    AnswerModelFile.write(file, 7, "m", model);

    assertEquals(0.33, AnswerModelFile.read(file, 7, "m").orElseThrow().threshold());
    assertTrue(AnswerModelFile.read(file, 8, "m").isEmpty(), "another knowledge version");
    assertTrue(AnswerModelFile.read(file, 7, "other").isEmpty(), "another embedding model");
  }

  private static Retrieval retrieve(Map<String, Article> kb, String question) {
    AnswerModel model = train(kb).model();
    try (KnowledgeIndex index = KnowledgeIndex.inMemory(Language.DA, LEXICAL)) {
      index.rebuild(kb.values(), 1, done -> { });
      return new HybridRetriever(index, kb, RetrievalSettings.DEFAULTS, model).retrieve(question, TODAY);
    }
  }
}
