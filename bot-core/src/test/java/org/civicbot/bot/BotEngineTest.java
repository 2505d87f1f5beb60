package org.civicbot.bot;

import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.Tuple;
import org.civicbot.bot.conversation.ConversationEvent;
import org.civicbot.bot.conversation.ConversationStore;
import org.civicbot.bot.conversation.EventType;
import org.civicbot.bot.testing.EngineFixture;
import org.civicbot.knowledge.Language;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.civicbot.knowledge.testing.Await.await;
import static org.civicbot.knowledge.testing.Await.failure;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The engine on the sample knowledge base of Eksempel Kommune, real PostgreSQL and real Lucene indexes. */
class BotEngineTest {
  private static EngineFixture bot;

  @BeforeAll
  static void sampleKnowledgeBase() {
    bot = EngineFixture.sample();
  }

  private List<ConversationEvent> events(UUID id) {
    return await(bot.conversations.events(id));
  }

  @Test
  void should_greet_as_an_automated_assistant_with_a_way_to_a_person() {
    BotEngine.Started started = await(bot.engine.start(bot.tenant, "web", java.util.Optional.empty(),
        java.util.Optional.of(Language.EN)));
    String greeting = started.greeting().replies().get(0).text();
    assertTrue(greeting.contains("automated assistant"), greeting);
    assertTrue(greeting.contains("72 10 00 00"), greeting);
    assertEquals(Outcome.SMALLTALK, started.greeting().outcome());
  }

  @Test
  void should_answer_a_confident_question_with_its_source() {
    UUID id = bot.start(Language.EN);
    BotReply reply = bot.say(id, "How do I renew my passport?");
    assertEquals(Outcome.ANSWERED, reply.outcome());
    assertEquals("passport-adult", reply.articles().get(0).slug());
    BotReply.Message answer = reply.replies().get(0);
    assertTrue(answer.sources().get(0).url().startsWith("https://www.eksempel-kommune.dk/"));
    assertTrue(answer.askFeedback());
    assertFalse(answer.spoken().contains("#"), "the spoken form has no Markdown");
  }

  @Test
  void should_fall_back_rather_than_answer_an_out_of_scope_question() {
    UUID id = bot.start(Language.EN);
    BotReply reply = bot.say(id, "who won the football world cup in 1998");
    assertEquals(Outcome.FALLBACK, reply.outcome());
    assertTrue(reply.replies().get(0).text().contains("72 10 00 00"), "offers the contact options");
    assertTrue(reply.replies().get(0).suggestions().contains("Talk to a person"));
  }

  @Test
  void should_offer_a_person_after_two_fallbacks_and_hand_off_on_yes() {
    UUID id = bot.start(Language.EN);
    assertEquals(Outcome.FALLBACK, bot.say(id, "who won the football match last night").outcome());
    BotReply second = bot.say(id, "which planet is the largest one");
    assertEquals(Outcome.FALLBACK, second.outcome());
    assertTrue(second.replies().get(0).text().contains("talk to a member of staff"), second.replies().get(0).text());
    BotReply yes = bot.say(id, "yes please");
    assertEquals(Outcome.HANDOFF, yes.outcome());
    assertTrue(events(id).stream().anyMatch(e -> e.type() == EventType.HANDOFF));
  }

  @ParameterizedTest
  @ValueSource(strings = {"I'd like to talk to a human", "can I speak to someone at the council",
      "agent please", "jeg vil gerne tale med en medarbejder", "kan jeg snakke med et rigtigt menneske",
      "stil mig om til en sagsbehandler"})
  void should_hand_off_when_a_person_is_asked_for(String text) {
    UUID id = bot.start(Language.DA);
    BotReply reply = bot.say(id, text);
    assertEquals(Outcome.HANDOFF, reply.outcome(), text);
    assertEquals(text.matches(".*(medarbejder|menneske|sagsbehandler).*") ? Language.DA : Language.EN, reply.lang());
  }

  @Test
  void should_make_smalltalk_and_end_on_goodbye() {
    UUID id = bot.start(Language.DA);
    assertEquals(Outcome.SMALLTALK, bot.say(id, "hej").outcome());
    assertEquals(Outcome.ANSWERED, bot.say(id, "hvordan får jeg et nyt pas").outcome());
    BotReply thanks = bot.say(id, "tusind tak");
    assertEquals(Outcome.SMALLTALK, thanks.outcome());
    assertEquals(Language.DA, thanks.lang());
    assertEquals(Outcome.SMALLTALK, bot.say(id, "farvel").outcome());
    var conversation = await(bot.conversations.find(id)).orElseThrow();
    assertTrue(conversation.endedAt().isPresent());
    assertEquals("RESOLVED", conversation.resolution().orElseThrow().name());
  }

  @Test
  void should_continue_the_topic_in_a_follow_up_question() {
    UUID id = bot.start(Language.EN);
    assertEquals("passport-adult", bot.say(id, "I need a new passport").articles().get(0).slug());
    BotReply followUp = bot.say(id, "what does it cost?");
    assertEquals(Outcome.ANSWERED, followUp.outcome());
    assertTrue(followUp.articles().get(0).slug().startsWith("passport"), followUp.articles().toString());
    JsonObject trace = lastDecision(id);
    assertTrue(trace.getJsonObject("followUp").getBoolean("used"), trace.encodePrettily());
  }

  @Test
  void should_reply_in_the_language_the_citizen_switches_to() {
    UUID id = bot.start(Language.DA);
    BotReply danish = bot.say(id, "hvornår har genbrugspladsen åbent");
    assertEquals(Language.DA, danish.lang());
    assertEquals(Outcome.ANSWERED, danish.outcome());
    BotReply english = bot.say(id, "sorry, my Danish is bad. When is the recycling centre open?");
    assertEquals(Language.EN, english.lang());
    assertEquals(danish.articles().get(0).slug(), english.articles().get(0).slug());
    assertEquals("en", await(bot.conversations.find(id)).orElseThrow().lang().code());
  }

  @Test
  void should_tell_the_language_of_very_short_messages() {
    assertEquals(Language.DA, bot.say(bot.start(Language.EN), "pas?").lang());
    assertEquals(Language.DA, bot.say(bot.start(Language.EN), "hej").lang());
    assertEquals(Language.EN, bot.say(bot.start(Language.DA), "hello").lang());
    assertEquals(Language.EN, bot.say(bot.start(Language.DA), "parking fine?").lang());
  }

  @Test
  void should_answer_an_emergency_first_whatever_else_is_asked() {
    UUID id = bot.start(Language.EN);
    BotReply reply = bot.say(id, "my dad collapsed and is not breathing, and I also need a parking permit");
    assertEquals(Outcome.ANSWERED, reply.outcome());
    assertEquals("emergency", reply.articles().get(0).slug());
  }

  @Test
  void should_store_no_personal_data() {
    UUID id = bot.start(Language.DA);
    bot.say(id, "mit cpr er 010190-1234 og 0202021234, ring på +45 12 34 56 78 eller 87654321,"
        + " skriv til anna@example.dk, kort 4111 1111 1111 1111 - hvad med mit pas?");
    List<String> rows = new ArrayList<>();
    for (Row row : await(bot.database.pool().preparedQuery(
        "SELECT payload::text FROM conversation_events WHERE conversation_id = $1").execute(Tuple.of(id)))) {
      rows.add(row.getString(0));
    }
    String stored = String.join("\n", rows);
    for (String secret : List.of("010190", "1234", "0202021234", "12 34 56 78", "87654321", "anna@example.dk",
        "4111")) {
      assertFalse(stored.contains(secret), "stored rows contain " + secret + ": " + stored);
    }
    for (String placeholder : List.of("[cpr]", "[phone]", "[email]", "[card]")) {
      assertTrue(stored.contains(placeholder), placeholder);
    }
    assertTrue(lastDecision(id).getJsonObject("retrieval").getString("query").contains("[cpr]"),
        "retrieval sees the redacted text");
  }

  @Test
  void should_take_feedback_in_words_after_an_answer() {
    UUID id = bot.start(Language.EN);
    bot.say(id, "when is my bin emptied");
    BotReply yes = bot.say(id, "yes");
    assertEquals(Outcome.SMALLTALK, yes.outcome());
    ConversationEvent feedback = events(id).stream().filter(e -> e.type() == EventType.FEEDBACK).findFirst()
        .orElseThrow();
    assertTrue(feedback.payload().getBoolean("resolved"));
  }

  @Test
  void should_offer_a_person_after_negative_feedback_from_a_button() {
    UUID id = bot.start(Language.EN);
    bot.say(id, "when is my bin emptied");
    BotReply reply = await(bot.engine.feedback(id, false));
    assertTrue(reply.replies().get(0).suggestions().contains("Talk to a person"));
    assertFalse(events(id).stream().filter(e -> e.type() == EventType.FEEDBACK).findFirst().orElseThrow()
        .payload().getBoolean("resolved"));
  }

  @Test
  void should_serialize_two_concurrent_messages_to_one_conversation() {
    UUID id = bot.start(Language.EN);
    Future<BotReply> first = bot.engine.handle(InboundMessage.of(bot.tenant, id, "web", "parking fine"));
    Future<BotReply> second = bot.engine.handle(InboundMessage.of(bot.tenant, id, "web", "bulky waste pickup"));
    await(Future.all(first, second));
    List<EventType> types = events(id).stream().map(ConversationEvent::type).toList();
    // the greeting, then each message followed by its own decision and reply: no interleaving
    assertEquals(List.of(EventType.STARTED, EventType.DECISION, EventType.REPLY_OUT,
        EventType.MESSAGE_IN, EventType.DECISION, EventType.REPLY_OUT,
        EventType.MESSAGE_IN, EventType.DECISION, EventType.REPLY_OUT), types);
    assertTrue(await(first).turn() != await(second).turn());
  }

  @Test
  void should_refuse_an_unknown_conversation_and_another_tenants_conversation() {
    assertInstanceOf(ConversationStore.UnknownConversationException.class,
        failure(bot.engine.handle(InboundMessage.of(bot.tenant, UUID.randomUUID(), "web", "hello"))));
    UUID id = bot.start(Language.EN);
    assertInstanceOf(ConversationStore.UnknownConversationException.class,
        failure(bot.engine.handle(InboundMessage.of("another-tenant", id, "web", "hello"))));
  }

  private JsonObject lastDecision(UUID id) {
    List<ConversationEvent> decisions = events(id).stream().filter(e -> e.type() == EventType.DECISION).toList();
    return decisions.get(decisions.size() - 1).payload();
  }
}
