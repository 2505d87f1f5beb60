package org.civicbot.knowledge.retrieval;

import org.civicbot.knowledge.Article;
import org.civicbot.knowledge.ArticleContent;
import org.civicbot.knowledge.Language;
import org.civicbot.knowledge.embedding.TextEmbedder;
import org.civicbot.knowledge.index.KnowledgeIndex;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Danish stemming, æ/ø/å written as ae/oe/aa, and compound words, on a small real index. */
class DanishRetrievalTest {
  @TempDir
  Path dir;
  private KnowledgeIndex index;
  private HybridRetriever retriever;

  @BeforeEach
  void buildIndex() {
    Map<String, Article> articles = new LinkedHashMap<>();
    add(articles, "recycling", "Genbrugspladsens åbningstider", List.of("Hvornår har genbrugspladsen åbent?"),
        List.of("genbrugsplads"));
    add(articles, "bulky-waste", "Afhentning af storskrald", List.of("Hvordan bestiller jeg storskrald?"),
        List.of("storskrald", "afhentning"));
    add(articles, "passport", "Pas til børn", List.of("Hvad koster et pas til mit barn?"), List.of("pas"));
    add(articles, "health-card", "Sundhedskort", List.of("Jeg har mistet mit gule kort"), List.of("sygesikring"));
    add(articles, "snow", "Snerydning på fortovet", List.of("Skal jeg rydde sne foran mit hus?"), List.of("sne"));
    index = KnowledgeIndex.open(dir, Language.DA, TextEmbedder.bundled());
    index.rebuild(articles.values(), 1, done -> { });
    retriever = new HybridRetriever(index, articles, RetrievalSettings.DEFAULTS);
  }

  @AfterEach
  void close() {
    index.close();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      // stemming: inflected forms meet
      "passene til børnene, passport",
      "åbningstid genbrugspladser, recycling",
      // æ/ø/å typed as ae/oe/aa
      "pas til boern, passport",
      "aabningstider genbrugspladsen, recycling",
      "sne paa fortove, snow",
      // compounds: split against the knowledge base's own words
      "storskraldsafhentning, bulky-waste",
      "sygesikringskortet, health-card",
      "genbrugspladsåbningstider, recycling",
  })
  void should_find_danish_words_in_any_form(String question, String expected) {
    Retrieval retrieval = retriever.retrieve(question, LocalDate.of(2026, 6, 1));

    assertEquals(expected, retrieval.best().orElseThrow(() -> new AssertionError("nothing found")).slug());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"hvad bliver vejret i morgen", "hvem vinder fodboldkampen",
      // a compound the articles lack is not covered by an article holding one of its parts ("kort", "sne")
      "kreditkort", "snescooter"})
  void should_not_be_confident_about_words_it_does_not_know(String question) {
    Retrieval retrieval = retriever.retrieve(question, LocalDate.of(2026, 6, 1));

    assertEquals(false, retrieval.confident(), "confidence " + retrieval.best().map(RetrievalHit::confidence));
  }

  private static void add(Map<String, Article> articles, String slug, String title, List<String> questions,
                          List<String> keywords) {
    ArticleContent content = ArticleContent.builder().slug(slug).lang(Language.DA).title(title).area("test")
        .questions(questions).keywords(keywords).answer(title + ". Læs mere på hjemmesiden.")
        .spoken(title).sourceUrl("https://www.eksempel-kommune.dk/" + slug).build();
    articles.put(slug, new Article("t", content, 1, Article.Status.PUBLISHED, "test", Instant.EPOCH));
  }
}
