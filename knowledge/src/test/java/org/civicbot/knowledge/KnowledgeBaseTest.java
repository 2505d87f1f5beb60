package org.civicbot.knowledge;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.civicbot.knowledge.db.Database;
import org.civicbot.knowledge.embedding.TextEmbedder;
import org.civicbot.knowledge.retrieval.Retrieval;
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
import java.util.Comparator;
import java.util.stream.Stream;

import static org.civicbot.knowledge.testing.Articles.article;
import static org.civicbot.knowledge.testing.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(VertxExtension.class)
class KnowledgeBaseTest {
  private static final TextEmbedder EMBEDDER = TextEmbedder.bundled();

  @TempDir
  Path indexDir;
  private Vertx vertx;
  private Database database;
  private ArticleStore store;
  private String tenant;

  @BeforeEach
  void setUp(Vertx vertx) {
    this.vertx = vertx;
    database = TestDatabase.open(vertx);
    store = ArticleStore.create(database.pool());
    tenant = TestDatabase.uniqueTenant("kb");
    await(store.ensureTenant(tenant, "KB"));
    await(store.saveRevision(tenant, article("ferry", Language.EN, "Ferry timetable", "when does the ferry leave"),
        "alice"));
    await(store.publish(tenant, "ferry", Language.EN, 1));
    await(store.saveRevision(tenant, article("ferry", Language.DA, "Færgens køreplan", "hvornår sejler færgen"),
        "alice"));
    await(store.publish(tenant, "ferry", Language.DA, 1));
  }

  @AfterEach
  void tearDown() {
    database.pool().close();
  }

  @Test
  void should_reflect_a_newly_published_revision_at_once() {
    try (KnowledgeBase kb = open()) {
      await(kb.start());
      assertEquals("ferry", best(kb, Language.EN, "ferry timetable"));

      Article draft = await(store.saveRevision(tenant, article("ferry", Language.EN, "Harbour bus timetable",
          "when does the harbour bus leave"), "bob"));
      assertEquals("ferry", best(kb, Language.EN, "ferry timetable"), "a draft changes nothing for citizens");

      await(kb.publish(tenant, "ferry", Language.EN, draft.revision()));

      Retrieval after = await(kb.retrieve(tenant, Language.EN, "harbour bus"));
      assertEquals("ferry", after.best().orElseThrow().slug());
      assertEquals(2, after.best().orElseThrow().revision());
      assertTrue(await(kb.retrieve(tenant, Language.EN, "timetable ferry")).best()
          .map(hit -> hit.signals().coverage() < 1).orElse(true), "the old wording is gone from the index");
    }
  }

  @Test
  void should_rebuild_a_missing_index_at_startup() throws IOException {
    try (KnowledgeBase kb = open()) {
      await(kb.start());
    }
    deleteTree(indexDir);

    try (KnowledgeBase kb = open()) {
      await(kb.start());
      assertEquals("ferry", best(kb, Language.DA, "faergen sejler"));
    }
  }

  @Test
  void should_rebuild_a_stale_index_at_startup() {
    try (KnowledgeBase kb = open()) {
      await(kb.start());
    }
    // Published while no server ran: the index on disk is now behind the database.
    Article next = await(store.saveRevision(tenant, article("ferry", Language.DA, "Havnebussens køreplan",
        "hvornår kører havnebussen"), "bob"));
    await(store.publish(tenant, "ferry", Language.DA, next.revision()));

    try (KnowledgeBase kb = open()) {
      await(kb.start());
      Retrieval retrieval = await(kb.retrieve(tenant, Language.DA, "havnebussen"));
      assertEquals("ferry", retrieval.best().orElseThrow().slug());
      assertEquals(1.0, retrieval.best().orElseThrow().signals().coverage(), 1e-9);
    }
  }

  @Test
  void should_pick_up_what_another_process_published() {
    try (KnowledgeBase kb = open()) {
      await(kb.start());
      await(store.saveRevision(tenant, article("beach", Language.EN, "Beach lifeguards", "is there a lifeguard"),
          "other"));
      await(store.publish(tenant, "beach", Language.EN, 1));
      assertFalse(await(kb.retrieve(tenant, Language.EN, "lifeguard")).best().map(h -> h.slug().equals("beach"))
          .orElse(false));

      await(kb.refreshStale());

      assertEquals("beach", best(kb, Language.EN, "lifeguard"));
    }
  }

  private KnowledgeBase open() {
    return KnowledgeBase.create(vertx, store, indexDir, EMBEDDER, RetrievalSettings.DEFAULTS, Clock.systemUTC());
  }

  private String best(KnowledgeBase kb, Language lang, String question) {
    return await(kb.retrieve(tenant, lang, question)).best().orElseThrow().slug();
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
    assertFalse(Files.exists(dir));
  }

}
