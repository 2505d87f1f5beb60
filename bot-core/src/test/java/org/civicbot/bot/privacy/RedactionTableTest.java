package org.civicbot.bot.privacy;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The redaction table ({@code privacy/redaction-cases.tsv}): personal data of every kind written the way citizens
 * write it, in Danish and English, must be gone from the redacted text; harmless numbers and words must stay.
 */
class RedactionTableTest {
  private final PiiRedactor redactor = new PiiRedactor();

  record Case(String id, String lang, String kind, String text, String span) {
  }

  static List<Case> cases() throws IOException {
    try (InputStream in = RedactionTableTest.class.getResourceAsStream("/privacy/redaction-cases.tsv")) {
      List<Case> cases = new ArrayList<>();
      String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
      for (int i = 1; i < lines.length; i++) {
        String[] f = lines[i].split("\t");
        cases.add(new Case(f[0], f[1], f[2], f[3], f[4]));
      }
      return cases;
    }
  }

  @Test
  void should_remove_every_personal_datum_and_keep_every_harmless_number() throws IOException {
    List<Case> cases = cases();
    List<String> wrong = new ArrayList<>();
    int positives = 0;
    int negatives = 0;
    for (Case c : cases) {
      String redacted = redactor.redact(c.text());
      if (c.kind().equals("none")) {
        negatives++;
        if (!redacted.contains(c.span())) {
          wrong.add("kept " + c.id() + ": " + c.text() + " -> " + redacted);
        }
      } else {
        positives++;
        if (redacted.contains(c.span()) || !redacted.contains("[")) {
          wrong.add("leaked " + c.id() + " " + c.kind() + ": " + c.text() + " -> " + redacted);
        }
      }
    }
    assertTrue(positives >= 100 && negatives >= 50, positives + " positives, " + negatives + " negatives");
    assertTrue(wrong.isEmpty(), wrong.size() + " of " + cases.size() + " wrong:\n" + String.join("\n", wrong));
  }
}
