package org.civicbot.bot.intent;

import java.text.Normalizer;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** The one way message text is folded for matching: lower case, no punctuation, æ->ae, ø->oe, å->aa. */
public final class TextFolding {

  private TextFolding() {
  }

  public static String fold(String text) {
    String lower = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT)
        .replace("æ", "ae").replace("ø", "oe").replace("å", "aa")
        .replace("ä", "ae").replace("ö", "oe").replace("'", "").replace("’", "");
    return lower.replaceAll("[^\\p{L}\\p{N}\\[\\]]+", " ").trim();
  }

  public static List<String> words(String text) {
    String folded = fold(text);
    return folded.isEmpty() ? List.of() : Arrays.asList(folded.split(" "));
  }
}
