package org.civicbot.bot.privacy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The name a citizen gives for themselves: after "mit navn er", "jeg hedder", "my name is" or "navn:" (any name,
 * also in lowercase), in a signature after "mvh", "hilsen" or "regards" (capitalized), and after a weaker
 * introduction ("I'm", "this is", "det er") only when the word is a known first name (the bundled list) or a
 * capitalized full name, so "I'm moving" and "I'm Danish" stay. The name runs over at most four words and stops at a
 * comma, a full stop or a word such as "og", "and" or "here".
 */
final class NameFinder {
  private enum Trigger { STRONG, SIGNATURE, WEAK }

  private static final Pattern TRIGGER = Pattern.compile(
      "(?<strong>\\bmit navn er|\\bjeg hedder|\\bmy name is|\\bmy name's|\\bnavn\\s*:|\\bname\\s*:)"
          + "|(?<signature>\\bmvh\\.?|\\bmed venlig hilsen|\\bvenlig hilsen|\\bhilsen|\\bkh\\b|\\bbest regards,?"
          + "|\\bkind regards,?|\\bregards,?|\\bsincerely,?|\\bbest wishes,?|\\bcheers,?|(?<![\\p{L}\\d])/)"
          + "|(?<weak>\\bi'?m\\b|\\bi am\\b|\\bthis is\\b|\\bit'?s\\b|\\bit is\\b|\\bdet er\\b|\\bjeg er\\b|\\bher er\\b)",
      Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
  private static final Pattern TOKEN = Pattern.compile("\\G\\s*((?:\\p{Lu}\\.)|[\\p{L}][\\p{L}'’-]*)");
  private static final Set<String> PARTICLES = Set.of("van", "der", "den", "de", "von", "al", "el", "bin", "ibn",
      "la", "le", "da", "di");
  private static final Set<String> STOP = Set.of("og", "and", "jeg", "i", "er", "fra", "from", "her", "here",
      "calling", "again", "writing", "about", "om", "til", "to", "the", "som", "who", "men", "but", "with", "med",
      "on", "in", "på", "ikke", "not", "har", "have", "has", "skal", "vil", "would", "need", "kan", "can", "det",
      "den", "is", "was", "var", "mit", "min", "my", "a", "an", "en", "et", "also", "også", "hej", "hi", "hello",
      "just", "bare", "for", "regarding", "angående", "ang", "re", "sent", "sendt", "please", "tak",
      "thanks", "thank", "hvor", "where", "what", "hvad", "when", "hvornår", "spelled", "wrong", "forkert");
  private static final Set<String> FIRST_NAMES = load();

  String redact(String text, String placeholder) {
    Matcher trigger = TRIGGER.matcher(text);
    StringBuilder out = new StringBuilder();
    int at = 0;
    while (trigger.find()) {
      if (trigger.end() < at) {
        continue;
      }
      Trigger kind = trigger.group("strong") != null ? Trigger.STRONG
          : trigger.group("signature") != null ? Trigger.SIGNATURE : Trigger.WEAK;
      int[] name = name(text, trigger.end(), kind);
      if (name != null) {
        out.append(text, at, name[0]).append(placeholder);
        at = name[1];
      }
    }
    return out.append(text.substring(at)).toString();
  }

  /** Start and end of the name after {@code from}, or null when none follows. */
  private int[] name(String text, int from, Trigger kind) {
    Matcher token = TOKEN.matcher(text);
    token.region(from, text.length());
    int start = -1;
    int end = -1;
    int words = 0;
    boolean lowercase = false;
    while (words < 4 && token.find()) {
      String word = token.group(1);
      String lower = word.toLowerCase(Locale.ROOT);
      boolean capital = Character.isUpperCase(word.codePointAt(0));
      boolean known = FIRST_NAMES.contains(lower) || FIRST_NAMES.contains(lower.split("-")[0]);
      if (words == 0) {
        if (STOP.contains(lower) || !first(kind, capital, known, text, token.end())) {
          return null;
        }
        lowercase = !capital;
        start = token.start(1);
      } else if (STOP.contains(lower) || !(capital || PARTICLES.contains(lower) || lowercase)) {
        break;
      }
      end = token.end(1);
      words++;
      int next = token.end();
      if (next < text.length() && ",;:!?()".indexOf(text.charAt(next)) >= 0
          || word.length() > 1 && next < text.length() && text.charAt(next) == '.') {
        break;
      }
      token.region(next, text.length());
    }
    return words == 0 ? null : new int[]{start, end};
  }

  /** Whether the first word after the trigger begins a name. */
  private static boolean first(Trigger kind, boolean capital, boolean known, String text, int after) {
    return switch (kind) {
      case STRONG, SIGNATURE -> capital || known;
      case WEAK -> known || capital && nextCapitalized(text, after);
    };
  }

  private static boolean nextCapitalized(String text, int from) {
    Matcher next = TOKEN.matcher(text);
    next.region(from, text.length());
    return next.find() && Character.isUpperCase(next.group(1).codePointAt(0));
  }

  private static Set<String> load() {
    try (InputStream in = NameFinder.class.getResourceAsStream("/civicbot/first-names.txt")) {
      if (in == null) {
        throw new IllegalStateException("civicbot/first-names.txt is not on the classpath");
      }
      Set<String> names = new HashSet<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (!line.startsWith("#")) {
          names.addAll(List.of(line.strip().split("\\s+")));
        }
      }
      names.remove("");
      return Set.copyOf(names);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
