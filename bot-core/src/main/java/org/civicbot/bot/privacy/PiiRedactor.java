package org.civicbot.bot.privacy;

import java.math.BigInteger;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.Locale;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Replaces personal data in a citizen's text with placeholders before anything is stored, logged or retrieved, in
 * the forms citizens write them in Danish and English: e-mail addresses (also written out, "jens at gmail dot com"),
 * IBANs, Danish bank accounts (registration and account number), payment cards (Luhn-checked), CPR numbers (dashes,
 * en dashes, dots or spaces), phone numbers (Danish eight digits in any grouping with or without +45/0045, foreign
 * numbers in international form), the name a citizen introduces themselves or signs with, and long numbers spoken
 * as words (phone transcripts). Prices, dates, years, times, house numbers and case or invoice numbers are kept.
 * Each kind is one pass over the text; placeholders hold no digits, so a later pass cannot take them apart.
 */
public final class PiiRedactor {

  public static final String EMAIL = "[email]";
  public static final String IBAN = "[iban]";
  public static final String ACCOUNT = "[account]";
  public static final String CARD = "[card]";
  public static final String CPR = "[cpr]";
  public static final String PHONE = "[phone]";
  public static final String NAME = "[name]";
  public static final String NUMBER = "[number]";

  private static final Pattern EMAIL_PATTERN =
      Pattern.compile("[\\p{L}0-9._%+-]+ ?@ ?[\\p{L}0-9-]+(?:\\.[\\p{L}0-9-]+)*\\.\\p{L}{2,}");
  private static final String TLD = "(?:dk|com|net|org|se|no|de|uk|eu|info|io|nu|fi|nl|fr|pl|es|it|biz|me)";
  private static final String DOT = "\\s*(?:\\.|\\bdot\\b|\\bpunktum\\b)\\s*";
  /** An address written out: "mette (at) firma.dk", "jens snabel-a mail.dk", "peter dot jensen at gmail dot com". */
  private static final Pattern SPELLED_EMAIL = Pattern.compile(
      "[\\p{L}0-9_+-]+(?:(?:" + DOT + "|\\s*(?:_|\\bunderscore\\b)\\s*)[\\p{L}0-9_+-]+)*"
          + "(?:\\s*(?:\\(at\\)|\\[at\\])\\s*|\\s+snabel[- ]?a\\s+)"
          + "[\\p{L}0-9-]+(?:" + DOT + "[\\p{L}0-9-]+)*" + DOT + TLD + "\\b"
          + "|[\\p{L}0-9_+-]+(?:(?:" + DOT + "|\\s*(?:_|\\bunderscore\\b)\\s*)[\\p{L}0-9_+-]+)*\\s+at\\s+"
          + "[\\p{L}0-9-]+(?:" + DOT + "[\\p{L}0-9-]+)*\\s*(?:\\bdot\\b|\\bpunktum\\b)\\s*" + TLD + "\\b",
      Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE);
  /** Country, check digits, then groups of four capital letters or digits (spaced or not) and a shorter last one. */
  private static final Pattern IBAN_PATTERN = Pattern.compile(
      "(?<![\\p{L}\\d])[A-Z]{2}\\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?(?![\\p{L}\\d])");
  private static final String REG_LABEL =
      "\\breg(?:istrerings)?(?:\\.|\\b)\\s*(?:-?\\s*(?:nr|no|nummer|number)\\.?)?\\s*:?\\s*";
  private static final String ACCOUNT_LABEL = "(?:\\b(?:og\\s+)?(?:konto(?:nummer|nr)?|kto|account(?:\\s+(?:number|no))?"
      + "|acc(?:\\.|ount)?\\s*(?:no|nr)?)\\.?\\s*:?\\s*)";
  /** "reg. 1234 konto 0012345678", "reg.nr. 9570 kontonr. 10458273", "reg 4180, account number 3360559021". */
  private static final Pattern LABELLED_ACCOUNT = Pattern.compile(REG_LABEL + "(\\d{4}[\\s,.-]*" + ACCOUNT_LABEL
      + "?\\d{6,10})(?!\\d)", Pattern.CASE_INSENSITIVE);
  /** "konto 5301 0244718690", "bank account 2400-0020481156", or four and ten digits with nothing said. */
  private static final Pattern ACCOUNT_PATTERN = Pattern.compile(
      "(?:" + ACCOUNT_LABEL + "(?:er|is|:)?\\s*)(\\d{4}[ -]?\\d{6,10})(?![\\d-])"
          + "|(?<![\\d-])(\\d{4}[ -]\\d{10})(?![\\d-])", Pattern.CASE_INSENSITIVE);
  /** 13 to 19 digits, optionally grouped by single spaces or dashes. */
  private static final Pattern CARD_PATTERN = Pattern.compile("(?<![\\d-])\\d(?:[ -]?\\d){12,18}(?!\\d)");
  /** DDMMYY and four digits: the date may be written with dots, dashes or spaces, then a dash of any kind. */
  private static final Pattern CPR_PATTERN = Pattern.compile(
      "(?<![\\d.,/-])(\\d{2})([ .-]?)(\\d{2})\\2(\\d{2})(\\s*[-\u2010\u2011\u2012\u2013\u2014]\\s*|\\s|)(\\d{4})(?![\\d]|[.,/]\\d)");
  private static final Pattern CPR_LABEL = Pattern.compile("(?:cpr|personn(?:umme)?r|person number|civil registration"
      + " number|personal number)[^\\d]{0,12}$", Pattern.CASE_INSENSITIVE);
  /** Eight digits with any single spaces, dots or dashes between them, perhaps after +45, (+45) or 0045. */
  private static final Pattern DANISH_PHONE = Pattern.compile(
      "(?<![\\d+])(?:(?:\\(\\+45\\)|\\+45|0045)[ .-]?)?([2-9](?:[ .-]?\\d){7})(?![ .,/-]?\\d)");
  /** + or 00, a country code and 6 to 13 more digits, loosely grouped, perhaps with an area code in brackets. */
  private static final Pattern FOREIGN_PHONE = Pattern.compile(
      "(?<![\\d+])(?<!\\d[ .-])(?:\\+|00)[1-9](?:[ .-]?\\(?\\d\\)?){6,13}(?![ .-]?\\d)");
  /** A number a reference label names: an invoice, order, case or customer number is not a phone number. */
  private static final Pattern REFERENCE_LABEL = Pattern.compile("(?:faktura|invoice|ordre|order|sag|case|reference"
      + "|ref|journal|kunde|customer|matrikel|ean|bilag|nr|no)[\\p{L}.]*\\s*(?:nr\\.?|no\\.?|number|nummer)?\\s*:?\\s*"
      + "(?:er|is)?\\s*$", Pattern.CASE_INSENSITIVE);
  private static final Pattern DATE_SHAPE = Pattern.compile(
      "\\d{1,2}([./-])\\d{1,2}\\1\\d{2,4}|\\d{4}([./-])\\d{1,2}\\2\\d{1,2}");

  private final NameFinder names = new NameFinder();
  private final SpokenNumbers spoken = new SpokenNumbers();

  /** The text with every recognized piece of personal data replaced by its placeholder. */
  public String redact(String text) {
    String result = EMAIL_PATTERN.matcher(text).replaceAll(EMAIL);
    result = SPELLED_EMAIL.matcher(result).replaceAll(EMAIL);
    result = replace(result, IBAN_PATTERN, (t, m) -> iban(m.group()) ? IBAN : null, m -> 0);
    result = replace(result, LABELLED_ACCOUNT, (t, m) -> ACCOUNT, m -> 1);
    result = replace(result, ACCOUNT_PATTERN, (t, m) -> ACCOUNT, m -> m.group(1) != null ? 1 : 2);
    result = replace(result, CARD_PATTERN, (t, m) -> luhn(m.group().replaceAll("[ -]", "")) ? CARD : null, m -> 0);
    result = replaceCpr(result);
    result = replace(result, DANISH_PHONE, (t, m) -> phone(t, m) ? PHONE : null, m -> 0);
    result = replace(result, FOREIGN_PHONE, (t, m) -> reference(t, m) ? null : PHONE, m -> 0);
    result = names.redact(result, NAME);
    return spoken.redact(result, NUMBER);
  }

  /** Whether {@link #redact} would change {@code text}. */
  public boolean containsPersonalData(String text) {
    return !redact(text).equals(text);
  }

  /**
   * Replaces group {@code group(m)} of every match for which {@code placeholder} (given the text and the match) gives
   * a placeholder; a null placeholder keeps the match.
   */
  private static String replace(String text, Pattern pattern, BiFunction<String, Matcher, String> placeholder,
                                Function<Matcher, Integer> group) {
    Matcher m = pattern.matcher(text);
    StringBuilder out = new StringBuilder();
    int at = 0;
    while (m.find()) {
      String with = placeholder.apply(text, m);
      if (with == null) {
        continue;
      }
      int g = group.apply(m);
      out.append(text, at, m.start(g)).append(with);
      at = m.end(g);
    }
    return out.append(text.substring(at)).toString();
  }

  /** A Danish number unless it is a date ("12.05.2024") or labelled as an invoice, order or case number. */
  private static boolean phone(String text, Matcher m) {
    String number = m.group();
    boolean prefixed = number.startsWith("+") || number.startsWith("00") || number.startsWith("(");
    return prefixed || !DATE_SHAPE.matcher(m.group(1)).matches() && !reference(text, m);
  }

  /** Whether the words just before the match label it as a reference number. */
  private static boolean reference(String text, Matcher m) {
    return REFERENCE_LABEL.matcher(text.substring(Math.max(0, m.start() - 30), m.start())).find();
  }

  private static String replaceCpr(String text) {
    Matcher m = CPR_PATTERN.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      // a date of birth and four digits; after a CPR label whatever the date says (a mistyped CPR is one still)
      boolean cpr = isDate(m.group(1), m.group(3), m.group(4))
          || CPR_LABEL.matcher(text.substring(Math.max(0, m.start() - 40), m.start())).find();
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

  static boolean luhn(String digits) {
    int sum = 0;
    boolean twice = false;
    for (int i = digits.length() - 1; i >= 0; i--) {
      int d = digits.charAt(i) - '0';
      if (twice) {
        d *= 2;
        if (d > 9) {
          d -= 9;
        }
      }
      sum += d;
      twice = !twice;
    }
    return sum % 10 == 0;
  }

  /** ISO 13616: the country's letters and the check digits moved to the end, letters as numbers, modulo 97 is 1. */
  static boolean iban(String written) {
    String iban = written.replace(" ", "").toUpperCase(Locale.ROOT);
    if (iban.startsWith("DK") && iban.length() != 18 || iban.length() < 15 || iban.length() > 34) {
      return false;
    }
    StringBuilder numeric = new StringBuilder();
    for (char c : (iban.substring(4) + iban.substring(0, 4)).toCharArray()) {
      numeric.append(Character.isDigit(c) ? String.valueOf(c) : String.valueOf(c - 'A' + 10));
    }
    return new BigInteger(numeric.toString()).mod(BigInteger.valueOf(97)).intValue() == 1;
  }
}
