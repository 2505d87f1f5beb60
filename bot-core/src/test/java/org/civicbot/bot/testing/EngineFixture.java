package org.civicbot.bot.testing;

import io.vertx.core.Vertx;
import org.civicbot.bot.BotEngine;
import org.civicbot.bot.BotReply;
import org.civicbot.bot.InboundMessage;
import org.civicbot.bot.conversation.ConversationStore;
import org.civicbot.bot.language.LanguageDetector;
import org.civicbot.knowledge.ArticleContent;
import org.civicbot.knowledge.KnowledgeBase;
import org.civicbot.knowledge.Language;
import org.civicbot.knowledge.db.Database;
import org.civicbot.knowledge.embedding.TextEmbedder;
import org.civicbot.knowledge.imports.ArticleFile;
import org.civicbot.knowledge.imports.ArticleFolder;
import org.civicbot.knowledge.imports.KnowledgeImporter;
import org.civicbot.knowledge.retrieval.RetrievalSettings;
import org.civicbot.knowledge.store.ArticleStore;
import org.civicbot.knowledge.testing.TestDatabase;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.civicbot.knowledge.testing.Await.await;

/**
 * A real engine on the real test PostgreSQL with a real knowledge base: either the sample knowledge base (shared by
 * the tests of one JVM, built once) or a tenant of a test's own articles.
 */
public final class EngineFixture implements AutoCloseable {
  private static final TextEmbedder EMBEDDER = TextEmbedder.bundled();
  private static LanguageDetector.LanguageModel languageModel;
  private static EngineFixture sample;

  public final Vertx vertx;
  public final Database database;
  public final KnowledgeBase knowledgeBase;
  public final ConversationStore conversations;
  public final BotEngine engine;
  public final String tenant;
  /** The database URL of a tenant with its own database; empty for the shared test database. */
  private final Optional<String> databaseUrl;

  /**
   * Opens everything anew, as a starting server does, and imports {@code articles} (the sample knowledge base when
   * null, nothing when empty).
   */
  private EngineFixture(String tenant, Optional<String> databaseUrl, List<ArticleContent> articles) {
    try {
      this.tenant = tenant;
      this.databaseUrl = databaseUrl;
      vertx = Vertx.vertx();
      database = databaseUrl.isPresent()
          ? Database.open(vertx, databaseUrl, Path.of("target"), 4) : TestDatabase.open(vertx);
      ArticleStore store = ArticleStore.create(database.pool());
      Path indexDir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "engine-index");
      knowledgeBase = KnowledgeBase.create(vertx, store, indexDir, EMBEDDER, RetrievalSettings.DEFAULTS,
          Clock.systemDefaultZone());
      await(store.ensureTenant(tenant, "Test " + tenant));
      if (articles == null || !articles.isEmpty()) {
        ArticleFolder.Contents contents = articles == null ? ArticleFolder.readSample()
            : new ArticleFolder.Contents(articles.stream()
                .map(a -> new ArticleFolder.Entry(a.slug() + "." + a.lang().code(), new ArticleFile(a, true)))
                .toList(), List.of());
        await(new KnowledgeImporter(knowledgeBase).importContents(tenant, contents, "test", (done, total) -> {
        }), 300);
      }
      await(knowledgeBase.start(), 300);
      conversations = ConversationStore.create(vertx, database.pool());
      engine = BotEngine.builder().vertx(vertx).knowledgeBase(knowledgeBase).conversations(conversations)
          .languageModel(languageModel()).build();
      engine.prepare(tenant);
    } catch (java.io.IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The sample knowledge base of Eksempel Kommune, shared by the tests of this JVM. */
  public static synchronized EngineFixture sample() {
    if (sample == null) {
      sample = new EngineFixture(TestDatabase.uniqueTenant("sample"), Optional.empty(), null);
    }
    return sample;
  }

  /** A tenant holding only {@code articles}, in a database of its own; close it after the test. */
  public static EngineFixture of(List<ArticleContent> articles) {
    if (articles.isEmpty()) {
      throw new IllegalArgumentException("a tenant of one's own needs articles");
    }
    return new EngineFixture(TestDatabase.uniqueTenant("own"), Optional.of(TestDatabase.freshDatabaseUrl()),
        articles);
  }

  /**
   * Closes this engine, its knowledge base, pool and Vert.x, and opens a new one on the same database with a new
   * (empty) index directory, as a restarted server would: nothing survives but what PostgreSQL holds.
   */
  public EngineFixture restart() {
    if (databaseUrl.isEmpty()) {
      throw new IllegalStateException("only a tenant with its own database can restart");
    }
    close();
    return new EngineFixture(tenant, databaseUrl, List.of());
  }

  public static synchronized LanguageDetector.LanguageModel languageModel() {
    if (languageModel == null) {
      languageModel = LanguageDetector.loadModel();
    }
    return languageModel;
  }

  public UUID start(Language lang) {
    return await(engine.start(tenant, "web", Optional.empty(), Optional.of(lang))).conversation().id();
  }

  public BotReply say(UUID conversation, String text) {
    return await(engine.handle(InboundMessage.of(tenant, conversation, "web", text)));
  }

  @Override
  public void close() {
    if (this == sample) {
      return;
    }
    knowledgeBase.close();
    database.pool().close();
    await(vertx.close());
  }
}
