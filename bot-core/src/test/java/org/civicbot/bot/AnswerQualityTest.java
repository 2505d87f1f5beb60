package org.civicbot.bot;

import org.civicbot.bot.conversation.ConversationEvent;
import org.civicbot.bot.conversation.EventType;
import org.civicbot.bot.testing.EngineFixture;
import org.civicbot.knowledge.Language;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;
import java.util.UUID;

import static org.civicbot.knowledge.testing.Await.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How the engine decides on the sample knowledge base with its learned answer model and intent classifier: safety
 * first, requests for a person in other words, long messages, not-covered topics and follow-ups. The sentences are
 * written for this test (none comes from an evaluation set).
 */
class AnswerQualityTest {
  private static EngineFixture bot;

  @BeforeAll
  static void sampleKnowledgeBase() {
    bot = EngineFixture.sample();
  }

  private BotReply ask(Language lang, String text) {
    return bot.say(bot.start(lang), text);
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(delimiter = '|', value = {
      "da|der vælter sort røg ud af vinduet hos genboen",
      "da|min bror er segnet om på gulvet og trækker ikke vejret",
      "da|han har skåret sig dybt i armen og blodet fosser ud",
      "da|min mor har pludselig voldsomme smerter i brystet",
      "da|min kæreste truer mig med en kniv",
      "da|jeg orker ikke at leve mere",
      "en|there are flames coming out of the neighbours kitchen",
      "en|my grandad collapsed and is not responding",
      "en|my son cut his leg badly and it won't stop bleeding",
      "en|my wife has a crushing pain in her chest",
      "en|someone is beating up a woman outside my flat",
      "en|i have been thinking about ending my life",
  })
  void should_answer_a_described_emergency_or_self_harm_with_the_emergency_article(String lang, String text) {
    BotReply reply = ask(Language.fromCode(lang), text);

    assertEquals(Outcome.ANSWERED, reply.outcome(), text);
    assertEquals("emergency", reply.articles().get(0).slug(), text);
    assertTrue(reply.replies().stream().anyMatch(m -> m.text().contains("112")), "112 is named");
  }

  @Test
  void should_lead_with_the_crisis_line_for_self_harm() {
    BotReply reply = ask(Language.EN, "i don't want to live anymore");

    assertEquals("emergency", reply.articles().get(0).slug());
    assertTrue(reply.replies().get(0).text().contains("70 201 201"), reply.replies().get(0).text());
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(delimiter = '|', value = {
      "da|kan du hjælpe mig med at udfylde min ansøgning",
      "da|min cykel blev stjålet sidste år, hvor køber man en brugt",
      "da|jeg griner mig ihjel over jeres nye hjemmeside",
      "en|help me with my housing benefit form please",
      "en|my bike was stolen last year, where do i buy a cheap one",
      "en|when is the fire station open house",
  })
  void should_not_raise_an_alarm_on_a_harmless_message(String lang, String text) {
    BotReply reply = ask(Language.fromCode(lang), text);

    assertFalse(reply.outcome() == Outcome.ANSWERED && reply.articles().get(0).slug().equals("emergency"),
        text + " got the emergency answer");
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(delimiter = '|', value = {
      "da|kan du stille mig videre til en rigtig person",
      "da|jeg gider ikke skrive med en maskine",
      "da|du forstår slet ikke hvad jeg skriver, find en person der kan hjælpe mig",
      "en|could you transfer me please",
      "en|i refuse to talk to a bot",
      "en|you clearly don't get it, let me speak to someone",
  })
  void should_hand_off_an_indirect_request_for_a_person(String lang, String text) {
    assertEquals(Outcome.HANDOFF, ask(Language.fromCode(lang), text).outcome(), text);
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(delimiter = '|', value = {
      "en|thank you so much, that was exactly what i needed",
      "da|tusind tak, det var en kæmpe hjælp",
  })
  void should_take_thanks_with_more_words_as_thanks(String lang, String text) {
    assertEquals(Outcome.SMALLTALK, ask(Language.fromCode(lang), text).outcome(), text);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "da|hvordan fornyer jeg mit pas|hej øhm ja altså undskyld jeg forstyrrer, min mand siger at jeg skal have "
          + "styr på papirerne nu her inden efteråret, så hvordan fornyer jeg mit pas",
      "en|when is my bin emptied|hi there, sorry to bother you, we moved into the house on the corner last month "
          + "with the kids and nobody told us, when is my bin emptied",
  })
  void should_answer_a_long_chatty_question_like_the_short_one(String lang, String shortQuestion, String chatty) {
    BotReply plain = ask(Language.fromCode(lang), shortQuestion);
    BotReply wrapped = ask(Language.fromCode(lang), chatty);

    assertEquals(Outcome.ANSWERED, plain.outcome());
    assertEquals(Outcome.ANSWERED, wrapped.outcome(), chatty);
    assertEquals(plain.articles().get(0).slug(), wrapped.articles().get(0).slug());
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(delimiter = '|', value = {
      "en|how do i get my new company registered for vat|Danish Business Authority",
      "da|skal min lille virksomhed momsregistreres|Erhvervsstyrelsen",
  })
  void should_decline_a_not_covered_topic_with_where_to_go(String lang, String text, String pointer) {
    BotReply reply = ask(Language.fromCode(lang), text);

    assertEquals(Outcome.FALLBACK, reply.outcome(), text);
    assertTrue(reply.replies().get(0).text().contains(pointer), reply.replies().get(0).text());
  }

  @Test
  void should_decline_a_question_about_what_no_municipality_handles_though_it_shares_words_with_an_article() {
    UUID id = bot.start(Language.DA);
    BotReply reply = bot.say(id, "min bank har spærret mit kort hvad gør jeg");

    assertEquals(Outcome.FALLBACK, reply.outcome());
    assertTrue(lastDecision(id).getBoolean("offTopic", false), lastDecision(id).encode());
  }

  @Test
  void should_read_an_elliptical_follow_up_in_the_previous_answers_context() {
    UUID id = bot.start(Language.EN);
    assertEquals("passport-adult", bot.say(id, "how do i renew my passport").articles().get(0).slug());

    BotReply followUp = bot.say(id, "how much does it cost?");

    assertEquals(Outcome.ANSWERED, followUp.outcome());
    assertTrue(followUp.articles().get(0).slug().startsWith("passport"), followUp.articles().toString());
    assertTrue(lastDecision(id).getJsonObject("followUp").getBoolean("used"));
  }

  @Test
  void should_not_carry_the_previous_topic_into_a_new_question() {
    UUID id = bot.start(Language.EN);
    assertEquals("passport-adult", bot.say(id, "how do i renew my passport").articles().get(0).slug());

    BotReply parking = bot.say(id, "where can my visiting sister park her car");

    assertNotEquals("passport-adult", parking.articles().isEmpty() ? "" : parking.articles().get(0).slug());
    assertTrue(parking.articles().get(0).slug().startsWith("parking"), parking.articles().toString());
    assertFalse(lastDecision(id).getJsonObject("followUp").getBoolean("used"));
  }

  @Test
  void should_read_a_related_question_without_follow_up_words_in_the_previous_answers_context() {
    UUID id = bot.start(Language.EN);
    assertEquals("passport-lost", bot.say(id, "i have lost my passport").articles().get(0).slug());

    BotReply related = bot.say(id, "should i file a police report first");

    assertEquals(Outcome.ANSWERED, related.outcome());
    assertEquals("passport-lost", related.articles().get(0).slug());
    var followUp = lastDecision(id).getJsonObject("followUp");
    assertTrue(followUp.getBoolean("used"), followUp.encode());
    assertEquals("related", followUp.getString("shape"), "no follow-up words: read in context as related");
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource(delimiter = '|', value = {
      "en|Hello, apologies for writing here, I really don't know who else to ask, but my dad is lying on the "
          + "kitchen floor and his lips are turning blue",
      "da|Hej, undskyld at jeg skriver her, jeg ved ikke hvem jeg ellers skal spørge, men min mor ligger på "
          + "køkkengulvet og hendes læber er helt blå",
  })
  void should_find_an_emergency_told_after_an_apology(String lang, String text) {
    BotReply reply = ask(Language.fromCode(lang), text);

    assertEquals(Outcome.ANSWERED, reply.outcome(), text);
    assertEquals("emergency", reply.articles().get(0).slug(), text);
  }

  @Test
  void should_decline_an_off_topic_question_after_an_answer() {
    UUID id = bot.start(Language.EN);
    bot.say(id, "when is my bin collected");

    BotReply offTopic = bot.say(id, "what's the weather like tomorrow?");

    assertEquals(Outcome.FALLBACK, offTopic.outcome());
  }

  @Test
  void should_store_the_answer_probability_and_its_features_in_the_trace() {
    UUID id = bot.start(Language.EN);
    bot.say(id, "how do i renew my passport");

    var hit = lastDecision(id).getJsonObject("retrieval").getJsonArray("hits").getJsonObject(0);
    assertTrue(hit.getDouble("confidence") >= lastDecision(id).getJsonObject("retrieval").getDouble("threshold"));
    assertTrue(hit.getJsonObject("features").containsKey("phraseCoverage"), hit.encode());
  }

  private io.vertx.core.json.JsonObject lastDecision(UUID id) {
    List<ConversationEvent> events = await(bot.conversations.events(id));
    return events.stream().filter(e -> e.type() == EventType.DECISION).reduce((a, b) -> b).orElseThrow().payload();
  }
}
