package org.civicbot.bot.privacy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PiiRedactorTest {
  private final PiiRedactor redactor = new PiiRedactor();

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "mit cpr er 010190-1234 tak|mit cpr er [cpr] tak",
      "cpr 0101901234|cpr [cpr]",
      "cpr: 311299 4321.|cpr: [cpr].",
      "ring på 22 34 56 78|ring på [phone]",
      "ring på 42345678 i morgen|ring på [phone] i morgen",
      "my number is +45 12 34 56 78|my number is [phone]",
      "call 0045 1234 5678|call [phone]",
      "call +44 7911 123456 please|call [phone] please",
      "skriv til anna.hansen@example.dk|skriv til [email]",
      "Mail: Jens_K+kommune@post.mail-server.com!|Mail: [email]!",
      "card 4111 1111 1111 1111 expires|card [card] expires",
      "kort 4111-1111-1111-1111|kort [card]",
      "kortnummer 5019717010103742|kortnummer [card]",
  })
  void should_redact_personal_data(String text, String expected) {
    assertEquals(expected, redactor.redact(text));
  }

  @ParameterizedTest
  @ValueSource(strings = {
      "pas koster 744 kr i 2026",
      "hvad koster et pas for 1 barn",
      "mødet er 12-05-2026 kl 10",
      "postnummer 9999 Eksempelby",
      "bus 350S kører hver 10. minut",
  })
  void should_leave_other_numbers_alone(String text) {
    assertEquals(text, redactor.redact(text));
  }
}
