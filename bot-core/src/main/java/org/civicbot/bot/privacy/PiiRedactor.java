package org.civicbot.bot.privacy;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces personal data in a citizen's text with placeholders before anything is stored, logged or retrieved:
 * e-mail addresses, payment card numbers, CPR numbers (with or without dash) and phone numbers (Danish eight-digit
 * numbers in their usual groupings, and international numbers with a leading +). Errs on the side of redacting.
 */
public final class PiiRedactor {

  public static final String EMAIL = "[email]";
  public static final String CARD = "[card]";
  public static final String CPR = "[cpr]";
  public static final String PHONE = "[phone]";

  private static final Pattern EMAIL_PATTERN =
      Pattern.compile("[\\p{L}0-9._%+-]+@[\\p{L}0-9-]+(?:\\.[\\p{L}0-9-]+)*\\.\\p{L}{2,}");
  /** 13 to 19 digits, optionally grouped by single spaces or dashes. */
  private static final Pattern CARD_PATTERN = Pattern.compile("(?<![\\d-])\\d(?:[ -]?\\d){12,18}(?![\\d])");
  /** DDMMYY-SSSS, DDMMYY SSSS or DDMMYYSSSS. */
  private static final Pattern CPR_PATTERN = Pattern.compile("(?<![\\d-])(\\d{2})(\\d{2})(\\d{2})[ -]?(\\d{4})(?!\\d)");
  private static final List<Pattern> PHONE_PATTERNS = List.of(
      // +45 / 0045 prefix, then eight digits in the Danish groupings
      Pattern.compile("(?<![\\d+])(?:(?:\\+|00)45[ -]?)?(?:\\d{8}|\\d{2}([ -])\\d{2}\\1\\d{2}\\1\\d{2}|\\d{4}[ -]\\d{4})(?!\\d)"),
      // international: + country code and 6 to 14 more digits, loosely grouped
      Pattern.compile("(?<![\\d+])\\+\\d{1,3}(?:[ -]?\\d){6,14}(?!\\d)"));

  /** The text with every recognized piece of personal data replaced by its placeholder. */
  public String redact(String text) {
    String result = EMAIL_PATTERN.matcher(text).replaceAll(EMAIL);
    result = replaceCards(result);
    result = replaceCpr(result);
    for (Pattern phone : PHONE_PATTERNS) {
      result = phone.matcher(result).replaceAll(PHONE);
    }
    return result;
  }

  /** Whether {@link #redact} would change {@code text}. */
  public boolean containsPersonalData(String text) {
    return !redact(text).equals(text);
  }

  private static String replaceCards(String text) {
    Matcher m = CARD_PATTERN.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String digits = m.group().replaceAll("[ -]", "");
      // Ten-digit CPR numbers are shorter than any card; every 13-19 digit run is treated as a card number even
      // when its checksum fails: a mistyped card number is still a card number.
      m.appendReplacement(out, digits.length() >= 13 ? Matcher.quoteReplacement(CARD)
          : Matcher.quoteReplacement(m.group()));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static String replaceCpr(String text) {
    Matcher m = CPR_PATTERN.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      boolean dashed = m.group().length() == 11;
      boolean cpr = dashed || isDate(m.group(1), m.group(2), m.group(3));
      m.appendReplacement(out, Matcher.quoteReplacement(cpr ? CPR : m.group()));
    }
    m.appendTail(out);
    return out.toString();
  }

  private static boolean isDate(String day, String month, String year) {
    try {
      LocalDate.of(2000 + Integer.parseInt(year), Integer.parseInt(month), Integer.parseInt(day));
      return true;
    } catch (DateTimeException e) {
      // 29 February in a year that is only a leap year in the 1900s is still a valid birth date
      return day.equals("29") && month.equals("02");
    }
  }
}
