package org.civicbot.bot.handoff;

import org.civicbot.knowledge.Language;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpeningHoursTest {
  private static final ZoneId COPENHAGEN = ZoneId.of("Europe/Copenhagen");
  private final OpeningHours hours = OpeningHours.parse("mon-thu 08:00-15:00; fri 08:00-13:30", COPENHAGEN);

  private static Instant local(String dateTime) {
    return LocalDateTime.parse(dateTime).atZone(COPENHAGEN).toInstant();
  }

  @Test
  void should_be_open_from_the_first_minute_until_before_the_closing_minute_in_local_time() {
    // 2026-11-23 is a Monday
    assertFalse(hours.isOpen(local("2026-11-23T07:59:59")));
    assertTrue(hours.isOpen(local("2026-11-23T08:00:00")));
    assertTrue(hours.isOpen(local("2026-11-26T14:59:59")));
    assertFalse(hours.isOpen(local("2026-11-26T15:00:00")));
    assertTrue(hours.isOpen(local("2026-11-27T13:29:00")), "Friday has its own hours");
    assertFalse(hours.isOpen(local("2026-11-27T13:30:00")));
    assertFalse(hours.isOpen(local("2026-11-28T10:00:00")), "Saturday is closed");
    assertFalse(hours.isOpen(local("2026-11-29T10:00:00")), "Sunday is closed");
  }

  @Test
  void should_follow_the_zone_across_daylight_saving_time() {
    // 08:30 local is 06:30 UTC in summer and 07:30 UTC in winter
    assertTrue(hours.isOpen(Instant.parse("2026-06-02T06:30:00Z")));
    assertFalse(hours.isOpen(Instant.parse("2026-12-01T06:30:00Z")));
    assertTrue(hours.isOpen(Instant.parse("2026-12-01T07:30:00Z")));
  }

  @Test
  void should_understand_always_never_single_days_wrapping_ranges_and_midnight() {
    OpeningHours always = OpeningHours.always(COPENHAGEN);
    assertTrue(always.isOpen(local("2026-11-29T03:00:00")));
    OpeningHours never = OpeningHours.parse("never", COPENHAGEN);
    assertFalse(never.isOpen(local("2026-11-24T10:00:00")));
    assertFalse(never.everOpen());
    OpeningHours weekend = OpeningHours.parse("sat-mon 20:00-24:00", COPENHAGEN);
    assertTrue(weekend.isOpen(local("2026-11-29T23:59:00")), "Sunday, inside sat-mon");
    assertTrue(weekend.isOpen(local("2026-11-23T20:00:00")), "Monday, inside sat-mon");
    assertFalse(weekend.isOpen(local("2026-11-24T21:00:00")), "Tuesday, outside sat-mon");
    assertTrue(OpeningHours.parse("WED 9:00-10:00", COPENHAGEN).isOpen(local("2026-11-25T09:30:00")));
  }

  @Test
  void should_refuse_what_it_cannot_read_quoting_the_part() {
    IllegalArgumentException day = assertThrows(IllegalArgumentException.class,
        () -> OpeningHours.parse("mon-fre 08:00-15:00", COPENHAGEN));
    assertTrue(day.getMessage().contains("'fre'"), day.getMessage());
    IllegalArgumentException time = assertThrows(IllegalArgumentException.class,
        () -> OpeningHours.parse("mon 8-15", COPENHAGEN));
    assertTrue(time.getMessage().contains("'8'"), time.getMessage());
    IllegalArgumentException backwards = assertThrows(IllegalArgumentException.class,
        () -> OpeningHours.parse("mon 15:00-08:00", COPENHAGEN));
    assertTrue(backwards.getMessage().contains("ends before it starts"), backwards.getMessage());
    assertThrows(IllegalArgumentException.class, () -> OpeningHours.parse(" ; ", COPENHAGEN));
    assertThrows(IllegalArgumentException.class, () -> OpeningHours.parse("mon 08:00-15:00 extra", COPENHAGEN));
  }

  @Test
  void should_say_the_hours_as_a_caller_hears_them() {
    assertEquals("mandag til torsdag fra 8 til 15 og fredag fra 8 til 13.30", hours.describe(Language.DA));
    assertEquals("Monday to Thursday from 8 a.m. to 3 p.m. and Friday from 8 a.m. to 1:30 p.m.",
        hours.describe(Language.EN));
    assertEquals("Saturday from noon to midnight",
        OpeningHours.parse("sat 12:00-24:00", COPENHAGEN).describe(Language.EN));
    assertEquals("en anden dag", OpeningHours.parse("never", COPENHAGEN).describe(Language.DA));
  }

  @Test
  void should_close_on_public_holidays_and_closed_days() {
    OpeningHours staffed = OpeningHours.parse("mon-fri 08:00-15:00; holidays; closed 12-24 2027-01-04", COPENHAGEN);
    assertFalse(staffed.isOpen(local("2027-03-25T10:00:00")), "Maundy Thursday 2027 (Easter is 28 March)");
    assertFalse(staffed.isOpen(local("2027-05-06T10:00:00")), "Ascension Day 2027");
    assertFalse(staffed.isOpen(local("2026-12-24T10:00:00")), "Christmas Eve, closed every year");
    assertFalse(staffed.isOpen(local("2027-01-04T10:00:00")), "a closed date");
    assertTrue(staffed.isOpen(local("2027-01-05T10:00:00")), "the Tuesday after");
    assertTrue(staffed.isOpen(local("2027-03-24T10:00:00")), "the Wednesday before Easter");
    assertTrue(hours.isOpen(local("2027-03-25T10:00:00")), "without 'holidays' a holiday is a weekday");
    assertEquals(java.time.LocalDate.of(2026, 4, 5), OpeningHours.easterSunday(2026));
    assertThrows(IllegalArgumentException.class, () -> OpeningHours.parse("mon 08:00-15:00; closed 13-45", COPENHAGEN));
  }

  @Test
  void should_tell_when_people_are_back() {
    OpeningHours staffed = OpeningHours.parse("mon-thu 08:00-15:00; fri 08:00-13:00; holidays; closed 12-24",
        COPENHAGEN);
    assertEquals("tomorrow at 8 a.m.", staffed.describeNextOpening(local("2026-11-24T18:00:00"), Language.EN));
    assertEquals("i dag kl. 8", staffed.describeNextOpening(local("2026-11-24T06:30:00"), Language.DA));
    assertEquals("Monday at 8 a.m.", staffed.describeNextOpening(local("2026-11-27T14:00:00"), Language.EN),
        "Friday afternoon: after the weekend");
    // Christmas Eve (Thursday), Christmas Day and Boxing Day, the weekend: back on Monday 28 December
    assertEquals("mandag kl. 8", staffed.describeNextOpening(local("2026-12-23T16:00:00"), Language.DA));
    assertEquals(local("2026-11-24T10:00:00"), staffed.nextOpening(local("2026-11-24T10:00:00")).orElseThrow()
        .toInstant(), "open now");
    assertEquals("another day", OpeningHours.parse("never", COPENHAGEN).describeNextOpening(Instant.now(),
        Language.EN));
  }
}
