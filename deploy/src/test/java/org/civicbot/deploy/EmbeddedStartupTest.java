package org.civicbot.deploy;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.civicbot.knowledge.Language;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.civicbot.knowledge.testing.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The README's path: no database configured, so CivicBot runs its own PostgreSQL in the data directory (also when
 * the tests run as root), imports the sample knowledge base on first start, and keeps everything across a restart.
 */
@ExtendWith(VertxExtension.class)
class EmbeddedStartupTest {
  @TempDir
  Path dataDir;

  @Test
  void should_start_on_an_embedded_database_with_the_sample_knowledge_base_and_keep_it_across_restarts(Vertx vertx) {
    Config config = Config.fromEnvironment(Map.of("CIVICBOT_PORT", "0", "CIVICBOT_DATA_DIR", dataDir.toString()));

    long articles;
    CivicBot first = await(CivicBot.start(config, vertx));
    try {
      await(first.whenReady(), 300);
      assertEquals(200, new HttpTestClient(first.port()).get("/health").status());
      articles = await(first.knowledgeBase().store().countArticles("eksempel"));
      assertTrue(articles >= 20, "sample articles imported: " + articles);
      assertEquals("passport-adult", await(first.knowledgeBase().retrieve("eksempel", Language.EN,
          "renew my passport")).best().orElseThrow().slug());
    } finally {
      await(first.stop());
    }
    assertTrue(Files.exists(dataDir.resolve("postgres/pgdata/PG_VERSION")), "data kept in the data dir");

    CivicBot second = await(CivicBot.start(config, vertx));
    try {
      await(second.whenReady(), 300);
      assertEquals(articles, await(second.knowledgeBase().store().countArticles("eksempel")));
      assertEquals(1, await(second.knowledgeBase().store().revisions("eksempel", "passport-adult", Language.EN))
          .size(), "the sample is imported once, not again at every start");
    } finally {
      await(second.stop());
    }
  }
}
