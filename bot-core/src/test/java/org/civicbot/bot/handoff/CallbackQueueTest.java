package org.civicbot.bot.handoff;

import org.civicbot.bot.testing.EngineFixture;
import org.civicbot.knowledge.ArticleContent;
import org.civicbot.knowledge.Language;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.civicbot.knowledge.testing.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The callback queue on a real PostgreSQL, next to the conversations it belongs to. */
class CallbackQueueTest {
  private static EngineFixture bot;
  private static CallbackQueue queue;

  @BeforeAll
  static void start() {
    bot = EngineFixture.of(List.of(ArticleContent.builder().slug("library-hours").lang(Language.EN)
        .title("Library opening hours").area("Culture").questions(List.of("When is the library open?"))
        .answer("The library is open 8-22.").spoken("The library is open from 8 to 22.")
        .sourceUrl("https://www.example.org/library").build()));
    queue = CallbackQueue.create(bot.database.pool());
  }

  @AfterAll
  static void stop() {
    bot.close();
  }

  @Test
  void should_keep_one_request_per_conversation_until_someone_handles_it() {
    UUID conversation = bot.start(Language.DA);
    CallbackRequest first = await(queue.request(bot.tenant, conversation, "+4520304050", Language.DA));
    CallbackRequest again = await(queue.request(bot.tenant, conversation, "+4599999999", Language.DA));
    assertEquals(first.id(), again.id(), "asking twice in one conversation keeps the first request");
    assertEquals("+4520304050", again.phoneNumber().orElseThrow());
    assertTrue(first.open());

    List<CallbackRequest> open = await(queue.list(Optional.of(bot.tenant), false));
    assertTrue(open.stream().anyMatch(r -> r.id().equals(first.id())));
    assertTrue(await(queue.list(Optional.of("another-tenant"), false)).isEmpty(), "tenants see only their own");

    CallbackRequest handled = await(queue.markHandled(first.id(), "Mette")).orElseThrow();
    assertFalse(handled.open());
    assertEquals(Optional.of("Mette"), handled.handledBy());
    Instant at = handled.handledAt().orElseThrow();
    CallbackRequest twice = await(queue.markHandled(first.id(), "Jonas")).orElseThrow();
    assertEquals(Optional.of("Mette"), twice.handledBy(), "the first to handle it stays on record");
    assertEquals(at, twice.handledAt().orElseThrow());

    assertTrue(await(queue.list(Optional.of(bot.tenant), false)).stream().noneMatch(r -> r.id().equals(first.id())));
    assertTrue(await(queue.list(Optional.of(bot.tenant), true)).stream().anyMatch(r -> r.id().equals(first.id())));
    assertTrue(await(queue.markHandled(UUID.randomUUID(), "Mette")).isEmpty());
  }

  @Test
  void should_refuse_a_number_that_is_not_e164_and_store_nothing() {
    UUID conversation = bot.start(Language.EN);
    for (String bad : List.of("anonymous", "20304050", "+0451234567", "+45 20 30 40 50", "client:alice")) {
      assertThrows(IllegalArgumentException.class,
          () -> await(queue.request(bot.tenant, conversation, bad, Language.EN)), bad);
    }
    assertTrue(await(queue.list(Optional.of(bot.tenant), true)).stream()
        .noneMatch(r -> r.conversationId().equals(conversation)));
  }

  @Test
  void should_go_when_retention_deletes_the_conversation() {
    UUID conversation = bot.start(Language.DA);
    CallbackRequest request = await(queue.request(bot.tenant, conversation, "+4520304050", Language.DA));
    await(bot.conversations.deleteInactiveSince(Instant.now().plusSeconds(60)));
    assertTrue(await(queue.list(Optional.empty(), true)).stream().noneMatch(r -> r.id().equals(request.id())),
        "the number is not kept beyond the conversation's retention");
  }
}
