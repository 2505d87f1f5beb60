package org.civicbot.bot;

import io.vertx.core.json.JsonObject;
import org.civicbot.bot.conversation.Conversation;
import org.civicbot.bot.conversation.ConversationEvent;
import org.civicbot.bot.conversation.EventType;
import org.civicbot.bot.conversation.Resolution;
import org.civicbot.bot.testing.EngineFixture;
import org.civicbot.knowledge.ArticleContent;
import org.civicbot.knowledge.Language;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

import static org.civicbot.knowledge.testing.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The engine on a small knowledge base of the test's own, in a PostgreSQL database of its own: clarification and the
 * citizen's choice, a server restart in the middle of a conversation, and the scheduled end and deletion of
 * conversations.
 */
class ConversationLifecycleTest {
  private EngineFixture bot;

  @BeforeEach
  void ownKnowledgeBase() {
    bot = EngineFixture.of(List.of(
        article("parking-permit-residents", "Parking permit for residents",
            List.of("How do I get a parking permit?", "Where do I apply for a parking permit?",
                "parking permit for my car"),
            "Residents of the inner city apply for a **resident permit** on the self-service site. It costs 400 kr."),
        article("parking-permit-businesses", "Parking permit for businesses",
            List.of("How do I get a parking permit?", "Where do I apply for a parking permit?",
                "parking permit for my van"),
            "Businesses with an address in a paid zone apply for a **business permit**. It costs 2,400 kr."),
        article("passport-adult", "Passport for adults",
            List.of("How do I get a new passport?", "I need to renew my passport", "passport appointment",
                "What does a passport cost?"),
            "Book an appointment at Citizen Service and bring your old passport. A passport costs 725 kr."),
        article("bulky-waste", "Bulky waste collection",
            List.of("How do I get rid of an old sofa?", "When is bulky waste collected?",
                "What does bulky waste collection cost?"),
            "Book a bulky waste collection online. Collection is free twice a year, after that 150 kr."),
        article("library-hours", "Library opening hours",
            List.of("When is the library open?", "library opening hours", "Is the library open on Sunday?"),
            "The main library is open 8-22 every day with your library card, staffed 10-18 on weekdays.")));
  }

  @AfterEach
  void close() {
    bot.close();
  }

  @Test
  void should_ask_which_was_meant_when_two_articles_are_close_and_answer_the_choice() {
    UUID id = bot.start(Language.EN);
    BotReply clarify = bot.say(id, "How do I get a parking permit?");
    assertEquals(Outcome.CLARIFY, clarify.outcome());
    List<String> options = clarify.replies().get(0).suggestions();
    assertEquals(List.of("parking-permit-businesses", "parking-permit-residents"),
        clarify.articles().stream().map(BotReply.ArticleScore::slug).sorted().toList());
    assertTrue(options.contains("Parking permit for businesses"), options.toString());
    assertTrue(clarify.replies().get(0).spoken().matches("Is it about Parking permit for \\w+ or Parking permit for \\w+\\?"),
        clarify.replies().get(0).spoken());

    BotReply chosen = bot.say(id, "for businesses");
    assertEquals(Outcome.ANSWERED, chosen.outcome());
    assertEquals("parking-permit-businesses", chosen.articles().get(0).slug());
    assertTrue(chosen.replies().get(0).text().contains("business permit"));

    UUID other = bot.start(Language.EN);
    BotReply again = bot.say(other, "Where do I apply for a parking permit?");
    assertEquals(Outcome.CLARIFY, again.outcome());
    String second = again.articles().get(1).slug();
    BotReply byNumber = bot.say(other, "the second one");
    assertEquals(Outcome.ANSWERED, byNumber.outcome());
    assertEquals(second, byNumber.articles().get(0).slug(), "the number picks the option in the order offered");
  }

  @Test
  void should_continue_a_conversation_after_a_restart() {
    UUID id = bot.start(Language.EN);
    BotReply first = bot.say(id, "I need to renew my passport");
    assertEquals("passport-adult", first.articles().get(0).slug());

    bot = bot.restart();

    BotReply followUp = bot.say(id, "what does it cost?");
    assertEquals(Outcome.ANSWERED, followUp.outcome());
    assertEquals("passport-adult", followUp.articles().get(0).slug(), "the topic survives the restart");
    assertEquals(first.turn() + 3, followUp.turn(), "the sequence goes on: message in, decision, reply out");
    List<ConversationEvent> events = await(bot.conversations.events(id));
    JsonObject decision = events.stream().filter(e -> e.type() == EventType.DECISION).reduce((a, b) -> b)
        .orElseThrow().payload();
    assertTrue(decision.getJsonObject("followUp").getBoolean("used"), decision.encodePrettily());
    assertEquals(List.of(EventType.STARTED, EventType.DECISION, EventType.REPLY_OUT,
        EventType.MESSAGE_IN, EventType.DECISION, EventType.REPLY_OUT,
        EventType.MESSAGE_IN, EventType.DECISION, EventType.REPLY_OUT),
        events.stream().map(ConversationEvent::type).toList());
  }

  @Test
  void should_end_idle_conversations_with_a_resolution_and_delete_them_after_the_retention_period() {
    UUID helped = bot.start(Language.EN);
    bot.say(helped, "When is the library open?");
    await(bot.engine.feedback(helped, true));
    UUID unhelped = bot.start(Language.EN);
    bot.say(unhelped, "what is the capital of Mongolia");
    UUID waiting = bot.start(Language.EN);
    bot.say(waiting, "I want to talk to a human");
    Duration timeout = Duration.ofMinutes(30);
    Duration retention = Duration.ofDays(90);

    janitorAt(Duration.ofMinutes(5), timeout, retention);
    assertTrue(conversation(helped).endedAt().isEmpty(), "five minutes idle is not over");

    janitorAt(Duration.ofMinutes(31), timeout, retention);
    Conversation ended = conversation(helped);
    assertTrue(ended.endedAt().isPresent());
    assertEquals(Resolution.RESOLVED, ended.resolution().orElseThrow());
    assertEquals(Resolution.UNRESOLVED, conversation(unhelped).resolution().orElseThrow());
    janitorAt(Duration.ofDays(3), timeout, retention);
    assertTrue(conversation(waiting).endedAt().isEmpty(), "a citizen waiting for a person waits over a weekend");
    janitorAt(Duration.ofDays(8), timeout, retention);
    assertEquals(Resolution.ESCALATED, conversation(waiting).resolution().orElseThrow(), "ended after a week");

    janitorAt(Duration.ofDays(89), timeout, retention);
    assertTrue(await(bot.conversations.find(helped)).isPresent(), "kept inside the retention period");

    janitorAt(Duration.ofDays(91), timeout, retention);
    assertTrue(await(bot.conversations.find(helped)).isEmpty());
    assertTrue(await(bot.conversations.find(unhelped)).isEmpty());
    assertTrue(await(bot.conversations.events(helped)).isEmpty(), "the events go with the conversation");
    assertFalse(await(bot.database.pool().query("SELECT count(*) FROM conversation_events").execute())
        .iterator().next().getLong(0) > 0, "no event outlives its conversation");
  }

  private void janitorAt(Duration later, Duration timeout, Duration retention) {
    await(new ConversationJanitor(bot.vertx, bot.engine, bot.conversations, timeout, retention,
        Clock.offset(Clock.systemUTC(), later)).runOnce());
  }

  private Conversation conversation(UUID id) {
    return await(bot.conversations.find(id)).orElseThrow();
  }

  private static ArticleContent article(String slug, String title, List<String> questions, String answer) {
    return ArticleContent.builder().slug(slug).lang(Language.EN).title(title).area("Test").questions(questions)
        .answer(answer).spoken(answer.replace("**", "")).sourceUrl("https://www.example.org/" + slug).build();
  }
}
