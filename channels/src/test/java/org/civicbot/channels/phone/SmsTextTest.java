package org.civicbot.channels.phone;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SmsTextTest {

  @Test
  void should_send_a_short_answer_whole_as_plain_text_with_the_link() {
    String sms = SmsText.of("Answer from Eksempel Municipality:",
        "You renew your passport at **Citizen Service**.\n\n- Book a time\n- Bring a photo\n\n"
            + "See [booking](https://www.eksempel-kommune.dk/book).", "https://www.eksempel-kommune.dk/pas");
    assertTrue(sms.startsWith("Answer from Eksempel Municipality: You renew your passport at Citizen Service."), sms);
    assertTrue(sms.contains("Book a time"), sms);
    assertTrue(sms.endsWith(" https://www.eksempel-kommune.dk/pas"), sms);
    assertFalse(sms.contains("**") || sms.contains("]("), "no Markdown left: " + sms);
  }

  @Test
  void should_cut_a_long_answer_at_a_sentence_and_keep_the_link() {
    String sentence = "Dette er en sætning om affald og genbrug i kommunen. ";
    String sms = SmsText.of("Svar:", sentence.repeat(40), "https://www.eksempel-kommune.dk/affald");
    String body = sms.substring("Svar: ".length(), sms.length() - " https://www.eksempel-kommune.dk/affald".length());
    assertTrue(body.length() <= SmsText.MAX_BODY + 4, "at most the limit and an ellipsis: " + body.length());
    assertTrue(body.endsWith("kommunen. ..."), body);
    assertTrue(sms.endsWith("https://www.eksempel-kommune.dk/affald"), sms);
  }
}
