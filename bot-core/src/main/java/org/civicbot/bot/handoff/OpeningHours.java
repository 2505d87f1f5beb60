package org.civicbot.bot.handoff;

import org.civicbot.knowledge.Language;

import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * When people staff the line, in the municipality's time zone: {@code "mon-thu 08:00-15:00; fri 08:00-13:00"},
 * or {@code always} (staff around the clock) or {@code never} (no live queue: callbacks only). Days are written
 * {@code mon tue wed thu fri sat sun}, alone or as a range; an interval's end is exclusive ({@code 24:00} allowed).
 * Public holidays are not modelled.
 */
public final class OpeningHours {
  private static final List<String> DAYS = List.of("mon", "tue", "wed", "thu", "fri", "sat", "sun");

  private final String spec;
  private final ZoneId zone;
  private final List<Rule> rules;

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
    this.spec = spec;
    this.zone = zone;
    this.rules = List.copyOf(rules);
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
    for (String part : text.split("[;,]")) {
      if (!part.isBlank()) {
        rules.add(rule(part.strip(), spec));
      }
    }
    if (rules.isEmpty()) {
      throw new IllegalArgumentException("no opening hours in '" + spec + "'");
    }
    return new OpeningHours(text, zone, rules);
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
    return rules.stream().anyMatch(rule -> rule.covers(local));
  }

  /** Whether anyone ever staffs the line. */
  public boolean everOpen() {
    return !rules.isEmpty();
  }

  public ZoneId zone() {
    return zone;
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
