package org.civicbot.bot.privacy;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Long numbers spoken as words, as a phone line's speech recognizer writes them: "nul en nul en ni nul en to tre
 * fire", "toogtyve fireogtredive seksoghalvtreds otteoghalvfjerds", "forty two seventeen thirty three", "double two".
 * A run of number words (with fillers, "og", "streg" or "account number" between them) that makes at least
 * {@link #MIN_DIGITS} digits is a CPR, phone or account number; shorter runs ("to børn", "klokken ti", "ten thirty")
 * are not.
 */
final class SpokenNumbers {
  /** A Danish phone number has eight digits, a CPR number ten, an account more. */
  static final int MIN_DIGITS = 8;
  /** Non-number words a spoken number may carry between its digits. */
  private static final int MAX_BRIDGE = 3;

  private static final Set<String> UNITS = Set.of("nul", "en", "et", "én", "to", "tre", "fire", "fem", "seks", "syv",
      "otte", "ni", "zero", "oh", "o", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine");
  private static final Set<String> TEENS = Set.of("ti", "elleve", "tolv", "tretten", "fjorten", "femten", "seksten",
      "sytten", "atten", "nitten", "ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen",
      "seventeen", "eighteen", "nineteen");
  private static final Set<String> TENS = Set.of("tyve", "tredive", "fyrre", "halvtreds", "tres", "halvfjerds",
      "firs", "halvfems", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety");
  private static final Pattern DANISH_COMPOUND = Pattern.compile(
      "(?:en|et|to|tre|fire|fem|seks|syv|otte|ni)og(?:tyve|tredive|fyrre|halvtreds|tres|halvfjerds|firs|halvfems)");
  private static final Set<String> REPEAT = Set.of("double", "dobbelt", "triple");
  private static final Set<String> BRIDGE = Set.of("og", "and", "streg", "bindestreg", "dash", "minus", "uh", "um",
      "eh", "øh", "æh", "er", "is", "konto", "kontonummer", "kontonummeret", "kontonr", "account", "number",
      "nummer", "reg", "the", "det", "plus", "hundred", "hundrede");
  private static final Pattern WORD = Pattern.compile("[\\p{L}]+");

  String redact(String text, String placeholder) {
    List<int[]> runs = runs(text);
    if (runs.isEmpty()) {
      return text;
    }
    StringBuilder out = new StringBuilder();
    int at = 0;
    for (int[] run : runs) {
      out.append(text, at, run[0]).append(placeholder);
      at = run[1];
    }
    return out.append(text.substring(at)).toString();
  }

  /** Start and end of every run of number words long enough to be personal. */
  private static List<int[]> runs(String text) {
    List<int[]> runs = new ArrayList<>();
    Matcher word = WORD.matcher(text);
    int start = -1;
    int end = -1;
    int digits = 0;
    int bridged = 0;
    String previous = "";
    while (word.find()) {
      String w = word.group().toLowerCase(Locale.ROOT);
      int value = digits(w, previous);
      // "plus four five ...": the plus of an international number begins the run
      if (value >= 0 || w.equals("plus") && start < 0) {
        if (start < 0) {
          start = word.start();
        }
        end = word.end();
        digits += Math.max(0, value);
        bridged = 0;
      } else if (start >= 0 && BRIDGE.contains(w) && ++bridged <= MAX_BRIDGE) {
        // carried: the run goes on if a number word follows
      } else {
        close(runs, start, end, digits);
        start = -1;
        digits = 0;
        bridged = 0;
      }
      previous = w;
    }
    close(runs, start, end, digits);
    return runs;
  }

  private static void close(List<int[]> runs, int start, int end, int digits) {
    if (start >= 0 && digits >= MIN_DIGITS) {
      runs.add(new int[]{start, end});
    }
  }

  /**
   * How many digits {@code word} adds after {@code previous}: a unit one (none after a tens word: "forty two" is two
   * digits), teens, tens and Danish compounds two (tens one after "og": "seks og tyve" is two digits), a repeat
   * ("double two") one more; -1 for a word that is no number.
   */
  private static int digits(String word, String previous) {
    if (UNITS.contains(word)) {
      return TENS.contains(previous) ? 0 : 1;
    }
    if (TEENS.contains(word) || DANISH_COMPOUND.matcher(word).matches()) {
      return 2;
    }
    if (TENS.contains(word)) {
      // "seks og tyve": the unit before "og" was counted already
      return previous.equals("og") ? 1 : 2;
    }
    if (REPEAT.contains(word)) {
      return 1;
    }
    return -1;
  }
}
