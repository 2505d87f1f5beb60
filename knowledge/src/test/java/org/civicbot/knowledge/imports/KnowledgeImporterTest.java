package org.civicbot.knowledge.imports;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.civicbot.knowledge.Article;
import org.civicbot.knowledge.ArticleContent;
import org.civicbot.knowledge.KnowledgeBase;
import org.civicbot.knowledge.Language;
import org.civicbot.knowledge.db.Database;
import org.civicbot.knowledge.embedding.TextEmbedder;
import org.civicbot.knowledge.retrieval.RetrievalSettings;
import org.civicbot.knowledge.store.ArticleStore;
import org.civicbot.knowledge.testing.TestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import static org.civicbot.knowledge.testing.Articles.article;
import static org.civicbot.knowledge.testing.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(VertxExtension.class)
class KnowledgeImporterTest {
  private static final TextEmbedder EMBEDDER = TextEmbedder.bundled();

  @TempDir
  Path folder;
  @TempDir
  Path indexDir;
  private Database database;
  private KnowledgeBase kb;
  private String tenant;

  @BeforeEach
  void setUp(Vertx vertx) {
    database = TestDatabase.open(vertx);
    kb = KnowledgeBase.create(vertx, ArticleStore.create(database.pool()), indexDir, EMBEDDER,
        RetrievalSettings.DEFAULTS, Clock.systemUTC());
    tenant = TestDatabase.uniqueTenant("imp");
  }

  @AfterEach
  void tearDown() {
    kb.close();
    database.pool().close();
  }

  @Test
  void should_import_good_files_and_report_the_malformed_one_without_losing_the_rest() throws IOException {
    write("en/parking.md", article("parking", Language.EN, "Resident parking permit", "how do I get a parking permit"));
    write("da/parking.md", article("parking", Language.DA, "Beboerlicens", "hvordan får jeg en beboerlicens"));
    Files.writeString(folder.resolve("en/broken.md"), "---\nslug: \"broken\"\nlang: \"en\"\n");

    KnowledgeImporter.Report report = importFolder();

    assertEquals(2, report.created());
    assertEquals(2, report.published());
    assertEquals(1, report.problems().size());
    assertEquals("en/broken.md".replace('/', java.io.File.separatorChar), report.problems().get(0).file());
    assertTrue(report.problems().get(0).message().contains("not closed"), report.problems().get(0).message());
    ArticleStore store = kb.store();
    assertEquals(List.of("parking"), slugs(await(store.published(tenant, Language.EN))));
    assertEquals(List.of("parking"), slugs(await(store.published(tenant, Language.DA))));
    assertEquals("parking", await(kb.retrieve(tenant, Language.EN, "parking permit")).best().orElseThrow().slug(),
        "the index reflects the import");
  }

  @Test
  void should_refuse_both_files_of_a_duplicate_slug_and_language() throws IOException {
    write("a.md", article("library", Language.EN, "Library card", "how do I get a library card"));
    write("b.md", article("library", Language.EN, "Library opening hours", "when is the library open"));
    write("c.md", article("voting", Language.EN, "Voting", "where do I vote"));

    KnowledgeImporter.Report report = importFolder();

    assertEquals(1, report.created());
    assertEquals(List.of("a.md", "b.md"), report.problems().stream().map(ArticleFolder.Problem::file).toList());
    assertTrue(report.problems().get(0).message().contains("duplicate article library (en)"),
        report.problems().get(0).message());
    assertEquals(List.of("voting"), slugs(await(kb.store().published(tenant, Language.EN))));
  }

  @Test
  void should_add_a_revision_only_for_changed_files_when_imported_again() throws IOException {
    ArticleContent waste = article("waste", Language.EN, "Waste collection", "when is my bin emptied");
    write("waste.md", waste);
    write("tax.md", article("tax", Language.EN, "Tax", "where is my tax card"));
    importFolder();

    write("waste.md", waste.toBuilder().questions(List.of("when is my bin emptied", "missed bin collection"))
        .build());
    KnowledgeImporter.Report again = importFolder();

    assertEquals(0, again.created());
    assertEquals(1, again.updated());
    assertEquals(1, again.unchanged());
    List<Article> revisions = await(kb.store().revisions(tenant, "waste", Language.EN));
    assertEquals(2, revisions.size());
    assertEquals(Article.Status.PUBLISHED, revisions.get(1).status());
    assertEquals(1, await(kb.store().revisions(tenant, "tax", Language.EN)).size());
  }

  @Test
  void should_read_every_file_of_the_sample_knowledge_base() {
    ArticleFolder.Contents sample = ArticleFolder.readSample();

    assertEquals(List.of(), sample.problems());
    assertTrue(sample.entries().size() >= 20, "sample has " + sample.entries().size() + " articles");
    for (ArticleFolder.Entry entry : sample.entries()) {
      ArticleContent c = entry.article().content();
      assertTrue(c.questions().size() >= 5, entry.file() + " has fewer than five phrasings");
      assertTrue(entry.file().startsWith(c.lang().code()), entry.file() + " is in the wrong language folder");
      assertTrue(entry.file().endsWith(c.slug() + ".md"), entry.file() + " is not named after its slug");
    }
  }

  private KnowledgeImporter.Report importFolder() {
    return await(new KnowledgeImporter(kb).importContents(tenant, ArticleFolder.read(folder), "test",
        (done, total) -> { }));
  }

  private void write(String name, ArticleContent content) throws IOException {
    Path file = folder.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, ArticleFile.format(content, true));
  }

  private static List<String> slugs(List<Article> articles) {
    return articles.stream().map(Article::slug).toList();
  }
}
