package org.civicbot.bot.handoff;

import org.civicbot.knowledge.Language;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.MonthDay;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.time.format.TextStyle;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * When people staff the line, in the municipality's time zone: {@code "mon-thu 08:00-15:00; fri 08:00-13:00"},
 * or {@code always} (staff around the clock) or {@code never} (no live queue: callbacks only). Days are written
 * {@code mon tue wed thu fri sat sun}, alone or as a range; an interval's end is exclusive ({@code 24:00} allowed).
 * Closed days follow: {@code holidays} closes on the Danish public holidays (New Year's Day, Maundy Thursday, Good
 * Friday, Easter Sunday and Monday, Ascension Day, Whit Sunday and Monday, Christmas Day and Boxing Day), and
 * {@code closed 12-24 12-31 2027-01-02} on the days named (month-day every year, or one date):
 * {@code "mon-thu 08:00-15:00; fri 08:00-13:00; holidays; closed 06-05 12-24 12-31"}.
 */
public final class OpeningHours {
  private static final List<String> DAYS = List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun");

  private final String spec;
  private final ZoneId zone;
  private final List<Rule> rules;
  private final boolean holidays;
  private final Set<MonthDay> closedEveryYear;
  private final Set<LocalDate> closedOn;

  private record Rule(Set<DayOfWeek> days, DayOfWeek first, DayOfWeek last, LocalTime from, LocalTime to,
                      boolean untilMidnight) {
    boolean covers(ZonedDateTime at) {
      if (!days.contains(at.getDayOfWeek())) {
        return false;
      }
      LocalTime time = at.toLocalTime();
      return !time.isBefore(from) && (untilMidnight || time.isBefore(to));
    }
  }

  private OpeningHours(String spec, ZoneId zone, List<Rule> rules) {
    this(spec, zone, rules, false, Set.of(), Set.of());
  }

  private OpeningHours(String spec, ZoneId zone, List<Rule> rules, boolean holidays, Set<MonthDay> closedEveryYear,
                       Set<LocalDate> closedOn) {
    this.spec = spec;
    this.zone = zone;
    this.rules = List.copyOf(rules);
    this.holidays = holidays;
    this.closedEveryYear = Set.copyOf(closedEveryYear);
    this.closedOn = Set.copyOf(closedOn);
  }

  /** Staff around the clock. */
  public static OpeningHours always(ZoneId zone) {
    return parse("always", zone);
  }

  /**
   * Parses a schedule; throws {@link IllegalArgumentException} quoting the part that is not understood.
   */
  public static OpeningHours parse(String spec, ZoneId zone) {
    Objects.requireNonNull(zone, "zone");
    String text = Objects.requireNonNull(spec, "spec").strip().toLowerCase(Locale.ROOT);
    if (text.equals("always")) {
      return new OpeningHours(text, zone, List.of(new Rule(EnumSet.allOf(DayOfWeek.class), DayOfWeek.MONDAY,
          DayOfWeek.SUNDAY, LocalTime.MIDNIGHT, LocalTime.MIDNIGHT, true)));
    }
    if (text.equals("never")) {
      return new OpeningHours(text, zone, List.of());
    }
    List<Rule> rules = new ArrayList<>();
    boolean holidays = false;
    Set<MonthDay> everyYear = new HashSet<>();
    Set<LocalDate> dates = new HashSet<>();
    for (String part : text.split("[;,]")) {
      String p = part.strip();
      if (p.equals("holidays")) {
        holidays = true;
      } else if (p.startsWith("closed ")) {
        for (String day : p.substring("closed ".length()).strip().split("\\s+")) {
          closedDay(day, spec, everyYear, dates);
        }
      } else if (!p.isEmpty()) {
        rules.add(rule(p, spec));
      }
    }
    if (rules.isEmpty()) {
      throw new IllegalArgumentException("no opening hours in '" + spec + "'");
    }
    return new OpeningHours(text, zone, rules, holidays, everyYear, dates);
  }

  private static void closedDay(String day, String spec, Set<MonthDay> everyYear, Set<LocalDate> dates) {
    try {
      if (day.matches("\\d{4}-\\d{2}-\\d{2}")) {
        dates.add(LocalDate.parse(day));
      } else {
        everyYear.add(MonthDay.parse("--" + day));
      }
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("'" + day + "' in '" + spec + "' is not a closed day (MM-DD or YYYY-MM-DD)");
    }
  }

  /** Whether {@code date} is a Danish public holiday (the days {@code holidays} closes on). */
  public static boolean danishPublicHoliday(LocalDate date) {
    LocalDate easter = easterSunday(date.getYear());
    MonthDay md = MonthDay.from(date);
    return md.equals(MonthDay.of(1, 1)) || md.equals(MonthDay.of(12, 25)) || md.equals(MonthDay.of(12, 26))
        || List.of(-3, -2, 0, 1, 39, 49, 50).stream().anyMatch(offset -> easter.plusDays(offset).equals(date));
  }

  /** Easter Sunday of {@code year} in the Gregorian calendar (the anonymous Gregorian algorithm). */
  static LocalDate easterSunday(int year) {
    int a = year % 19;
    int b = year / 100;
    int c = year % 100;
    int d = b / 4;
    int e = b % 4;
    int f = (b + 8) / 25;
    int g = (b - f + 1) / 3;
    int h = (19 * a + b - d - g + 15) % 30;
    int i = c / 4;
    int k = c % 4;
    int l = (32 + 2 * e + 2 * i - h - k) % 7;
    int m = (a + 11 * h + 22 * l) / 451;
    int month = (h + l - 7 * m + 114) / 31;
    int day = (h + l - 7 * m + 114) % 31 + 1;
    return LocalDate.of(year, month, day);
  }

  /** Whether nobody is in all day on {@code date} (a public holiday or a closed day). */
  public boolean closedAllDay(LocalDate date) {
    return closedOn.contains(date) || closedEveryYear.contains(MonthDay.from(date))
        || (holidays && danishPublicHoliday(date));
  }

  /** When people are next in at or after {@code at}: now when open; empty when never within a year. */
  public Optional<ZonedDateTime> nextOpening(Instant at) {
    if (isOpen(at)) {
      return Optional.of(at.atZone(zone));
    }
    ZonedDateTime now = at.atZone(zone);
    for (int i = 0; i <= 370; i++) {
      LocalDate date = now.toLocalDate().plusDays(i);
      if (closedAllDay(date)) {
        continue;
      }
      Optional<ZonedDateTime> first = rules.stream().filter(r -> r.days().contains(date.getDayOfWeek()))
          .map(r -> date.atTime(r.from()).atZone(zone)).filter(t -> t.isAfter(now)).min(ZonedDateTime::compareTo);
      if (first.isPresent()) {
        return first;
      }
    }
    return Optional.empty();
  }

  /**
   * When people are back after {@code at}, as a citizen reads it: "tomorrow at 8 a.m.", "Monday at 8 a.m.",
   * "on 2 January at 8 a.m." ("i morgen kl. 8", "mandag kl. 8", "den 2. januar kl. 8"); "another day" when never.
   */
  public String describeNextOpening(Instant at, Language lang) {
    boolean da = lang == Language.DA;
    Optional<ZonedDateTime> next = nextOpening(at);
    if (next.isEmpty()) {
      return da ? "en anden dag" : "another day";
    }
    ZonedDateTime when = next.get();
    LocalDate today = at.atZone(zone).toLocalDate();
    long days = java.time.temporal.ChronoUnit.DAYS.between(today, when.toLocalDate());
    Locale locale = da ? Locale.forLanguageTag("da") : Locale.ENGLISH;
    String day = days == 0 ? (da ? "i dag" : "today") : days == 1 ? (da ? "i morgen" : "tomorrow")
        : days < 7 ? dayName(when.getDayOfWeek(), locale)
        : da ? "den " + when.getDayOfMonth() + ". " + when.getMonth().getDisplayName(TextStyle.FULL, locale)
        : "on " + when.getDayOfMonth() + " " + when.getMonth().getDisplayName(TextStyle.FULL, locale);
    return day + (da ? " kl. " : " at ") + clock(when.toLocalTime(), false, da);
  }

  private static Rule rule(String part, String spec) {
    String[] pieces = part.split("\\s+");
    if (pieces.length != 2) {
      throw new IllegalArgumentException("'" + part + "' in '" + spec + "' is not 'days hh:mm-hh:mm'");
    }
    String[] days = pieces[0].split("-");
    String[] times = pieces[1].split("-");
    if (days.length > 2 || times.length != 2) {
      throw new IllegalArgumentException("'" + part + "' in '" + spec + "' is not 'days hh:mm-hh:mm'");
    }
    DayOfWeek first = day(days[0], spec);
    DayOfWeek last = days.length == 2 ? day(days[1], spec) : first;
    Set<DayOfWeek> covered = EnumSet.noneOf(DayOfWeek.class);
    for (DayOfWeek d = first; ; d = d.plus(1)) {
      covered.add(d);
      if (d == last) {
        break;
      }
    }
    boolean untilMidnight = times[1].equals("24:00");
    LocalTime from = time(times[0], spec);
    LocalTime to = untilMidnight ? LocalTime.MIDNIGHT : time(times[1], spec);
    if (!untilMidnight && !to.isAfter(from)) {
      throw new IllegalArgumentException("'" + pieces[1] + "' in '" + spec + "' ends before it starts");
    }
    return new Rule(covered, first, last, from, to, untilMidnight);
  }

  private static DayOfWeek day(String name, String spec) {
    int index = DAYS.indexOf(name);
    if (index < 0) {
      throw new IllegalArgumentException("'" + name + "' in '" + spec + "' is not a day (mon tue wed thu fri sat sun)");
    }
    return DayOfWeek.of(index + 1);
  }

  private static LocalTime time(String value, String spec) {
    try {
      return LocalTime.parse(value.length() == 4 ? "0" + value : value);
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("'" + value + "' in '" + spec + "' is not a time (hh:mm)");
    }
  }

  public boolean isOpen(Instant at) {
    ZonedDateTime local = at.atZone(zone);
    return !closedAllDay(local.toLocalDate()) && rules.stream().anyMatch(rule -> rule.covers(local));
  }

  /** Whether anyone ever staffs the line. */
  public boolean everOpen() {
    return !rules.isEmpty();
  }

  public ZoneId zone() {
    return zone;
  }

  /** The schedule as parsed (lower case). */
  public String spec() {
    return spec;
  }

  /**
   * When to call again, as a caller hears it after "call again": "mandag til torsdag fra 8 til 15 og fredag fra 8 til
   * 13"; "later" when staff are always in, "another day" when never.
   */
  public String describe(Language lang) {
    boolean da = lang == Language.DA;
    if (spec.equals("always")) {
      return da ? "senere" : "later";
    }
    if (rules.isEmpty()) {
      return da ? "en anden dag" : "another day";
    }
    return rules.stream().map(rule -> describe(rule, da)).collect(Collectors.joining(da ? " og " : " and "));
  }

  private static String describe(Rule rule, boolean da) {
    Locale locale = da ? Locale.forLanguageTag("da") : Locale.ENGLISH;
    String days = dayName(rule.first, locale) + (rule.first == rule.last ? ""
        : (da ? " til " : " to ") + dayName(rule.last, locale));
    String from = clock(rule.from, false, da);
    String to = clock(rule.to, rule.untilMidnight, da);
    return days + (da ? " fra " : " from ") + from + (da ? " til " : " to ") + to;
  }

  private static String dayName(DayOfWeek day, Locale locale) {
    String name = day.getDisplayName(java.time.format.TextStyle.FULL, locale);
    return locale.getLanguage().equals("en") ? name : name.toLowerCase(locale);
  }

  private static String clock(LocalTime time, boolean midnight, boolean da) {
    if (da) {
      int hour = midnight ? 24 : time.getHour();
      return time.getMinute() == 0 ? Integer.toString(hour) : hour + "." + String.format("%02d", time.getMinute());
    }
    if (midnight) {
      return "midnight";
    }
    if (time.getHour() == 12 && time.getMinute() == 0) {
      return "noon";
    }
    int hour = time.getHour() % 12 == 0 ? 12 : time.getHour() % 12;
    String minutes = time.getMinute() == 0 ? "" : ":" + String.format("%02d", time.getMinute());
    return hour + minutes + (time.getHour() < 12 ? " a.m." : " p.m.");
  }

  @Override
  public String toString() {
    return spec + " (" + zone + ")";
  }
}
