package org.civicbot.bot.intent;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class IntentMatcherTest {
  private final IntentMatcher matcher = IntentMatcher.bundled();

  @Test
  void should_split_a_message_into_its_clauses_for_the_safety_check() {
    assertEquals(java.util.List.of("Hi, sorry to bother you", "but my neighbour is lying on the pavement"),
        IntentMatcher.clauses("Hi, sorry to bother you, but my neighbour is lying on the pavement"));
    assertEquals(java.util.List.of("Undskyld jeg skriver.", "Min mand svarer ikke"),
        IntentMatcher.clauses("Undskyld jeg skriver. Min mand svarer ikke"));
    assertTrue(IntentMatcher.clauses("my neighbour is lying on the pavement").isEmpty(), "one clause");
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "I want to speak to a real person", "can I talk to someone please", "transfer me to an agent",
      "Human!", "customer service", "let me chat with a member of staff",
      "jeg vil tale med en medarbejder", "kan jeg snakke med et menneske", "stil mig om til en sagsbehandler",
      "MEDARBEJDER", "jeg vil gerne have en ansat", "kan du viderestille mig"})
  void should_recognize_a_request_for_a_person(String text) {
    assertTrue(matcher.match(text).has(Intent.HUMAN), text);
  }

  @ParameterizedTest
  @ValueSource(strings = {"are you a real person?", "er du et menneske", "is this a bot or a human",
      "how do I renew my passport", "hvornår tømmes min skraldespand"})
  void should_not_take_other_messages_as_a_request_for_a_person(String text) {
    assertFalse(matcher.match(text).has(Intent.HUMAN), text);
  }

  @Test
  void should_count_smalltalk_only_when_nothing_else_is_asked() {
    assertTrue(matcher.match("Hej!").has(Intent.GREETING));
    assertTrue(matcher.match("hello there").has(Intent.GREETING));
    assertTrue(matcher.match("mange tak for hjælpen").has(Intent.THANKS));
    assertTrue(matcher.match("thanks, bye").has(Intent.GOODBYE));
    assertFalse(matcher.match("hej, hvordan får jeg nyt pas?").has(Intent.GREETING));
    assertFalse(matcher.match("thanks, and what does parking cost").has(Intent.THANKS));
  }

  @Test
  void should_answer_emergencies_wherever_they_are_mentioned() {
    assertTrue(matcher.match("someone collapsed and is not breathing, also where is the library").has(Intent.EMERGENCY));
    assertTrue(matcher.match("min far bløder meget").has(Intent.EMERGENCY));
    assertFalse(matcher.match("how do I get an urgent passport").has(Intent.EMERGENCY));
  }
}
