package org.civicbot.channels.phone;

import org.commonmark.parser.Parser;
import org.commonmark.renderer.text.TextContentRenderer;

/**
 * The text message with an answer a caller asked for: the answer's full text as plain text (Markdown rendered by
 * commonmark's text renderer, links written out), cut at a sentence when it would run past {@link #MAX_BODY}
 * characters, then the link to the municipality's page.
 */
final class SmsText {
  /**
   * The answer's share of the message: answers run to 1,500-2,000 characters, beyond Twilio's 1,600, and a long
   * message costs a segment per 67 characters of Danish text; 600 characters carry the gist, the link the rest.
   */
  static final int MAX_BODY = 600;
  private static final Parser PARSER = Parser.builder().build();
  private static final TextContentRenderer RENDERER = TextContentRenderer.builder().stripNewlines(true).build();

  private SmsText() {
  }

  static String of(String intro, String markdownAnswer, String url) {
    String plain = RENDERER.render(PARSER.parse(markdownAnswer)).replaceAll("\\s+", " ").strip();
    return intro + " " + cut(plain) + " " + url;
  }

  private static String cut(String text) {
    if (text.length() <= MAX_BODY) {
      return text;
    }
    String head = text.substring(0, MAX_BODY);
    int sentence = Math.max(head.lastIndexOf(". "), Math.max(head.lastIndexOf("! "), head.lastIndexOf("? ")));
    if (sentence > MAX_BODY / 3) {
      return head.substring(0, sentence + 1) + " ...";
    }
    int word = head.lastIndexOf(' ');
    return (word > 0 ? head.substring(0, word) : head) + " ...";
  }
}
