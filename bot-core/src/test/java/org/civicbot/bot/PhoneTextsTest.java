package org.civicbot.bot;

import org.civicbot.bot.handoff.OpeningHours;
import org.civicbot.knowledge.Language;
import org.junit.jupiter.api.Test;

import java.time.ZoneId;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PhoneTextsTest {
  private final PhoneTexts texts = PhoneTexts.bundled();

  @Test
  void should_take_a_short_utterance_beginning_with_yes_or_no_as_the_answer() {
    assertEquals(Optional.of(true), texts.yesOrNo("yes please"));
    assertEquals(Optional.of(true), texts.yesOrNo("Yes, leave"), "a misheard 'please' does not hide the yes");
    assertEquals(Optional.of(true), texts.yesOrNo("ja tak"));
    assertEquals(Optional.of(false), texts.yesOrNo("no thank you"));
    assertEquals(Optional.of(false), texts.yesOrNo("Nej."));
    assertEquals(Optional.empty(), texts.yesOrNo("no I want to know about parking permits"),
        "a longer utterance is a new question");
    assertEquals(Optional.empty(), texts.yesOrNo("parking permit"));
  }

  @Test
  void should_know_which_language_the_caller_named() {
    assertEquals(Optional.of(Language.EN), texts.namedLanguage("English."));
    assertEquals(Optional.of(Language.DA), texts.namedLanguage("dansk"));
    assertEquals(Optional.empty(), texts.namedLanguage("english please tell me about parking"));
  }

  @Test
  void should_speak_the_configured_opening_hours_in_each_language() {
    PhoneTexts withHours = texts.withOpeningHours(
        OpeningHours.parse("mon-wed 09:00-12:00", ZoneId.of("Europe/Copenhagen")));
    String da = withHours.get(Language.DA, "transferUnavailable");
    String en = withHours.get(Language.EN, "transferUnavailable");
    assertTrue(da.contains("mandag til onsdag fra 9 til 12"), da);
    assertTrue(en.contains("Monday to Wednesday from 9 a.m. to noon"), en);
    assertFalse(en.contains("{"), "every placeholder is filled: " + en);
  }
}
