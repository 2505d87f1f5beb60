package org.civicbot.bot;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class QuestionPartsTest {

  @Test
  void should_split_a_message_that_asks_two_things() {
    assertEquals(List.of("How do I renew my passport?", "And when is the bin collected?"),
        QuestionParts.split("How do I renew my passport? And when is the bin collected?"));
    assertEquals(List.of("hvordan får jeg nyt pas", "og så hvornår bliver skraldet hentet"),
        QuestionParts.split("hvordan får jeg nyt pas og så hvornår bliver skraldet hentet"));
  }

  @Test
  void should_leave_one_question_whole() {
    assertEquals(List.of(), QuestionParts.split("How do I renew my passport before I travel in June?"));
    assertEquals(List.of(), QuestionParts.split("Hi. How do I renew my passport?"), "a greeting is no question");
  }
}
