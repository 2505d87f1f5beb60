package org.civicbot.knowledge.store;

import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import org.civicbot.knowledge.Article;
import org.civicbot.knowledge.ArticleContent;
import org.civicbot.knowledge.Language;
import org.civicbot.knowledge.db.Database;
import org.civicbot.knowledge.testing.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static org.civicbot.knowledge.testing.Articles.article;
import static org.civicbot.knowledge.testing.Await.await;
import static org.civicbot.knowledge.testing.Await.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

@ExtendWith(VertxExtension.class)
class ArticleStoreTest {
  private static Database database;
  private static ArticleStore store;

  @BeforeAll
  static void openDatabase(Vertx vertx) {
    database = TestDatabase.open(vertx);
    store = ArticleStore.create(database.pool());
  }

  @AfterAll
  static void close() {
    database.pool().close();
  }

  @Test
  void should_store_concepts_and_not_covered_topics_and_bump_the_version_only_on_change() {
    String tenant = TestDatabase.uniqueTenant("concepts");
    await(store.ensureTenant(tenant, "Concepts"));
    List<org.civicbot.knowledge.Concept> concepts = List.of(new org.civicbot.knowledge.Concept("roads",
        java.util.Map.of(Language.DA, List.of("lygtepæl", "gadelampe"), Language.EN, List.of("street light"))));
    long before = await(store.knowledgeVersion(tenant, Language.EN));

    assertEquals(true, await(store.saveConcepts(tenant, concepts)));
    assertEquals(false, await(store.saveConcepts(tenant, concepts)), "the same lists change nothing");
    assertEquals(before + 1, await(store.knowledgeVersion(tenant, Language.EN)));
    assertEquals(concepts, await(store.concepts(tenant)));

    ArticleContent withTopic = article("tax", Language.EN, "Tax", "how do I change my tax card").toBuilder()
        .notCovered(List.of(new org.civicbot.knowledge.NotCovered("VAT", "Companies register on virk.dk.",
            List.of("vat for my company")))).build();
    Article saved = await(store.saveRevision(tenant, withTopic, "test"));
    assertEquals(withTopic.notCovered(), saved.content().notCovered());
  }

  @Test
  void should_keep_every_edit_as_a_new_revision() {
    String tenant = TestDatabase.uniqueTenant("rev");
    await(store.ensureTenant(tenant, "Revisions"));
    ArticleContent first = article("parking", Language.EN, "Parking", "where can I park");
    ArticleContent second = first.toBuilder().title("Parking in town").build();

    Article one = await(store.saveRevision(tenant, first, "alice"));
    Article two = await(store.saveRevision(tenant, second, "bob"));

    assertEquals(1, one.revision());
    assertEquals(2, two.revision());
    List<Article> revisions = await(store.revisions(tenant, "parking", Language.EN));
    assertEquals(List.of("Parking", "Parking in town"), revisions.stream().map(a -> a.content().title()).toList());
    assertEquals(List.of("alice", "bob"), revisions.stream().map(Article::author).toList());
    assertEquals(2, await(store.latest(tenant, "parking", Language.EN)).orElseThrow().revision());
  }

  @Test
  void should_not_create_a_revision_when_content_is_unchanged() {
    String tenant = TestDatabase.uniqueTenant("same");
    await(store.ensureTenant(tenant, "Same"));
    ArticleContent content = article("library", Language.DA, "Bibliotek", "hvornår åbner biblioteket");

    await(store.saveRevision(tenant, content, "alice"));
    Article again = await(store.saveRevision(tenant, content, "alice"));

    assertEquals(1, again.revision());
    assertEquals(1, await(store.revisions(tenant, "library", Language.DA)).size());
  }

  @Test
  void should_show_only_the_published_revision_to_citizens() {
    String tenant = TestDatabase.uniqueTenant("pub");
    await(store.ensureTenant(tenant, "Publish"));
    ArticleContent v1 = article("waste", Language.EN, "Waste v1", "when is my bin emptied");
    await(store.saveRevision(tenant, v1, "alice"));
    assertTrue(await(store.published(tenant, Language.EN)).isEmpty(), "a draft is not published");
    long versionBefore = await(store.knowledgeVersion(tenant, Language.EN));

    await(store.publish(tenant, "waste", Language.EN, 1));
    await(store.saveRevision(tenant, v1.toBuilder().title("Waste v2").build(), "bob"));

    List<Article> published = await(store.published(tenant, Language.EN));
    assertEquals(1, published.size());
    assertEquals("Waste v1", published.get(0).content().title(), "the new draft does not replace what is published");
    assertEquals(Article.Status.PUBLISHED, published.get(0).status());
    assertEquals(Article.Status.DRAFT, await(store.latest(tenant, "waste", Language.EN)).orElseThrow().status());
    assertEquals(versionBefore + 1, await(store.knowledgeVersion(tenant, Language.EN)));

    await(store.publish(tenant, "waste", Language.EN, 2));
    assertEquals("Waste v2", await(store.published(tenant, Language.EN)).get(0).content().title());
  }

  @Test
  void should_refuse_to_publish_a_revision_that_does_not_exist() {
    String tenant = TestDatabase.uniqueTenant("nope");
    await(store.ensureTenant(tenant, "Nope"));
    await(store.saveRevision(tenant, article("tax", Language.EN, "Tax", "tax card"), "alice"));

    Throwable failure = failure(store.publish(tenant, "tax", Language.EN, 7));

    assertInstanceOf(IllegalArgumentException.class, failure);
    assertTrue(failure.getMessage().contains("revision 7"), failure.getMessage());
    assertTrue(await(store.published(tenant, Language.EN)).isEmpty());
  }

  @Test
  void should_keep_tenants_apart() {
    String roskilde = TestDatabase.uniqueTenant("a");
    String odense = TestDatabase.uniqueTenant("b");
    await(store.ensureTenant(roskilde, "A"));
    await(store.ensureTenant(odense, "B"));
    await(store.saveRevision(roskilde, article("parking", Language.DA, "Parkering i A", "parkering"), "a"));
    await(store.publish(roskilde, "parking", Language.DA, 1));
    await(store.saveRevision(odense, article("parking", Language.DA, "Parkering i B", "parkering"), "b"));
    await(store.saveRevision(odense, article("parking", Language.DA, "Parkering i B, ny", "parkering"), "b"));

    assertEquals(List.of("Parkering i A"), await(store.published(roskilde, Language.DA)).stream()
        .map(a -> a.content().title()).toList());
    assertTrue(await(store.published(odense, Language.DA)).isEmpty());
    assertEquals(1, await(store.revisions(roskilde, "parking", Language.DA)).size());
    assertEquals(2, await(store.revisions(odense, "parking", Language.DA)).size());
    assertTrue(failure(store.publish(roskilde, "parking", Language.DA, 2)) instanceof IllegalArgumentException,
        "tenant A cannot publish tenant B's revision 2");
  }
}
