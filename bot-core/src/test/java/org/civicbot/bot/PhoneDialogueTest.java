package org.civicbot.bot;

import io.vertx.core.json.JsonObject;
import org.civicbot.bot.conversation.ConversationEvent;
import org.civicbot.bot.conversation.EventType;
import org.civicbot.bot.testing.EngineFixture;
import org.civicbot.knowledge.ArticleContent;
import org.civicbot.knowledge.Language;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import static org.civicbot.knowledge.testing.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The phone's dialogue in the engine, on a small knowledge base in a database of its own: the text-message offer
 * after an answer, repeat, silence, a request for a person as a transfer or a callback offer, a language named, and
 * all of it stored in the conversation's log, so it goes on after a restart.
 */
class PhoneDialogueTest {
  private static final PhoneTexts TEXTS = PhoneTexts.bundled();
  private static final Set<Language> BOTH = Set.of(Language.DA, Language.EN);
  /** Open hours: a person can take the call. */
  private static final ChannelAbilities STAFFED = new ChannelAbilities(true, true, true, true, BOTH);
  /** Closed: a callback on the caller's number is offered. */
  private static final ChannelAbilities CLOSED = new ChannelAbilities(true, true, false, true, BOTH);
  private static EngineFixture bot;

  @BeforeAll
  static void ownKnowledgeBase() {
    bot = EngineFixture.of(List.of(
        article("passport-adult", "Passport for adults",
            List.of("How do I get a new passport?", "I need to renew my passport", "passport appointment"),
            "Book an appointment at Citizen Service and bring your old passport. A passport costs 725 kr."),
        article("bulky-waste", "Bulky waste collection",
            List.of("How do I get rid of an old sofa?", "When is bulky waste collected?"),
            "Book a bulky waste collection online. Collection is free twice a year.")));
  }

  @AfterAll
  static void close() {
    bot.close();
  }

  private static ArticleContent article(String slug, String title, List<String> questions, String answer) {
    return ArticleContent.builder().slug(slug).lang(Language.EN).title(title).area("Test").questions(questions).answer(answer)
        .spoken(answer).sourceUrl("https://www.eksempel-kommune.dk/" + slug).build();
  }

  private static BotReply say(UUID id, String text, ChannelAbilities abilities) {
    return await(bot.engine.handle(new InboundMessage(bot.tenant, id, "phone", text, Optional.of(Language.EN),
        Map.of(), abilities)));
  }

  private static BotReply signal(UUID id, Signal signal) {
    return await(bot.engine.signal(id, signal, STAFFED));
  }

  @Test
  void should_offer_the_answer_by_text_message_and_send_it_on_yes_even_after_a_restart() {
    UUID id = bot.start(Language.EN);
    BotReply answer = say(id, "I need to renew my passport", STAFFED);
    assertEquals(Outcome.ANSWERED, answer.outcome());
    assertTrue(answer.spoken().endsWith(TEXTS.get(Language.EN, "afterAnswerSms")), answer.spoken());
    assertTrue(answer.expectsShortAnswer(), "a yes/no question was asked");

    bot = bot.restart();

    BotReply repeated = say(id, "say that again", STAFFED);
    assertEquals(answer.spoken(), repeated.spoken(), "repeat says the answer and its offer again");
    assertTrue(repeated.expectsShortAnswer());
    BotReply accepted = say(id, "yes please", STAFFED);
    assertEquals(ChannelAction.SEND_TEXT_MESSAGE, accepted.action());
    BotReply.Message text = accepted.replies().get(0);
    assertTrue(text.text().contains("725 kr"), "the answer is what is texted: " + text.text());
    assertEquals("https://www.eksempel-kommune.dk/passport-adult", text.sources().get(0).url());

    BotReply sent = signal(id, Signal.TEXT_MESSAGE_SENT);
    assertEquals(TEXTS.get(Language.EN, "smsSent"), sent.spoken());
    List<ConversationEvent> events = await(bot.conversations.events(id));
    assertTrue(events.stream().anyMatch(e -> e.type() == EventType.SIGNAL
        && "text_message_sent".equals(e.payload().getString("kind"))), "the signal is in the log");
    assertTrue(events.stream().anyMatch(e -> e.type() == EventType.DECISION
        && "text message accepted".equals(e.payload().getString("reason"))), "so is the decision to text");
  }

  @Test
  void should_not_take_a_yes_to_a_text_message_when_none_can_be_sent() {
    UUID id = bot.start(Language.EN);
    ChannelAbilities noSms = new ChannelAbilities(true, false, true, false, BOTH);
    BotReply answer = say(id, "I need to renew my passport", noSms);
    assertTrue(answer.spoken().endsWith(TEXTS.get(Language.EN, "afterAnswer")), answer.spoken());
    assertFalse(answer.expectsShortAnswer());
    assertEquals(ChannelAction.NONE, say(id, "yes", noSms).action());
  }

  @Test
  void should_prompt_on_silence_and_end_the_call_on_the_second() {
    UUID id = bot.start(Language.EN);
    BotReply prompt = signal(id, Signal.SILENCE);
    assertEquals(TEXTS.get(Language.EN, "stillThere"), prompt.spoken());
    assertFalse(prompt.ended());
    BotReply goodbye = signal(id, Signal.SILENCE);
    assertEquals(TEXTS.get(Language.EN, "goodbyeSilence"), goodbye.spoken());
    assertTrue(goodbye.ended(), "the second silence ends the call");
    assertEquals("silence", await(bot.conversations.events(id)).stream().filter(e -> e.type() == EventType.ENDED)
        .findFirst().orElseThrow().payload().getString("reason"));
  }

  @Test
  void should_count_silence_again_after_the_caller_spoke() {
    UUID id = bot.start(Language.EN);
    signal(id, Signal.SILENCE);
    say(id, "how do I get rid of an old sofa", STAFFED);
    assertFalse(signal(id, Signal.SILENCE).ended(), "a caller who spoke in between gets a prompt again");
  }

  @ParameterizedTest
  @ValueSource(strings = {"I would like to talk to a person", "can I speak to someone please",
      "put me through to a member of staff"})
  void should_put_spoken_requests_for_a_person_through_when_someone_takes_calls(String request) {
    UUID id = bot.start(Language.EN);
    BotReply reply = say(id, request, STAFFED);
    assertEquals(Outcome.HANDOFF, reply.outcome(), request);
    assertEquals(ChannelAction.TRANSFER, reply.action());
  }

  @Test
  void should_offer_a_callback_when_no_one_takes_calls_and_file_it_on_yes() {
    UUID id = bot.start(Language.EN);
    BotReply offer = say(id, "I want to talk to a human", CLOSED);
    assertEquals(Outcome.HANDOFF, offer.outcome());
    assertEquals(ChannelAction.NONE, offer.action(), "no transfer outside opening hours");
    assertEquals(TEXTS.get(Language.EN, "callbackOffer"), offer.spoken());
    assertTrue(offer.expectsShortAnswer());

    BotReply accepted = say(id, "yes", CLOSED);
    assertEquals(ChannelAction.REQUEST_CALLBACK, accepted.action());
    BotReply recorded = await(bot.engine.recordCallback(id, UUID.randomUUID(), "50"));
    assertTrue(recorded.spoken().contains("5 0"), "the number's last digits, one by one: " + recorded.spoken());
    JsonObject handoff = await(bot.conversations.events(id)).stream().filter(e -> e.type() == EventType.HANDOFF)
        .reduce((a, b) -> b).orElseThrow().payload();
    assertEquals("callback requested", handoff.getString("reason"));
  }

  @Test
  void should_switch_language_when_the_caller_names_one_or_presses_its_key() {
    UUID id = bot.start(Language.EN);
    BotReply danish = say(id, "dansk", STAFFED);
    assertEquals(Language.DA, danish.lang());
    assertEquals(TEXTS.get(Language.DA, "anythingElse"), danish.spoken());

    BotReply english = signal(id, Signal.CHOSE_ENGLISH);
    assertEquals(Language.EN, english.lang());
    BotReply unchanged = signal(id, Signal.CHOSE_ENGLISH);
    assertTrue(unchanged.spoken().isBlank(), "the language spoken already: nothing to say");

    ChannelAbilities englishOnly = new ChannelAbilities(true, true, true, true, Set.of(Language.EN));
    assertEquals(Language.EN, await(bot.engine.signal(id, Signal.CHOSE_DANISH, englishOnly)).lang(),
        "a language the line cannot understand is not switched to");
  }

  @Test
  void should_apologize_and_transfer_when_nothing_can_be_heard() {
    UUID id = bot.start(Language.EN);
    BotReply staffed = signal(id, Signal.CANNOT_LISTEN);
    assertEquals(ChannelAction.TRANSFER, staffed.action());
    assertTrue(staffed.spoken().startsWith(TEXTS.get(Language.EN, "cannotListen")), staffed.spoken());

    UUID other = bot.start(Language.EN);
    BotReply closed = await(bot.engine.signal(other, Signal.CANNOT_LISTEN, CLOSED));
    assertTrue(closed.ended(), "no one to put the caller through to: say when to call, then hang up");
  }
}
